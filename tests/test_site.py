"""The static course site (make site): every notebook page, its figures, navigation and math, offline."""

from __future__ import annotations

import base64
import importlib.util
import re
from html.parser import HTMLParser
from pathlib import Path

import nbformat
import pytest

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))
_spec = importlib.util.spec_from_file_location("site_builder", ROOT / "tools" / "site.py")
site_builder = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(site_builder)

# A 1x1 PNG, for notebooks made up in these tests.
PIXEL = base64.b64encode(bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c6360000002000001e221bc330000000049454e44ae426082")).decode()


class Page(HTMLParser):
    """What a rendered page loads and links: resources, anchors, images, inline CSS."""

    def __init__(self, text: str):
        super().__init__()
        self.text = text
        self.resources, self.anchors, self.images, self.css = [], [], [], []
        self.in_nav, self.nav_links, self._style = False, [], False
        self.feed(text)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "img":
            self.images.append(attrs)
        if tag in ("img", "script", "iframe", "source", "video", "audio", "embed") and attrs.get("src"):
            self.resources.append(attrs["src"])
        if tag == "link" and attrs.get("href"):
            self.resources.append(attrs["href"])
        if tag == "a" and attrs.get("href"):
            self.anchors.append(attrs["href"])
            if self.in_nav:
                self.nav_links.append(attrs["href"])
        if tag == "nav":
            self.in_nav = True
        self._style = tag == "style"
        if attrs.get("style"):
            self.css.append(attrs["style"])

    def handle_endtag(self, tag):
        if tag == "nav":
            self.in_nav = False
        self._style = False

    def handle_data(self, data):
        if self._style:
            self.css.append(data)


def needs_network(url: str) -> bool:
    return bool(re.match(r"^(https?:)?//", url.strip(), re.I))


def css_urls(css: str) -> list[str]:
    return (re.findall(r"url\(\s*['\"]?([^'\")]+)", css)
            + re.findall(r"@import\s+['\"]([^'\"]+)", css))


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    out = tmp_path_factory.mktemp("site") / "site"
    site_builder.build(NOTEBOOKS, out)
    return out


def image_outputs(path: Path) -> int:
    nb = nbformat.read(path, as_version=4)
    return sum(any(mime.startswith("image/") for mime in output.get("data", {}))
               for cell in nb.cells if cell.cell_type == "code" for output in cell.outputs)


def assert_local_mathjax(site: Path, page: Page) -> None:
    mathjax = [src for src in page.resources if "MathJax.js" in src]
    assert len(mathjax) == 1 and not needs_network(mathjax[0])
    script, config = re.fullmatch(r"([^?]+)\?config=([^,&]+).*", mathjax[0]).groups()
    assert (site / script).is_file()
    assert (site / script).parent.joinpath("config", f"{config}.js").is_file()
    # the copy has no TeX fonts, so the page must ask for the web fonts it does have
    fonts = re.search(r'webFont: "([^"]+)"', page.text)
    assert fonts, "the page must set MathJax's HTML-CSS webFont"
    assert (site / script).parent.joinpath("jax/output/HTML-CSS/fonts", fonts.group(1),
                                           "fontdata.js").is_file()


def assert_nothing_from_the_network(site: Path, page: Page) -> None:
    """Scripts, styles, images and CSS urls are local files or inline; links out are fine."""
    loaded = page.resources + sum(map(css_urls, page.css), [])
    assert not [url for url in loaded if needs_network(url)]
    for url in loaded:
        if not url.startswith("data:"):
            assert (site / url.split("?")[0]).is_file(), url


def test_index_lists_every_notebook_in_course_order(site):
    index = Page((site / "index.html").read_text())
    assert index.anchors == [f"{nb.stem}.html" for nb in NOTEBOOKS]
    assert_local_mathjax(site, index)   # titles may hold math
    assert_nothing_from_the_network(site, index)


@pytest.mark.parametrize("position", range(len(NOTEBOOKS)), ids=[nb.stem for nb in NOTEBOOKS])
def test_notebook_page(site, position):
    notebook = NOTEBOOKS[position]
    page_file = site / f"{notebook.stem}.html"
    assert page_file.is_file()
    page = Page(page_file.read_text())

    # every figure, embedded, described by the *Figure: ...* cell after it
    assert len(page.images) == image_outputs(notebook)   # a front door may have none
    for image in page.images:
        assert image["src"].startswith("data:image/")
        assert image["alt"].startswith("Figure: ") and len(image["alt"]) > 20

    # previous / index / next, top and bottom
    expected = ["index.html"]
    if position > 0:
        expected.insert(0, f"{NOTEBOOKS[position - 1].stem}.html")
    if position + 1 < len(NOTEBOOKS):
        expected.append(f"{NOTEBOOKS[position + 1].stem}.html")
    assert page.nav_links == expected * 2
    assert not [a for a in page.anchors if a.endswith(".ipynb") and not needs_network(a)], \
        "links to sibling notebooks must point at their pages"

    assert_local_mathjax(site, page)
    assert_nothing_from_the_network(site, page)


def made_up_notebook(cells) -> nbformat.NotebookNode:
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_markdown_cell("# 01 · A made-up page\n\nAbout 5 minutes.")] + cells
    return nb


def figure_cell():
    cell = nbformat.v4.new_code_cell("plt.show()")
    cell.outputs = [nbformat.v4.new_output("display_data", data={"image/png": PIXEL,
                                                                 "text/plain": "<Figure>"})]
    return cell


def test_alt_text_is_the_figure_cells_first_paragraph_as_plain_text(tmp_path):
    path = tmp_path / "01_made_up.ipynb"
    nbformat.write(made_up_notebook([
        figure_cell(),
        nbformat.v4.new_markdown_cell("*Figure: bars of $P$ and `Q`;\nQ's are\\\n taller.*\n\n## Next")]),
        path)
    site_builder.build([path], tmp_path / "site")
    page = Page((tmp_path / "site" / "01_made_up.html").read_text())
    assert [image["alt"] for image in page.images] == ["Figure: bars of P and Q; Q's are taller."]


def test_a_figure_without_its_description_stops_the_build_and_says_where(tmp_path):
    path = tmp_path / "01_made_up.ipynb"
    nbformat.write(made_up_notebook([figure_cell(), nbformat.v4.new_markdown_cell("## Next")]), path)
    with pytest.raises(site_builder.SiteError, match=r"01_made_up\.ipynb, cell 1: .*'\*Figure: '"):
        site_builder.build([path], tmp_path / "site")

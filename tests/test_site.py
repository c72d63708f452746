"""The course site (make site): a Jupyter Book of every notebook, navigable, searchable, offline."""

from __future__ import annotations

import base64
import importlib.util
import json
import re
from html.parser import HTMLParser
from pathlib import Path

import nbformat
import pytest
import yaml

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))
CONFIG = yaml.safe_load((ROOT / "site" / "_config.yml").read_text(encoding="utf-8"))
_spec = importlib.util.spec_from_file_location("site_builder", ROOT / "tools" / "site.py")
site_builder = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(site_builder)

WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"
# A 1x1 PNG, for notebooks made up in these tests.
PIXEL = base64.b64encode(bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c6360000002000001e221bc330000000049454e44ae426082")).decode()


class Page(HTMLParser):
    """What a built page loads and links: resources, anchors, ids, figures, sidebar, inline CSS."""

    def __init__(self, text: str):
        super().__init__()
        self.text = text
        self.resources, self.anchors, self.ids, self.figures, self.css = [], [], set(), [], []
        self.sidebar, self.h1, self.scripts = [], [], []
        self._nav_depth, self._style, self._h1, self._script = 0, False, False, False
        self.feed(text)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        classes = (attrs.get("class") or "").split()
        if attrs.get("id"):
            self.ids.add(attrs["id"])
        if tag == "nav" and "bd-docs-nav" in classes:
            self._nav_depth = 1
        elif tag == "nav" and self._nav_depth:
            self._nav_depth += 1
        if tag == "img" and "_images/" in (attrs.get("src") or ""):
            self.figures.append(attrs)
        if tag in ("img", "script", "iframe", "source", "video", "audio", "embed") and attrs.get("src"):
            self.resources.append(attrs["src"])
        if tag == "link" and attrs.get("href"):
            self.resources.append(attrs["href"])
        if tag == "a" and attrs.get("href") is not None:
            self.anchors.append(attrs["href"])
            if self._nav_depth and "reference" in classes and "internal" in classes:
                self.sidebar.append(attrs["href"])
        self._style = tag == "style"
        self._script = tag == "script"
        if tag == "h1":
            self._h1 = True
            self.h1.append("")
        if attrs.get("style"):
            self.css.append(attrs["style"])

    def handle_endtag(self, tag):
        if tag == "nav" and self._nav_depth:
            self._nav_depth -= 1
        if tag == "h1":
            self._h1 = False
        self._style = self._script = False

    def handle_data(self, data):
        if self._style:
            self.css.append(data)
        if self._h1:
            self.h1[-1] += data
        if self._script:
            self.scripts.append(data)


def needs_network(url: str) -> bool:
    return bool(re.match(r"^(https?:)?//", url.strip(), re.I))


def css_urls(css: str) -> list[str]:
    return (re.findall(r"url\(\s*['\"]?([^'\")]+)", css)
            + re.findall(r"@import\s+(?:url\()?\s*['\"]?([^'\")\s;]+)", css))


@pytest.fixture(scope="session")
def site(tmp_path_factory):
    """The site as make site builds it (every notebooks/NN_*.ipynb), once per test session."""
    out = tmp_path_factory.mktemp("book") / "site"
    site_builder.build(site_builder.course_notebooks(), out)
    return out


@pytest.fixture(scope="session")
def pages(site):
    return {path.name: Page(path.read_text(encoding="utf-8")) for path in sorted(site.glob("*.html"))}


def title(notebook: Path) -> str:
    return nbformat.read(notebook, as_version=4).cells[0].source.splitlines()[0][2:].strip()


def test_the_table_of_contents_is_every_course_notebook_in_order(site):
    """_toc.yml is generated from the notebooks glob: a new NN_*.ipynb joins the sidebar by itself."""
    toc = yaml.safe_load((site.with_name("site-src") / "_toc.yml").read_text())
    stems = [nb.stem for nb in NOTEBOOKS]
    assert toc["root"] == stems[0] == "00_start_here"
    assert [chapter["file"] for chapter in toc["chapters"]] == stems[1:]
    assert [p.stem for p in site_builder.course_notebooks()] == stems


def test_the_index_is_the_landing_page_and_its_sidebar_lists_every_page_in_order(site, pages):
    index = pages["index.html"]
    assert (site / "index.html").read_bytes() == (site / f"{NOTEBOOKS[0].stem}.html").read_bytes()
    assert index.h1 and index.h1[0].startswith("00 ·")
    # the landing page links itself as the current page ('#')
    assert index.sidebar == ["#"] + [f"{nb.stem}.html" for nb in NOTEBOOKS[1:]]
    assert len(index.sidebar) == len(NOTEBOOKS)


@pytest.mark.parametrize("notebook", NOTEBOOKS, ids=[nb.stem for nb in NOTEBOOKS])
def test_each_notebook_has_its_page_with_its_title_and_the_same_sidebar(pages, notebook):
    page = pages[f"{notebook.stem}.html"]
    # the article's heading (the first h1 is for print only), without its '#' anchor link;
    # math in a title ($D(P\|Q)$) reaches the page as \(D(P\|Q)\), for MathJax
    heading = re.sub(r"\\\(|\\\)", "", page.h1[-1]).removesuffix("#").strip()
    assert heading == title(notebook).replace("$", "")
    assert len(page.sidebar) == len(NOTEBOOKS)
    assert {href for href in page.sidebar if href != "#"} == \
        {f"{nb.stem}.html" for nb in NOTEBOOKS if nb != notebook}


@pytest.mark.parametrize("notebook", NOTEBOOKS, ids=[nb.stem for nb in NOTEBOOKS])
def test_figures_are_the_committed_outputs_with_the_figure_cells_words_as_alt_text(site, pages, notebook):
    nb = nbformat.read(notebook, as_version=4)
    expected = []
    for index, cell in enumerate(nb.cells):
        if cell.cell_type == "code":
            for output in cell.outputs:
                if "image/png" in output.get("data", {}):
                    after = cell.outputs[cell.outputs.index(output) + 1:]
                    where = ("after the printed output below it"
                             if any(o.get("output_type") == "stream" for o in after) else "in the next paragraph")
                    expected.append((base64.b64decode(output.data["image/png"]),
                                     nb.cells[index + 1].source, where))
    figures = pages[f"{notebook.stem}.html"].figures
    assert len(figures) == len(expected)   # the landing page may have none
    for figure, (png, description, where) in zip(figures, expected):
        assert (site / figure["src"]).read_bytes() == png   # the committed output, not a re-run
        alt = figure["alt"]
        # short: the description's opening words, then where the rest is (the paragraph under the image,
        # after any text the cell prints below it), so a screen reader does not read it twice
        ending = f" Described in full {where}."
        assert alt.startswith("Figure: ") and alt.endswith(ending), alt
        assert len(alt) < 260, alt
        # its words are the *Figure: ...* cell's first words, without markdown marks, in order; its math
        # as text a screen reader can speak (no TeX: D(P‖Q), not D(P\|Q))
        prose = site_builder.plain_text(description)
        words = alt[len("Figure: "):-len(ending)].split()
        assert len(words) >= 5, alt
        position = 0
        for word in words:
            if word != "...":
                found = prose.find(word.rstrip("."), position)
                assert found >= 0, (word, alt)
                position = found + len(word.rstrip("."))
        assert "\\" not in alt and "$" not in alt, alt


@pytest.mark.parametrize("notebook", NOTEBOOKS, ids=[nb.stem for nb in NOTEBOOKS])
def test_explorers_are_replaced_by_a_note_that_they_run_in_jupyterlab_or_binder(pages, notebook):
    nb = nbformat.read(notebook, as_version=4)
    views = sum(WIDGET_VIEW in output.get("data", {})
                for cell in nb.cells if cell.cell_type == "code" for output in cell.outputs)
    page = pages[f"{notebook.stem}.html"]
    assert page.text.count('class="klteach-widget-note"') == views
    assert WIDGET_VIEW not in page.text


def test_math_is_typeset_by_the_local_mathjax_on_every_page(site, pages):
    with_math = {nb.stem for nb in NOTEBOOKS
                 if any(c.cell_type == "markdown" and "$" in c.source
                        for c in nbformat.read(nb, as_version=4).cells)}
    assert with_math, "the course has math"
    for name, page in pages.items():
        if Path(name).stem in with_math:
            assert 'class="math notranslate nohighlight"' in page.text, name
        mathjax = [src for src in page.resources if "MathJax.js" in src]
        assert len(mathjax) == 1 and not needs_network(mathjax[0]), name
        script, config = re.fullmatch(r"([^?]+)\?config=([^,&]+).*", mathjax[0]).groups()
        assert (site / script).is_file()
        assert (site / script).parent.joinpath("config", f"{config}.js").is_file()
        # the copy has no TeX fonts, so the page must ask for the web fonts it does have
        fonts = re.search(r'"webFont": "([^"]+)"', page.text)
        assert fonts, f"{name} must set MathJax's HTML-CSS webFont"
        assert (site / script).parent.joinpath("jax/output/HTML-CSS/fonts", fonts.group(1),
                                               "fontdata.js").is_file()
        assert "window.MathJax" not in page.text   # MathJax 3 settings would stop MathJax 2


def test_math_is_readable_by_assistive_technology_offline(site, pages):
    # Hidden MathML beside each formula (AssistiveMML) and MathJax's accessibility menu,
    # whose explorer speaks a formula, configured on every page; every file they load is local.
    for name, page in pages.items():
        config = re.search(r"MathJax\.Hub\.Config\((\{.*?\})\)</script>", page.text, re.S)
        assert config, f"{name} has no MathJax 2 configuration"
        settings = json.loads(config.group(1))
        assert settings["menuSettings"]["assistiveMML"] is True, name
        assert "[a11y]/accessibility-menu.js" in settings["extensions"], name
    mathjax = site / "_static" / "mathjax"
    for part in ("extensions/AssistiveMML.js", "extensions/a11y/accessibility-menu.js",
                 "extensions/a11y/explorer.js", "extensions/a11y/semantic-enrich.js",
                 "extensions/a11y/mathjax-sre.js", "extensions/a11y/mathmaps/en.js"):
        assert (mathjax / part).is_file(), part


def test_the_search_index_finds_pinsker_in_the_pages_that_discuss_it(site):
    text = (site / "searchindex.js").read_text(encoding="utf-8")
    index = json.loads(re.fullmatch(r"Search\.setIndex\((.*)\)\s*", text, re.S).group(1))
    docs = index["docnames"]
    found = set()   # Sphinx indexes the words of body text and of section titles apart
    for kind in ("terms", "titleterms"):
        hits = index[kind].get("pinsker", [])
        found |= {docs[i] for i in ([hits] if isinstance(hits, int) else hits)}
    discussed = {nb.stem for nb in NOTEBOOKS
                 if any(c.cell_type == "markdown" and "Pinsker" in c.source
                        for c in nbformat.read(nb, as_version=4).cells)}
    assert discussed and discussed <= found
    assert (site / "search.html").is_file()


def test_nothing_any_page_loads_comes_from_the_network(site, pages):
    """Scripts, styles, images, fonts and CSS urls are local files or inline; links out are fine."""
    for name, page in pages.items():
        loaded = page.resources + sum(map(css_urls, page.css), [])
        assert not [url for url in loaded if needs_network(url)], name
        # nor do inline scripts name one (sphinx-thebe's CDN bundle is left out)
        assert not [s for s in page.scripts if re.search(r"https?://", s)], name
        for url in loaded:
            if url.startswith(("data:", "#")):   # inline, or this page (genindex's rel="index")
                continue
            path = site / url.split("?")[0].split("#")[0]
            assert path.is_file(), (name, url)
            if path.suffix == ".css":   # and what the style sheets load in turn (fonts, imports)
                for inner in css_urls(path.read_text(encoding="utf-8")):
                    assert not needs_network(inner), (url, inner)


def test_every_local_link_leads_to_a_page_and_heading_that_exist(site, pages):
    for name, page in pages.items():
        for href in page.anchors:
            if needs_network(href) or href.startswith(("mailto:", "javascript:")) or href == "#":
                continue
            target, _, anchor = href.partition("#")
            target = target or name
            assert (site / target).is_file(), (name, href)
            if anchor and target.endswith(".html"):
                assert anchor in pages[target].ids, (name, href)


@pytest.mark.parametrize("notebook", NOTEBOOKS, ids=[nb.stem for nb in NOTEBOOKS])
def test_every_page_has_binder_colab_and_download_links(site, pages, notebook):
    repo = CONFIG["repository"]
    owner_repo = repo["url"].removeprefix("https://github.com/")
    in_repo = f"{repo['path_to_book']}/{notebook.name}"
    page = pages[f"{notebook.stem}.html"]
    assert (f"https://mybinder.org/v2/gh/{owner_repo}/{repo['branch']}"
            f"?urlpath=lab/tree/{in_repo}") in page.anchors
    assert f"https://colab.research.google.com/github/{owner_repo}/blob/{repo['branch']}/{in_repo}" \
        in page.anchors
    download = f"_sources/{notebook.name}"
    assert download in page.anchors
    assert (site / download).read_bytes() == notebook.read_bytes()   # the committed notebook itself


def test_a_link_out_of_the_book_points_at_the_repository(pages):
    """00 links ../homework/README.md: on the site that is the file's page in the repository."""
    repo = CONFIG["repository"]
    assert f"{repo['url']}/blob/{repo['branch']}/homework/README.md" in pages["00_start_here.html"].anchors


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
    nb = made_up_notebook([
        figure_cell(),
        nbformat.v4.new_markdown_cell("*Figure: bars of $P$ and `Q`;\nQ's are\\\n taller.*\n\n## Next")])
    site_builder.prepare(nb, tmp_path / "01_made_up.ipynb")
    assert nb.cells[1].metadata["mystnb"]["image"]["alt"] == \
        "Figure: bars of P and Q; Q's are taller. Described in full in the next paragraph."


def test_a_long_description_is_cut_to_its_first_sentence_in_the_alt_text(tmp_path):
    long = "*Figure: " + "a bar " * 40 + "at the end. Second sentence, not in the alt text.*"
    nb = made_up_notebook([figure_cell(), nbformat.v4.new_markdown_cell(long)])
    site_builder.prepare(nb, tmp_path / "01_made_up.ipynb")
    alt = nb.cells[1].metadata["mystnb"]["image"]["alt"]
    assert alt.startswith("Figure: a bar a bar") and alt.endswith("... Described in full in the next paragraph.")
    assert "Second" not in alt and len(alt) < 230


def test_jupyterlab_heading_anchors_become_mysts_and_badges_plain_links(tmp_path):
    nb = made_up_notebook([nbformat.v4.new_markdown_cell(
        "[![Open in Binder](https://mybinder.org/badge_logo.svg)](https://mybinder.org/v2/gh/o/r/HEAD)\n"
        "See [how](00_start_here.ipynb#How-each-notebook-works), [here](#Why-it's-so), "
        "[the guide](../homework/README.md) and [the web](https://example.org/#Keep-It).\n\n"
        "## Why it's so")])
    anchors = {"00_start_here": {"How-each-notebook-works": "how-each-notebook-works"}}
    repo = {"url": "https://github.com/o/r", "branch": "main", "path_to_book": "notebooks"}
    site_builder.prepare(nb, tmp_path / "01_made_up.ipynb",
                         anchors | {"01_made_up": site_builder.heading_slugs(nb)}, repo)
    assert nb.cells[1].source.splitlines()[:2] == [
        "[Open in Binder](https://mybinder.org/v2/gh/o/r/HEAD)",
        "See [how](00_start_here.ipynb#how-each-notebook-works), [here](#why-its-so), "
        "[the guide](https://github.com/o/r/blob/main/homework/README.md) and "
        "[the web](https://example.org/#Keep-It)."]


def test_a_figure_without_its_description_stops_the_build_and_says_where(tmp_path):
    path = tmp_path / "01_made_up.ipynb"
    nbformat.write(made_up_notebook([figure_cell(), nbformat.v4.new_markdown_cell("## Next")]), path)
    with pytest.raises(site_builder.SiteError, match=r"01_made_up\.ipynb, cell 1: .*'\*Figure: '"):
        site_builder.build([path], tmp_path / "site")


def test_a_notebook_not_named_nn_name_stops_the_build(tmp_path):
    path = tmp_path / "draft.ipynb"
    nbformat.write(made_up_notebook([]), path)
    with pytest.raises(site_builder.SiteError, match=r"draft\.ipynb: .*NN_name\.ipynb"):
        site_builder.build([path], tmp_path / "site")


def test_search_results_show_titles_as_plain_text_not_tex(site):
    """A result lists its page's title as text: 04's D(P‖Q) must not show as HTML and TeX."""
    text = (site / "searchindex.js").read_text(encoding="utf-8")
    index = json.loads(re.fullmatch(r"Search\.setIndex\((.*)\)\s*", text, re.S).group(1))
    titles = index["titles"] + list(index["alltitles"])
    assert not [t for t in titles if "<span" in t or "\\(" in t or "\\|" in t]
    assert any("D(P\u2016Q) and D(Q\u2016P)" in t for t in index["titles"])


def test_titles_and_alt_texts_read_as_text_not_tex(site, pages):
    """Screen readers speak a page's <title> and each figure's alt text: no TeX in either (D(P‖Q), not D(P\\|Q))."""
    for name, page in pages.items():
        title = re.search(r"<title>(.*?)</title>", page.text, re.S).group(1)
        assert "\\(" not in title and "\\|" not in title, (name, title)
        for alt in re.findall(r'<img[^>]*\salt="([^"]*)"', page.text):
            assert "\\" not in alt and "$" not in alt, (name, alt)


def test_keyboard_focus_is_visible_and_formulas_are_not_tab_stops(site, pages):
    css = (site / "_static" / "klteach.css").read_text(encoding="utf-8")
    assert ":focus-visible" in css and "outline:" in css
    some = next(iter(pages.values())).text
    assert "klteach.css" in some
    config = (ROOT / "site" / "_config.yml").read_text(encoding="utf-8")
    assert "inTabOrder: false" in config


class Prose(HTMLParser):
    """The text a reader sees as prose on a page: outside code, math, scripts, styles and the sidebar."""

    SKIP = {"script", "style", "pre", "code", "nav", "head"}

    def __init__(self, text: str):
        super().__init__()
        self.parts, self._stack = [], []
        self.feed(text)

    def handle_starttag(self, tag, attrs):
        classes = (dict(attrs).get("class") or "").split()
        if tag in self.SKIP or "math" in classes or "highlight" in " ".join(classes):
            self._stack.append(tag)
        elif self._stack and tag not in ("br", "img", "input", "meta", "link", "hr"):
            self._stack.append(tag)

    def handle_endtag(self, tag):
        if self._stack and tag not in ("br", "img", "input", "meta", "link", "hr"):
            self._stack.pop()

    def handle_data(self, data):
        if not self._stack:
            self.parts.append(data)


@pytest.mark.parametrize("notebook", NOTEBOOKS, ids=[nb.stem for nb in NOTEBOOKS])
def test_no_tex_is_left_as_text_in_the_prose(site, notebook):
    """A $$...$$ block glued to the text around it renders in JupyterLab but not on the site: the TeX
    then shows as text (a $ or a backslash command in the prose). Put a blank line before and after it."""
    prose = " ".join(Prose((site / f"{notebook.stem}.html").read_text(encoding="utf-8")).parts)
    leftovers = re.findall(r".{0,40}(?:\$|\\[A-Za-z]+).{0,40}", prose)
    assert not leftovers, leftovers[:5]


def test_a_build_replaces_only_a_folder_it_built(tmp_path):
    mine = tmp_path / "docs"
    mine.mkdir()
    (mine / "notes.txt").write_text("not a site")
    with pytest.raises(site_builder.SiteError, match="not a site this tool built"):
        site_builder.build(site_builder.course_notebooks()[:1], mine)
    assert (mine / "notes.txt").read_text() == "not a site"

"""Build the course as a static HTML site, fully offline, from the executed notebooks.

Usage: python tools/site.py [--out build/site] notebooks/*.ipynb

Writes ``index.html`` (the course path, linking every notebook page), one page
per notebook (nbconvert's ``lab`` HTML with previous / index / next links), and
``mathjax/``, a copy of the MathJax that the ``jupyter-server-mathjax`` package
ships, which every page loads by a relative URL (set to its STIX web fonts: the
copy has no TeX fonts). Figures are embedded in the
pages as data URIs, each with the alt text of the ``*Figure: ...*`` cell that
follows it. Nothing is fetched from the network, to build or to read the site:
the CDN scripts of the ``lab`` template (require.js, the widget manager,
mermaid) are left out, and each explorer's output says that it runs in
JupyterLab or Binder (the figure its cell or the next one prints shows one setting).
"""

from __future__ import annotations

import argparse
import html
import re
import shutil
import sys
from pathlib import Path

from extras import require

require("site", "nbconvert", "jupyter_server_mathjax", target="site")

import jupyter_server_mathjax  # noqa: E402  (after the check above)
import nbformat  # noqa: E402
from nbconvert import HTMLExporter  # noqa: E402

MATHJAX_DIR = "mathjax"
MATHJAX_URL = f"{MATHJAX_DIR}/MathJax.js?config=TeX-AMS-MML_HTMLorMML-full,Safe"
TEMPLATE_DIR = Path(__file__).with_name("site_template")
WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"
WIDGET_NOTE = ('<p class="klteach-widget-note">Interactive explorer: it runs when the notebook '
               'is opened in JupyterLab or on Binder.</p>')
FIGURE_PREFIX = "*Figure: "
# A markdown image inside a link, as the Binder and Colab badges are: [![alt](image)](target).
LINKED_IMAGE = re.compile(r"\[!\[([^\]]*)\]\([^)]*\)\]\(([^)]*)\)")


class SiteError(ValueError):
    """A notebook cannot be published as it is (the message says where and how to fix it)."""


def title_of(nb, path: Path) -> str:
    """The notebook's ``# NN · Title`` heading, without the ``#``."""
    first = nb.cells[0] if nb.cells else None
    if first is None or first.cell_type != "markdown" or not first.source.startswith("# "):
        raise SiteError(f"{path}: the first cell must be a markdown heading '# NN · Title'.")
    return first.source.splitlines()[0][2:].strip()


def minutes_of(nb) -> str:
    """The notebook's "About N minutes" line from its first cell, or ''."""
    match = re.search(r"About [^\n.]*minutes", nb.cells[0].source)
    return match.group(0) if match else ""


def plain_text(markdown: str) -> str:
    """Plain text of a markdown paragraph (the first one), for alt text and page titles."""
    paragraph = markdown.split("\n\n", 1)[0].strip()
    return " ".join(re.sub(r"[*`$\\]", "", paragraph).split())


def is_image(output) -> bool:
    return any(mime.startswith("image/") for mime in output.get("data", {}))


def prepare(nb, path: Path, pages: dict[str, str]) -> None:
    """Make one executed notebook ready to publish, in place.

    Sets each image output's alt text from the ``*Figure: ...*`` cell after
    its cell, points links to sibling notebooks at their pages, replaces
    explorer outputs by a note and drops the widget state (which would pull
    the widget manager from a CDN). Linked badge images (Binder, Colab) become
    plain links, so reading the site loads nothing from the network.
    """
    nb.metadata.pop("widgets", None)
    for index, cell in enumerate(nb.cells):
        if cell.cell_type == "markdown":
            cell.source = LINKED_IMAGE.sub(r"[\1](\2)", cell.source)
            for stem, page in pages.items():
                cell.source = cell.source.replace(f"]({stem}.ipynb", f"]({page}")
            continue
        if cell.cell_type != "code":
            continue
        for output in cell.get("outputs", []):
            if WIDGET_VIEW in output.get("data", {}):
                output.data = {"text/html": WIDGET_NOTE}
        if any(is_image(output) for output in cell.get("outputs", [])):
            following = nb.cells[index + 1] if index + 1 < len(nb.cells) else None
            if (following is None or following.cell_type != "markdown"
                    or not following.source.startswith(FIGURE_PREFIX)):
                raise SiteError(
                    f"{path}, cell {index}: a cell that shows a figure must be followed by a "
                    f"markdown cell starting {FIGURE_PREFIX!r} that describes it; add one.")
            for output in cell.outputs:
                if is_image(output):
                    output.setdefault("metadata", {})["klteach_alt"] = plain_text(following.source)


def navigation(entries: list[tuple[str, str]], position: int) -> str:
    """Previous / index / next links for the page at ``position`` in ``entries``."""
    links = []
    if position > 0:
        page, title = entries[position - 1]
        links.append(f'<a rel="prev" href="{page}">← {html.escape(title)}</a>')
    links.append('<a href="index.html">Course index</a>')
    if position + 1 < len(entries):
        page, title = entries[position + 1]
        links.append(f'<a rel="next" href="{page}">{html.escape(title)} →</a>')
    return '<nav class="klteach-nav">' + " · ".join(links) + "</nav>"


INDEX = """<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<title>klteach: a course on Kullback–Leibler divergence</title>
<script type="text/x-mathjax-config">
MathJax.Hub.Config({{tex2jax: {{inlineMath: [["$", "$"]], processEscapes: true}}, messageStyle: "none",
                   "HTML-CSS": {{availableFonts: [], webFont: "STIX-Web", imageFont: null}}}});
</script>
<script src="{mathjax}"></script>
<style>
body {{ font-family: system-ui, sans-serif; max-width: 48rem; margin: 2rem auto; padding: 0 1rem;
       line-height: 1.5; }}
li {{ margin: 0.4rem 0; }}
</style>
</head>
<body>
<main>
<h1>klteach: a course on Kullback–Leibler divergence</h1>
<p>Work through the notebooks in order; each builds on the one before. These pages show the
notebooks as executed. To change the code and move the explorers' sliders, open them in
JupyterLab (<code>make lab</code>) or on Binder.</p>
<ol class="klteach-path">
{items}
</ol>
</main>
</body>
</html>
"""


def build(notebooks: list[Path], out: Path) -> list[Path]:
    """Write the site for ``notebooks`` (in course order) into ``out``; return the pages."""
    notebooks = sorted(notebooks, key=lambda p: p.name)
    if not notebooks:
        raise SiteError("no notebooks given: pass the executed notebooks, e.g. notebooks/*.ipynb")
    pages = {path.stem: f"{path.stem}.html" for path in notebooks}
    books = [nbformat.read(path, as_version=4) for path in notebooks]
    entries = [(pages[path.stem], title_of(nb, path)) for path, nb in zip(notebooks, books)]

    if out.exists():
        shutil.rmtree(out)
    out.mkdir(parents=True)
    shutil.copytree(Path(jupyter_server_mathjax.__file__).parent / "static", out / MATHJAX_DIR)

    exporter = HTMLExporter(template_name="lab", extra_template_paths=[str(TEMPLATE_DIR)],
                            template_file="klteach_page.html.j2", mathjax_url=MATHJAX_URL)
    written = []
    for position, (path, nb) in enumerate(zip(notebooks, books)):
        prepare(nb, path, pages)
        body, _ = exporter.from_notebook_node(
            nb, resources={"klteach_nav": navigation(entries, position),
                           "metadata": {"name": plain_text(entries[position][1])}})
        target = out / pages[path.stem]
        target.write_text(body, encoding="utf-8")
        written.append(target)

    items = "\n".join(
        f'<li><a href="{page}">{html.escape(title)}</a>'
        + (f" <small>({html.escape(minutes)})</small>" if (minutes := minutes_of(nb)) else "")
        + "</li>"
        for (page, title), nb in zip(entries, books))
    (out / "index.html").write_text(INDEX.format(items=items, mathjax=MATHJAX_URL), encoding="utf-8")
    return written


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("notebooks", nargs="+", type=Path)
    parser.add_argument("--out", type=Path, default=Path("build/site"))
    args = parser.parse_args()
    try:
        pages = build(args.notebooks, args.out)
    except SiteError as exc:
        print(f"site not built: {exc}", file=sys.stderr)
        return 1
    print(f"{len(pages)} notebook pages and index.html in {args.out}/ (open {args.out / 'index.html'})")
    return 0


if __name__ == "__main__":
    sys.exit(main())

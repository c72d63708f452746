"""Build the course site with Jupyter Book, fully offline, from the executed notebooks.

Usage: python tools/site.py [--out build/site] [--src build/site-src] [NOTEBOOK ...]

The book's configuration is ``site/_config.yml``. This driver copies it and the
notebooks (by default every ``notebooks/NN_*.ipynb``) into ``--src``, writes
``_toc.yml`` there from them (in course order: ``00_*`` is the landing page and
``index.html``, every further ``NN_*`` a page of the sidebar), runs ``jupyter-book build``
(Sphinx, sphinx-book-theme) and puts the HTML in ``--out``. The notebooks are shown with their committed
outputs (nothing is executed). Each copy is prepared first: every figure gets
the alt text of the ``*Figure: ...*`` cell that follows it, each explorer's
widget view becomes a note that it runs in JupyterLab, on Binder or on Colab (a static
page has no kernel), and the notebooks' Binder and Colab badge images become
plain links (the theme's launch buttons do the same from the one repository
named in the configuration). After the build, the MathJax 2 copy that the
``jupyter-server-mathjax`` package ships goes to ``_static/mathjax/`` and the
download button serves the committed notebook itself. Nothing is fetched from
the network, to build or to read the site.
"""

from __future__ import annotations

import argparse
import json
import posixpath
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

from extras import require

require("site", "jupyter_book", "jupyter_server_mathjax", target="site")

import jupyter_server_mathjax  # noqa: E402  (after the check above)
import nbformat  # noqa: E402
import yaml  # noqa: E402
from myst_parser.mdit_to_docutils.base import default_slugify  # noqa: E402  (the anchors MyST writes)

ROOT = Path(__file__).resolve().parents[1]
CONFIG_DIR = ROOT / "site"
MATHJAX_DIR = "mathjax"   # under _static/, where site/_config.yml's mathjax_path points
WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"
WIDGET_NOTE = ('<p class="klteach-widget-note"><em>Interactive explorer: it runs when the notebook '
               'is opened in JupyterLab, on Binder or on Colab.</em></p>')
FIGURE_PREFIX = "*Figure: "
BUILT_MARK = ".klteach-site"   # in every folder a build writes: only those are replaced by the next build
NOTEBOOK_NAME = re.compile(r"\d\d_\w+\.ipynb")
# A markdown image inside a link, as the Binder and Colab badges are: [![alt](image)](target).
LINKED_IMAGE = re.compile(r"\[!\[([^\]]*)\]\([^)]*\)\]\(([^)]*)\)")
# A markdown link's target that is no URL: a sibling notebook, a heading, a file of the repository.
LOCAL_LINK = re.compile(r"\]\((?!\w+:)([^)#\s]*)(?:#([^)\s]*))?\)")
HEADING = re.compile(r"^#{1,6}\s+(.+?)\s*#*\s*$", re.M)


class SiteError(ValueError):
    """A notebook cannot be published as it is (the message says where and how to fix it)."""


def plain_text(markdown: str) -> str:
    """Plain text of a markdown paragraph (the first one), for alt text."""
    paragraph = markdown.split("\n\n", 1)[0].strip()
    paragraph = re.sub(r"\$([^$]+)\$", lambda m: tex_text(re.sub(r"\\(?:text|mathrm|mathbf)\{([^}]*)\}", r"\1",
                                                                m.group(1))), paragraph)
    return " ".join(re.sub(r"[*`$\\]", "", paragraph).split())


ALT_LIMIT = 160   # characters of the description's first sentence kept in the alt text


def alt_text(markdown: str, text_after: bool = False) -> str:
    """Short alt text for a figure: its ``*Figure: ...*`` cell's first sentence, pointing at the rest.

    The whole description follows the image as a paragraph (after any text the cell prints below the
    image), so a screen reader would read it twice if the alt text held it all: the alt text names the
    figure and says where its description is. The first sentence is cut at ``ALT_LIMIT`` characters.
    """
    text = plain_text(markdown)
    body = text[len(FIGURE_PREFIX.strip("*")):].strip() if text.startswith("Figure:") else text
    first = re.split(r"(?<=\.)\s+(?=[A-Z(])", body, maxsplit=1)[0]
    if len(first) > ALT_LIMIT:
        first = first[:ALT_LIMIT].rsplit(" ", 1)[0].rstrip(",;:") + " ..."
    if not first.endswith((".", "...")):
        first += "."
    where = "after the printed output below it" if text_after else "in the next paragraph"
    return f"Figure: {first} Described in full {where}."


def is_image(output) -> bool:
    return any(mime.startswith("image/") for mime in output.get("data", {}))


def repository() -> dict:
    """The repository named in site/_config.yml (url, branch, path_to_book): the one place it is named."""
    config = yaml.safe_load((CONFIG_DIR / "_config.yml").read_text(encoding="utf-8"))
    return config["repository"]


def heading_slugs(nb) -> dict[str, str]:
    """JupyterLab's anchor of each heading (its text, spaces as '-') -> the anchor MyST gives it."""
    slugs = {}
    for cell in nb.cells:
        if cell.cell_type == "markdown":
            for title in HEADING.findall(cell.source):
                text = re.sub(r"[*_`]", "", title)
                slugs.setdefault(title.replace(" ", "-"), default_slugify(text))
    return slugs


def local_links(source: str, page: str, anchors: dict[str, dict[str, str]], repo: dict) -> str:
    """Point a markdown cell's relative links where they lead on the site.

    A heading anchor (``#How-it-works`` as JupyterLab writes it, here or in a
    sibling notebook) becomes MyST's (``#how-it-works``); a file outside the
    book (``../README.md``) becomes its page in the repository.
    """
    def target(match: re.Match) -> str:
        path, anchor = match.group(1), match.group(2)
        if not path:                                   # a heading of this page
            stem = page
        elif path.endswith(".ipynb") and "/" not in path:   # a sibling notebook
            stem = path[:-len(".ipynb")]
        else:
            stem = None
        if stem in anchors:
            if anchor:
                anchor = anchors[stem].get(anchor, anchor)
            return f"]({path}#{anchor})" if anchor else match.group(0)
        if path.startswith("../"):
            in_repo = posixpath.normpath(posixpath.join(repo["path_to_book"], path))
            url = f"{repo['url'].rstrip('/')}/blob/{repo['branch']}/{in_repo}"
            return f"]({url}#{anchor})" if anchor else f"]({url})"
        return match.group(0)
    return LOCAL_LINK.sub(target, source)


def prepare(nb, path: Path, anchors: dict[str, dict[str, str]] | None = None,
            repo: dict | None = None) -> None:
    """Make one executed notebook ready to publish, in place.

    Sets each figure's alt text (myst-nb's ``mystnb.image.alt`` cell metadata)
    from the ``*Figure: ...*`` cell after its cell, replaces explorer outputs
    by a note and drops the widget state (which would pull the widget manager
    from a CDN), turns linked badge images (Binder, Colab) into plain links,
    so reading the site loads nothing from the network, and points relative
    links at the site's pages and headings or the repository's files.
    """
    anchors = anchors if anchors is not None else {path.stem: heading_slugs(nb)}
    repo = repo or repository()
    first = nb.cells[0] if nb.cells else None
    if first is None or first.cell_type != "markdown" or not first.source.startswith("# "):
        raise SiteError(f"{path}: the first cell must be a markdown heading '# NN · Title'.")
    nb.metadata.pop("widgets", None)
    for index, cell in enumerate(nb.cells):
        if cell.cell_type == "markdown":
            cell.source = local_links(LINKED_IMAGE.sub(r"[\1](\2)", cell.source),
                                      path.stem, anchors, repo)
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
            outputs = cell.get("outputs", [])
            last_image = max(i for i, output in enumerate(outputs) if is_image(output))
            text_after = any(output.get("output_type") == "stream" or "text/plain" in output.get("data", {})
                             and not is_image(output) for output in outputs[last_image + 1:])
            cell.metadata.setdefault("mystnb", {}).setdefault("image", {})["alt"] = \
                alt_text(following.source, text_after)


def course_notebooks() -> list[Path]:
    """Every course notebook, ``notebooks/NN_*.ipynb``, in course order."""
    return sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))


def table_of_contents(notebooks: list[Path]) -> dict:
    """The book's _toc.yml: the first notebook is the landing page, the rest the sidebar, in order."""
    root, *pages = [path.stem for path in notebooks]
    toc = {"format": "jb-book", "root": root}
    if pages:
        toc["chapters"] = [{"file": page} for page in pages]
    return toc


def jupyter_book() -> str:
    """The ``jupyter-book`` command of this Python's environment."""
    beside = Path(sys.executable).with_name("jupyter-book")
    found = str(beside) if beside.exists() else shutil.which("jupyter-book")
    if not found:
        raise SiteError("the jupyter-book command is missing: install klteach's 'site' extra "
                        "(python -m pip install -e \".[site]\" -c constraints.txt).")
    return found


def build(notebooks: list[Path], out: Path, src: Path | None = None) -> list[Path]:
    """Build the book for ``notebooks`` into ``out`` (sources in ``src``); return the notebook pages."""
    notebooks = sorted(notebooks, key=lambda p: p.name)
    if not notebooks:
        raise SiteError("no notebooks given: pass the executed notebooks, e.g. notebooks/*.ipynb")
    for path in notebooks:
        if not NOTEBOOK_NAME.fullmatch(path.name):
            raise SiteError(f"{path}: course notebooks are named NN_name.ipynb (two digits, "
                            "the position in the course); rename it.")
    src = src or out.with_name(out.name + "-src")
    for folder in (src, out):   # replace an earlier build, never anything else
        built = ((folder / BUILT_MARK).exists()   # or an earlier build, from before the mark
                 or (folder / "_static" / MATHJAX_DIR).is_dir() or (folder / "_toc.yml").exists())
        if folder.exists() and any(folder.iterdir()) and not built:
            raise SiteError(f"{folder} exists and is not a site this tool built (no {BUILT_MARK} in it): "
                            "choose an empty or new folder with --out, or remove it yourself.")
    for folder in (src, out):
        if folder.exists():
            shutil.rmtree(folder)
    shutil.copytree(CONFIG_DIR, src, ignore=shutil.ignore_patterns("__pycache__", "_build"))
    (src / BUILT_MARK).write_text("Built by tools/site.py; the next build replaces this folder.\n")
    books = {path: nbformat.read(path, as_version=4) for path in notebooks}
    anchors = {path.stem: heading_slugs(nb) for path, nb in books.items()}
    repo = repository()
    for path, nb in books.items():
        prepare(nb, path, anchors, repo)
        nbformat.write(nb, src / path.name)
    (src / "_toc.yml").write_text(
        "# Written by tools/site.py from the notebooks it was given; not committed.\n"
        + yaml.safe_dump(table_of_contents(notebooks), sort_keys=False), encoding="utf-8")

    command = [jupyter_book(), "build", str(src), "--builder", "html", "--warningiserror",
               "--keep-going", "--quiet"]
    result = subprocess.run(command, capture_output=True, text=True)
    if result.returncode != 0:
        raise SiteError(f"jupyter-book build failed (exit {result.returncode}):\n"
                        + (result.stderr.strip() or result.stdout.strip())[-4000:])

    shutil.copytree(src / "_build" / "html", out)
    (out / BUILT_MARK).write_text("Built by tools/site.py; the next build replaces this folder.\n")
    # Jupyter Book's index.html only redirects to the landing page: make it the landing
    # page itself (same folder, so its links hold), which opens without the redirect.
    shutil.copy(out / f"{notebooks[0].stem}.html", out / "index.html")
    shutil.copytree(Path(jupyter_server_mathjax.__file__).parent / "static",
                    out / "_static" / MATHJAX_DIR)
    # The download button serves the committed notebook, not the prepared copy.
    for path in notebooks:
        shutil.copy(path, out / "_sources" / path.name)
    plain_search_titles(out / "searchindex.js")
    for page in out.glob("*.html"):      # a title's math is read aloud and shown in tabs as raw TeX otherwise
        html_text = page.read_text(encoding="utf-8")
        titled = re.sub(r"<title>(.*?)</title>", lambda m: "<title>" + re.sub(
            r"\\\((.*?)\\\)", lambda t: tex_text(t.group(1)), m.group(1)) + "</title>", html_text, count=1, flags=re.S)
        if titled != html_text:
            page.write_text(titled, encoding="utf-8")
    return [out / f"{path.stem}.html" for path in notebooks]


MATH_SPAN = re.compile(r'<span class="math[^"]*">\\\((.*?)\\\)</span>')
TEX_TEXT = {r"\|": "\u2016", r"\Vert": "\u2016", r"\,": " ", r"\;": " "}


def tex_text(tex: str) -> str:
    """Inline TeX as plain text for a search result (``D(P\\|Q)`` -> ``D(P‖Q)``)."""
    for command, text in TEX_TEXT.items():
        tex = tex.replace(command, text)
    # a command keeps a space only beside a letter or digit it would run into (0 \log p, not \log_2)
    tex = re.sub(r"(?<=[A-Za-z0-9])\\(?=[A-Za-z])", " \\\\", tex)
    tex = re.sub(r"\\([A-Za-z]+)\s*(?=([A-Za-z0-9])?)", lambda m: m.group(1) + (" " if m.group(2) else ""), tex)
    tex = tex.replace("{", "").replace("}", "")
    return re.sub(r" {2,}", " ", tex).strip()


def plain_search_titles(index: Path) -> None:
    """Search results show page titles as text, so a title's math would show as raw
    TeX in HTML tags (``<span class="math">\\(D(P\\|Q)\\)</span>``): write it as plain text."""
    text = index.read_text(encoding="utf-8")
    start, end = text.index("(") + 1, text.rindex(")")
    data = json.loads(text[start:end])
    data["titles"] = [MATH_SPAN.sub(lambda m: tex_text(m.group(1)), t) for t in data["titles"]]
    # the section titles of the search results hold the math's TeX without its tags
    data["alltitles"] = {(tex_text(t) if "\\" in t else t): where
                         for t, where in data.get("alltitles", {}).items()}
    index.write_text(text[:start] + json.dumps(data, ensure_ascii=False) + text[end:], encoding="utf-8")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("notebooks", nargs="*", type=Path,
                        help="the notebooks to publish (default: every notebooks/NN_*.ipynb)")
    parser.add_argument("--out", type=Path, default=Path("build/site"))
    parser.add_argument("--src", type=Path, help="where the book's sources are assembled "
                        "(default: OUT-src beside --out)")
    args = parser.parse_args()
    started = time.monotonic()
    try:
        pages = build(args.notebooks or course_notebooks(), args.out, args.src)
    except SiteError as exc:
        print(f"site not built: {exc}", file=sys.stderr)
        return 1
    print(f"{len(pages)} notebook pages, search.html and index.html in {args.out}/ "
          f"in {time.monotonic() - started:.0f} s (open {args.out / 'index.html'})")
    return 0


if __name__ == "__main__":
    sys.exit(main())

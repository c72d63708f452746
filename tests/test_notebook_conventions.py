"""Every notebook opens on Binder and Colab, sets itself up on Colab, and describes its figures in words.

The notebooks are found by glob, so a new notebook is held to the same rules
as soon as it is added. Failures name the notebook and the cell.
"""

from __future__ import annotations

import re
from pathlib import Path

import nbformat
import pytest

import repository

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))
REPO, BRANCH = repository.current()     # site/_config.yml, the one setting (tools/repository.py)


def badge_line(name: str) -> str:
    """The exact Binder and Colab badge line of the notebook ``name``."""
    return (f"[![Open in Binder](https://mybinder.org/badge_logo.svg)]"
            f"(https://mybinder.org/v2/gh/{REPO}/{BRANCH}?urlpath=lab/tree/notebooks/{name}) "
            f"[![Open in Colab](https://colab.research.google.com/assets/colab-badge.svg)]"
            f"(https://colab.research.google.com/github/{REPO}/blob/{BRANCH}/notebooks/{name})")


def test_the_course_notebooks_are_found():
    assert len(NOTEBOOKS) >= 7, [p.name for p in NOTEBOOKS]
    assert NOTEBOOKS[0].name == "00_start_here.ipynb"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_first_cell_is_the_title_then_its_own_badges(path):
    first = nbformat.read(path, as_version=4).cells[0]
    lines = first.source.splitlines()
    assert first.cell_type == "markdown", f"{path.name}, cell 0: must be markdown"
    assert re.fullmatch(rf"# {path.name[:2]} · \S.*", lines[0]), \
        f"{path.name}, cell 0: first line must be '# {path.name[:2]} · Title', not {lines[0]!r}"
    assert badge_line(path.name) in lines, \
        f"{path.name}, cell 0: no line with exactly the Binder and Colab badges for {path.name}"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_second_cell_sets_up_colab_behind_a_guard(path):
    setup = nbformat.read(path, as_version=4).cells[1]
    where = f"{path.name}, cell 1 (the setup cell)"
    assert setup.cell_type == "code", f"{where}: must be a code cell"
    guard, _, rest = setup.source.partition('if "google.colab" in sys.modules:\n')
    assert "import sys" in guard and rest, f"{where}: no 'if \"google.colab\" in sys.modules:' guard"
    body = re.match(r"((?:    .*\n?)+)", rest)
    assert body, f"{where}: the Colab guard has no indented body"
    body = body.group(1)
    source = rf'"klteach @ git\+https://github.com/{re.escape(REPO)}@{re.escape(BRANCH)}"'
    assert re.search(rf"%pip install .*{source}", body), \
        f"{where}: the guard must install klteach from GitHub"
    assert "output.enable_custom_widget_manager()" in body, \
        f"{where}: the guard must call google.colab.output.enable_custom_widget_manager() for the explorers"


def _has_image(cell) -> bool:
    return any("image/png" in o.get("data", {}) or "image/svg+xml" in o.get("data", {})
               for o in cell.get("outputs", []))


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_every_figure_is_followed_by_its_description(path):
    cells = nbformat.read(path, as_version=4).cells
    missing = [i for i, cell in enumerate(cells)
               if cell.cell_type == "code" and _has_image(cell)
               and not (i + 1 < len(cells) and cells[i + 1].cell_type == "markdown"
                        and cells[i + 1].source.startswith("*Figure: "))]
    assert not missing, (f"{path.name}: code cell(s) {missing} show a figure but the next cell is not "
                         f"a markdown cell starting '*Figure: ' that describes it")


def _minutes(path: Path) -> int:
    match = re.search(r"About (\d+) minutes", nbformat.read(path, as_version=4).cells[0].source)
    assert match, f"{path.name}, cell 0: no 'About N minutes' line"
    return int(match.group(1))


def _table(text: str, prefix: str) -> dict[str, int]:
    """``{notebook file name: minutes}`` from a markdown table whose rows link ``prefix + NN_name.ipynb``."""
    rows = re.findall(rf"^\| \d\d \| \[[^\]]+\]\({re.escape(prefix)}(\d\d_\w+\.ipynb)\) \|.*\| about (\d+) min \|$",
                      text, re.M)
    return {name: int(minutes) for name, minutes in rows}


def test_start_here_and_readme_list_every_notebook_with_its_own_time():
    start = "\n".join(c.source for c in nbformat.read(ROOT / "notebooks/00_start_here.ipynb", as_version=4).cells
                      if c.cell_type == "markdown")
    in_start, in_readme = _table(start, ""), _table((ROOT / "README.md").read_text(), "notebooks/")
    for path in NOTEBOOKS:
        if path.name != "00_start_here.ipynb":
            assert in_start.get(path.name) == _minutes(path), \
                f"00_start_here.ipynb: the path table must list {path.name} with 'about {_minutes(path)} min'"
        assert in_readme.get(path.name) == _minutes(path), \
            f"README.md: the notebooks table must list {path.name} with 'about {_minutes(path)} min'"

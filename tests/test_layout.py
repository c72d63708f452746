"""Where things live: each notebook's helpers in its own module with its own tests, and no module
reaching into another's private names.

The rules (klteach/course/__init__.py describes them):

- every notebook NN (01 onwards) that calls ``exercises``, ``plots`` or ``widgets`` helpers has
  ``klteach/course/nbNN_<name>.py`` and ``tests/course/test_nbNN_<name>.py``; notebook 00, the
  orientation, only borrows notebook 01's ``check_kl``;
- each public helper lives in a shared course module or in the module of a notebook no later than
  the first one that calls it, and its docstring says where it is used ("Used in:");
- each module of a subpackage (``klteach/drift/binning.py``) has its test file
  (``tests/drift/test_binning.py``);
- a private name (``_x``) is imported only from a module meant for sharing them: an internal
  module (its name starts with ``_``: ``_validation``, ``_numerics``, ``drift/_common``) or the
  course's shared machinery (``course/feedback``, ``units``, ``style``, ``explorer``).
"""

from __future__ import annotations

import ast
import importlib
import json
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "klteach"
NOTEBOOKS = sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))
COURSE_SHARED = {"klteach.course.feedback", "klteach.course.units", "klteach.course.style",
                 "klteach.course.explorer"}
HELPER_CALL = re.compile(r"\b(exercises|plots|widgets)\.([A-Za-z_]\w*)")


def _code(path: Path) -> str:
    cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
    return "\n".join("".join(c["source"]) for c in cells if c["cell_type"] == "code")


def _first_use() -> dict[str, int]:
    """Public helper name -> number of the first notebook (01 onwards) that calls it."""
    first: dict[str, int] = {}
    for path in NOTEBOOKS:
        number = int(path.name[:2])
        if number == 0:
            continue
        for _, name in HELPER_CALL.findall(_code(path)):
            first.setdefault(name, number)
    return first


@pytest.mark.parametrize("path", [p for p in NOTEBOOKS if not p.name.startswith("00_")], ids=lambda p: p.stem)
def test_each_notebook_using_course_helpers_has_its_module_and_its_tests(path):
    if not HELPER_CALL.search(_code(path)):
        return
    stem = f"nb{path.stem}"
    assert (PACKAGE / "course" / f"{stem}.py").is_file(), f"klteach/course/{stem}.py is missing"
    assert (ROOT / "tests" / "course" / f"test_{stem}.py").is_file(), f"tests/course/test_{stem}.py is missing"


def test_each_public_helper_lives_no_later_than_its_first_notebook():
    first = _first_use()
    wrong = []
    for facade in ("exercises", "plots", "widgets"):
        module = importlib.import_module(f"klteach.{facade}")
        for name in module.__all__:
            homes = [m for m in _course_modules() if name in importlib.import_module(m).__all__]
            assert len(homes) == 1, f"{facade}.{name} is exported by {homes or 'no course module'}"
            home = homes[0]
            if home in COURSE_SHARED:
                continue
            match = re.fullmatch(r"klteach\.course\.nb(\d\d)_\w+", home)
            assert match, f"{facade}.{name} lives in {home}, neither a shared nor a notebook module"
            if name in first and int(match.group(1)) > first[name]:
                wrong.append(f"{name} in {home}, first used by notebook {first[name]:02d}")
    assert not wrong, "helpers placed after their first notebook: " + "; ".join(wrong)


def _course_modules() -> list[str]:
    return sorted(f"klteach.course.{p.stem}" for p in (PACKAGE / "course").glob("*.py") if p.stem != "__init__")


@pytest.mark.parametrize("module", [m for m in _course_modules() if m.split(".")[-1].startswith("nb")])
def test_notebook_modules_name_their_notebook_and_where_each_helper_is_used(module):
    mod = importlib.import_module(module)
    notebook = "notebooks/" + module.split(".")[-1][2:] + ".ipynb"
    assert (ROOT / notebook).is_file() and notebook in mod.__doc__
    missing = [name for name in mod.__all__
               if callable(getattr(mod, name)) and "Used in: " not in (getattr(mod, name).__doc__ or "")]
    assert not missing, f"{module}: no 'Used in:' line in the docstring of {missing}"


@pytest.mark.parametrize("package", ["drift", "course"])
def test_each_module_of_a_subpackage_has_its_test_file(package):
    missing = []
    for path in sorted((PACKAGE / package).glob("*.py")):
        if path.stem.startswith("_"):
            continue
        if not (ROOT / "tests" / package / f"test_{path.stem}.py").is_file() and not (
                package == "course" and path.stem in ("units", "explorer")):   # tested through every check / explorer
            missing.append(f"tests/{package}/test_{path.stem}.py")
    assert not missing, f"missing test files: {missing}"


def _module_name(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _resolve(current: str, is_package: bool, node: ast.ImportFrom) -> str:
    if not node.level:
        return node.module or ""
    base = current.split(".")
    if not is_package:
        base = base[:-1]
    base = base[:len(base) - (node.level - 1)]
    return ".".join(base + ([node.module] if node.module else []))


def _shares_private_names(module: str) -> bool:
    return module.split(".")[-1].startswith("_") or module in COURSE_SHARED


@pytest.mark.slow
def test_no_module_imports_another_modules_private_names():
    offences = []
    for path in sorted(PACKAGE.rglob("*.py")):
        current, is_package = _module_name(path), path.name == "__init__.py"
        tree = ast.parse(path.read_text(encoding="utf-8"))
        modules = {}   # names bound to klteach modules in this file
        for node in ast.walk(tree):
            if not isinstance(node, ast.ImportFrom):
                continue
            source = _resolve(current, is_package, node)
            for alias in node.names:
                if alias.name.startswith("_") and not alias.name.startswith("__") \
                        and source.startswith("klteach") and not _shares_private_names(source):
                    offences.append(f"{current}: from {source} import {alias.name}")
                if source.startswith("klteach"):
                    modules[alias.asname or alias.name] = f"{source}.{alias.name}"
        for node in ast.walk(tree):
            if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) \
                    and node.value.id in modules and node.attr.startswith("_") \
                    and not node.attr.startswith("__") and not _shares_private_names(modules[node.value.id]):
                offences.append(f"{current}: {node.value.id}.{node.attr}")
    assert not offences, "private names used outside their module: " + "; ".join(sorted(set(offences)))

"""The project's own files agree on what it depends on, and on which versions."""

from __future__ import annotations

import re
from importlib import metadata
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
COURSE = {"jupyterlab"}
TEST_TOOLS = {"pytest", "nbval", "hypothesis", "mpmath", "ipykernel", "nbclient"}
HOMEWORK = {"otter-grader"}   # Binder has it so students can run the homework's checks
NOT_LIBRARIES = {"python", "pip"}


def _name(spec: str) -> str:
    return re.split(r"[<>=!~ ;\[]", spec.strip(), maxsplit=1)[0].lower()


def runtime_from_pyproject() -> set[str]:
    """Runtime requirements of the installed klteach (built from pyproject.toml)."""
    return {_name(r) for r in metadata.requires("klteach") if "extra ==" not in r}


def yaml_list_items(path: Path) -> list[str]:
    """The ``- item`` entries of a conda environment file (including the pip list)."""
    text = path.read_text().split("dependencies:", 1)[1]
    items = []
    for line in text.splitlines():
        line = line.split("#", 1)[0].rstrip()
        m = re.match(r"^\s*-\s+(\S.*)$", line)
        if m and not m.group(1).endswith(":"):
            items.append(m.group(1).strip())
    return items


def pins(specs) -> dict[str, str]:
    return {_name(s): s.split("==", 1)[1].strip() for s in specs if "==" in s}


def constraints() -> dict[str, str]:
    lines = [l.split("#", 1)[0].strip() for l in (ROOT / "constraints.txt").read_text().splitlines()]
    return pins(l for l in lines if l)


def test_environment_files_list_the_same_runtime_dependencies():
    runtime = runtime_from_pyproject()
    assert runtime == {"numpy", "scipy", "matplotlib", "ipywidgets"}
    for env in ("environment.yml", "binder/environment.yml"):
        names = {_name(s) for s in yaml_list_items(ROOT / env)} - NOT_LIBRARIES
        assert names - COURSE - TEST_TOOLS - HOMEWORK == runtime, env
        assert COURSE <= names, f"{env} must provide JupyterLab for the course"


def test_binder_pins_are_the_tested_versions():
    binder = pins(yaml_list_items(ROOT / "binder/environment.yml"))
    assert binder == constraints()
    assert "python=3.11" in yaml_list_items(ROOT / "binder/environment.yml")
    assert HOMEWORK <= set(binder), "Binder must provide otter-grader for the homework notebooks"


@pytest.mark.parametrize("package", sorted(constraints()))
def test_this_test_run_uses_the_pinned_versions(package):
    assert metadata.version(package) == constraints()[package]


def test_postbuild_installs_the_checkout():
    text = (ROOT / "binder/postBuild").read_text()
    assert "set -euo pipefail" in text
    assert re.search(r"pip install[^\n]* \.\s*$", text, re.M)


def test_ci_runs_the_readme_test_command():
    assert "make test" in (ROOT / ".ci/run").read_text()
    readme = (ROOT / "README.md").read_text()
    assert "make test" in readme and "make lab" in readme

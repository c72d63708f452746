"""The project's own files agree on what it depends on, and on which versions."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from importlib import metadata
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
COURSE = {"jupyterlab", "duckdb"}   # duckdb: notebook 06 counts a Parquet table with it
TEST_TOOLS = {"pytest", "nbval", "hypothesis", "mpmath", "ipykernel", "nbclient",
              "jupyter-repo2docker", "jupyter-book", "jupyter-server-mathjax"}
# Binder's base image ships the classic notebook server; binder/ pins a version that
# accepts our JupyterLab, and the test run installs it too (see test_server_set_resolves).
SERVER = {"notebook"}
# Pinned in constraints.txt for make test / make e2e, never installed on Binder.
CHECK_TOOLS = {"jupyter-repo2docker", "jupyter-server-mathjax", "playwright", "axe-playwright-python",
               # the site builder (make site) and the Sphinx stack it runs
               "jupyter-book", "sphinx", "docutils", "myst-nb", "myst-parser", "sphinx-book-theme",
               "pydata-sphinx-theme", "sphinx-external-toc",
               # Spark local mode for the engine tests (tests/drift/test_sql.py); it needs Java
               "pyspark",
               # the linter (make lint)
               "ruff"}
# Binder has it so students can run the homework's checks.
HOMEWORK = {"otter-grader"}
NOT_LIBRARIES = {"python", "pip"}
# conda-forge's name for matplotlib without its Qt GUI stack.
CONDA_NAMES = {"matplotlib-base": "matplotlib"}


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
        names = {CONDA_NAMES.get(_name(s), _name(s)) for s in yaml_list_items(ROOT / env)} - NOT_LIBRARIES
        assert names - COURSE - TEST_TOOLS - HOMEWORK - SERVER == runtime, env
        assert COURSE <= names, f"{env} must provide JupyterLab for the course"


def test_binder_pins_are_the_tested_versions():
    binder = pins(yaml_list_items(ROOT / "binder/environment.yml"))
    assert binder == {name: version for name, version in constraints().items()
                      if name not in CHECK_TOOLS}
    assert set(constraints()) - set(binder) == CHECK_TOOLS
    assert "python=3.11" in yaml_list_items(ROOT / "binder/environment.yml")
    assert HOMEWORK <= set(binder), "Binder must provide otter-grader for the homework notebooks"


# playwright and axe-playwright-python are installed by make e2e, after pytest (pip -c
# constraints.txt pins them there).
@pytest.mark.parametrize("package", sorted(set(constraints()) - {"playwright", "axe-playwright-python"}))
def test_this_test_run_uses_the_pinned_versions(package):
    assert metadata.version(package) == constraints()[package]


@pytest.mark.skipif(not os.environ.get("CI"),
                    reason="CI runs Binder's Python; locally, any supported Python may run the tests")
def test_ci_runs_binders_python():
    binder_python = next(item.split("=", 1)[1] for item in
                         yaml_list_items(ROOT / "binder/environment.yml") if item.startswith("python="))
    assert f"{sys.version_info.major}.{sys.version_info.minor}" == binder_python


@pytest.fixture(scope="module")
def binder_recipe(tmp_path_factory):
    """repo2docker's ``--no-build`` run on a clean copy of the tracked files: (stdout, stderr).

    stdout is the image recipe (a Dockerfile) Binder would build; stderr says
    which environment repo2docker detected. No Docker is needed, and none is
    reachable (DOCKER_HOST points nowhere).
    """
    listed = subprocess.run(["git", "ls-files", "-z"], cwd=ROOT, capture_output=True)
    if listed.returncode != 0:
        pytest.skip("not a git checkout: the Binder check copies the tracked files")
    copy = tmp_path_factory.mktemp("binder") / "repo"
    for name in filter(None, listed.stdout.decode().split("\0")):
        if (ROOT / name).is_file():   # tracked files deleted in the working tree are not copied
            (copy / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(ROOT / name, copy / name)
    repo2docker = Path(sys.executable).with_name("jupyter-repo2docker")
    result = subprocess.run(
        [str(repo2docker), "--no-build", str(copy)], cwd=copy.parent, capture_output=True,
        text=True, timeout=300, env=dict(os.environ, DOCKER_HOST="unix:///nonexistent/docker.sock"))
    assert result.returncode == 0, result.stderr
    return result.stdout, result.stderr


def test_repo2docker_builds_binder_environment_with_python_311(binder_recipe):
    recipe, log = binder_recipe
    assert "Building conda environment for python=3.11" in log
    assert re.search(r"^COPY \S+ src/binder/environment\.yml ", recipe, re.M)
    assert '--file "binder/environment.yml"' in recipe
    # binder/ present: the top-level environment.yml is ignored
    assert "src/environment.yml" not in recipe


def test_repo2docker_runs_postbuild_on_the_checkout(binder_recipe):
    recipe, _ = binder_recipe
    steps = recipe.splitlines()
    copy_checkout = next(i for i, line in enumerate(steps) if re.match(r"^COPY \S+ src/ ", line))
    assert "RUN ./binder/postBuild" in steps[copy_checkout:]   # after the checkout is in the image


def test_postbuild_installs_the_checkout():   # the postBuild that the recipe runs
    text = (ROOT / "binder/postBuild").read_text()
    assert "set -euo pipefail" in text
    assert re.search(r"pip install[^\n]* \.\s*$", text, re.M)


def test_server_set_resolves():
    """The pinned JupyterLab, notebook server and their dependencies agree (pip check).

    repo2docker's base environment for Binder already holds notebook, jupyterlab and
    jupyter_server; binder/environment.yml must pin each of them that its pins could
    conflict with, and the test run, which has the same pins, must pass pip check.
    """
    import repo2docker

    lock = Path(repo2docker.__file__).parent / "buildpacks/conda/environment.py-3.11.yml"
    base = {_name(item) for item in yaml_list_items(lock)}
    binder = pins(yaml_list_items(ROOT / "binder/environment.yml"))
    assert {"notebook", "jupyterlab"} & base <= set(binder), \
        "Binder's base image has the notebook server and JupyterLab: pin both together"
    check = subprocess.run([sys.executable, "-m", "pip", "check"], capture_output=True, text=True)
    assert check.returncode == 0, check.stdout + check.stderr


def test_make_refuses_an_old_python_in_one_line(tmp_path):
    """make names the Python it needs before it installs anything."""
    fake = tmp_path / "python3.10"
    fake.write_text("#!/bin/sh\n"
                    "case \"$*\" in *--version*) echo 'Python 3.10.12';; *) exit 1;; esac\n")
    fake.chmod(0o755)
    result = subprocess.run(["make", "--no-print-directory", "lab",
                             f"PYTHON={fake}", f"VENV={tmp_path / 'venv'}"],
                            cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert result.returncode != 0
    assert "klteach needs Python 3.11 or newer; " in result.stdout
    assert "Python 3.10.12" in result.stdout
    assert not (tmp_path / "venv").exists()


def test_ci_runs_the_readme_test_command():
    assert "make test" in (ROOT / ".ci/run").read_text()
    readme = (ROOT / "README.md").read_text()
    assert "make test" in readme and "make lab" in readme

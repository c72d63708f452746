"""Every example in the README runs as written.

Python blocks are doctests (``>>>`` lines with their output); shell blocks are
checked for the commands and files they name, since running them would install
packages.
"""

from __future__ import annotations

import doctest
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
README = (ROOT / "README.md").read_text()


def blocks(language: str) -> list[str]:
    return re.findall(rf"```{language}\n(.*?)```", README, re.S)


def test_the_readme_has_python_examples():
    assert blocks("python"), "the README's library examples are ```python blocks"


@pytest.mark.parametrize("number", range(len(blocks("python"))))
def test_python_example_runs_as_written(number):
    text = blocks("python")[number]
    assert ">>>" in text, "write README examples as doctests (>>> lines and their output)"
    test = doctest.DocTestParser().get_doctest(text, {}, f"README python block {number + 1}", "README.md", 0)
    runner = doctest.DocTestRunner(optionflags=doctest.NORMALIZE_WHITESPACE)
    runner.run(test)
    assert runner.failures == 0, f"README python block {number + 1} does not run as written (see output above)"


def test_shell_examples_name_files_that_exist():
    for block in blocks("bash"):
        for name in re.findall(r"(?:-f |-c |tools/|\s)([\w./-]+\.(?:yml|txt|py|ipynb))\b", block):
            if "*" in name or name.startswith(("grades-", "submissions")):
                continue
            candidates = [ROOT / name, ROOT / "tools" / name]
            assert any(c.exists() for c in candidates), f"README shell example names {name}, which does not exist"


def test_pip_path_installs_what_the_tests_need():
    pyproject = (ROOT / "pyproject.toml").read_text()
    extras = set(re.findall(r"^(\w+) = \[", pyproject.split("[project.optional-dependencies]")[1]
                            .split("[tool")[0], re.M))
    needed = extras - {"browser"}   # the browser extra is make e2e's, installed by make
    assert any(set(m.split(",")) >= needed for m in re.findall(r'pip install -e "\.\[([\w,]+)\]"', README)), \
        f"the README's pip path must show an install with the extras the tests use: {sorted(needed)}"

"""The repository is named in one setting, every link agrees with it, and one command re-points them all."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

import repository

ROOT = Path(__file__).resolve().parents[1]
# Where learners and instructors meet the links: notebooks, homework, the README, the site, Binder. (The
# instructor's guide, homework/README.md, shows links of a student repository by design.)
USER_FACING = (sorted((ROOT / "notebooks").glob("*.ipynb")) + sorted((ROOT / "homework").glob("hw*.ipynb"))
               + [ROOT / "README.md"] + sorted((ROOT / "site").rglob("*.yml"))
               + sorted((ROOT / "binder").iterdir()))


def test_the_setting_names_a_repository_and_a_branch():
    repo, branch = repository.current()
    assert repository.NAME.fullmatch(repo) and repository.BRANCH.fullmatch(branch)


@pytest.mark.parametrize("path", USER_FACING, ids=lambda p: str(p.relative_to(ROOT)))
def test_every_link_names_the_repository_of_the_setting(path):
    repo, branch = repository.current()
    found = repository.links(path.read_text(encoding="utf-8"))
    wrong = [(r, b) for r, b in found if r != repo or (b is not None and b != branch)]
    assert not wrong, f"{path.name} links {wrong}; the setting says {repo} on {branch} (tools/repository.py set)"


def test_every_notebook_links_the_repository():
    for path in sorted((ROOT / "notebooks").glob("*.ipynb")):
        assert len(repository.links(path.read_text(encoding="utf-8"))) >= 2, path.name   # Binder and Colab


@pytest.fixture(scope="module")
def fork(tmp_path_factory):
    """A copy of the tracked files, as a git checkout, re-pointed with the documented command."""
    root = tmp_path_factory.mktemp("fork")
    for path in repository.tracked_text_files(ROOT):
        target = root / path.relative_to(ROOT)
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(path, target)
    shutil.copy(Path(repository.__file__), root / "tools" / "repository.py")   # the command itself
    subprocess.run(["git", "init", "-q"], cwd=root, check=True)
    subprocess.run(["git", "add", "-A"], cwd=root, check=True)
    result = subprocess.run([sys.executable, str(root / "tools" / "repository.py"), "set", "my-course/kl-fork",
                             "--branch", "spring"], cwd=root, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    return root


def test_set_re_points_the_setting_and_every_link_and_leaves_no_old_name(fork):
    old, _ = repository.current()
    assert repository.current(fork / "site" / "_config.yml") == ("my-course/kl-fork", "spring")
    leftover = []
    for path in repository.tracked_text_files(fork):
        text = path.read_text(encoding="utf-8")
        if repository.rewrite(text, old, "x/y") != text:        # the old name, as a whole name, anywhere
            leftover.append(str(path.relative_to(fork)))
    for path in USER_FACING:
        for repo, branch in repository.links((fork / path.relative_to(ROOT)).read_text(encoding="utf-8")):
            assert repo == "my-course/kl-fork" and branch in (None, "spring"), (path, repo, branch)
    assert not leftover, f"still naming {old} after set: {leftover}"
    for nb in (fork / "notebooks").glob("*.ipynb"):
        json.loads(nb.read_text(encoding="utf-8"))                # still valid notebooks


def test_set_refuses_a_name_github_cannot_have(tmp_path):
    result = subprocess.run([sys.executable, str(ROOT / "tools" / "repository.py"), "set", "no-slash"],
                            capture_output=True, text=True, timeout=60)
    assert result.returncode == 2 and "OWNER/NAME" in result.stderr and "Traceback" not in result.stderr

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
USER_FACING = repository.user_facing(ROOT)


def test_the_setting_names_a_repository_and_a_branch():
    repo, branch = repository.current()
    assert repository.NAME.fullmatch(repo) and repository.BRANCH.fullmatch(branch)


@pytest.mark.parametrize("path", USER_FACING, ids=lambda p: str(p.relative_to(ROOT)))
def test_every_link_names_the_repository_of_the_setting(path):
    repo, branch = repository.current()
    found = repository.links(path.read_text(encoding="utf-8"))
    wrong = [(r, b) for r, b in found if r != repo or b != branch]   # every link opens the setting's branch
    assert not wrong, f"{path.name} links {wrong}; the setting says {repo} on {branch} (tools/repository.py set)"


def test_every_notebook_links_the_repository():
    for path in sorted((ROOT / "notebooks").glob("*.ipynb")):
        assert len(repository.links(path.read_text(encoding="utf-8"))) >= 2, path.name   # Binder and Colab


@pytest.fixture(scope="module")
def fork(tmp_path_factory):
    """A copy of the tracked files, as a git checkout, re-pointed with the documented command."""
    root = copy_of_checkout(tmp_path_factory.mktemp("fork"))
    subprocess.run(["git", "init", "-q"], cwd=root, check=True)
    subprocess.run(["git", "add", "-A"], cwd=root, check=True)
    result = repoint(root, "my-course/kl-fork", "spring")
    assert result.returncode == 0, result.stderr
    return root


def copy_of_checkout(root: Path) -> Path:
    for path in repository.tracked_text_files(ROOT):
        target = root / path.relative_to(ROOT)
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(path, target)
    shutil.copy(Path(repository.__file__), root / "tools" / "repository.py")   # the command itself
    return root


def repoint(root: Path, repo: str, branch: str | None = None):
    return subprocess.run([sys.executable, str(root / "tools" / "repository.py"), "set", repo]
                          + (["--branch", branch] if branch else []),
                          cwd=root, capture_output=True, text=True, timeout=120)


def course_links(root: Path) -> set:
    return {link for path in repository.user_facing(root)
            for link in repository.links(path.read_text(encoding="utf-8"))}


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
            assert repo == "my-course/kl-fork" and branch == "spring", (path, repo, branch)
    assert not leftover, f"still naming {old} after set: {leftover}"
    for nb in (fork / "notebooks").glob("*.ipynb"):
        json.loads(nb.read_text(encoding="utf-8"))                # still valid notebooks


def test_set_refuses_a_name_github_cannot_have(tmp_path):
    result = subprocess.run([sys.executable, str(ROOT / "tools" / "repository.py"), "set", "no-slash"],
                            capture_output=True, text=True, timeout=60)
    assert result.returncode == 2 and "OWNER/NAME" in result.stderr and "Traceback" not in result.stderr


def test_set_repairs_links_left_behind_by_a_hand_edit_of_the_setting(tmp_path):
    """Someone edits the setting by hand first (the links still name the old repository): set moves them all."""
    root = copy_of_checkout(tmp_path)
    setting = root / "site" / "_config.yml"
    old, _ = repository.current(setting)
    setting.write_text(setting.read_text(encoding="utf-8").replace(f"github.com/{old}", "github.com/hand/edited"),
                       encoding="utf-8")
    result = repoint(root, "my-course/kl-fork", "fall")
    assert result.returncode == 0, result.stderr
    assert course_links(root) == {("my-course/kl-fork", "fall")}


def test_set_works_on_a_download_without_git(tmp_path):
    root = copy_of_checkout(tmp_path)      # no git init: a zip download of the repository
    result = repoint(root, "someone/kl", "dev")
    assert result.returncode == 0 and "Traceback" not in result.stderr, result.stderr
    assert course_links(root) == {("someone/kl", "dev")}
    assert repository.current(root / "site" / "_config.yml") == ("someone/kl", "dev")

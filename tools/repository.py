"""The repository the course lives in, named in one place, and the command that re-points every link at a fork.

Usage:
    python tools/repository.py                          # print owner/name and branch
    python tools/repository.py set OWNER/NAME [--branch BRANCH]

The one setting is ``repository:`` in ``site/_config.yml`` (``url:`` and
``branch:``), which the site's launch buttons read. Every other file that
needs the repository spells it out, because a link must work where the
file is read (a notebook's Binder and Colab badges on GitHub, the Colab
install line, the README, the homework's autograder requirements). ``set``
rewrites all of them, and the setting, in every file git tracks; the tests
check that every link agrees with the setting (``tests/test_repository.py``).
``make repoint REPO=owner/name BRANCH=main`` runs it.
"""

from __future__ import annotations

import argparse
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SETTING = ROOT / "site" / "_config.yml"
NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9-]{0,38}/[A-Za-z0-9._-]{1,100}$")
BRANCH = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._/-]{0,99}$")
_URL = re.compile(r"^repository:\n(?:[ \t]+.*\n)*?[ \t]+url:[ \t]*https://github\.com/(\S+?)/?[ \t]*$", re.M)
_BRANCH = re.compile(r"^repository:\n(?:[ \t]+.*\n)*?[ \t]+branch:[ \t]*(\S+)[ \t]*$", re.M)
# The links that name the course's repository, with the part that names it as group "repo"
# (and, for Colab, the branch as group "branch").
LINKS = (
    re.compile(r"mybinder\.org/v2/gh/(?P<repo>[A-Za-z0-9-]+/[A-Za-z0-9._-]+?)/"),
    re.compile(r"colab\.research\.google\.com/github/(?P<repo>[A-Za-z0-9-]+/[A-Za-z0-9._-]+?)/blob/"
               r"(?P<branch>[A-Za-z0-9._-]+)/"),
    re.compile(r"klteach @ git\+https://github\.com/(?P<repo>[A-Za-z0-9-]+/[A-Za-z0-9._-]+?)(?=[@\"'\s]|$)"),
)
TEXT_SUFFIXES = {".ipynb", ".md", ".yml", ".yaml", ".toml", ".py", ".txt", ".cfg", ".in", ""}


class RepositoryError(ValueError):
    """A setting that is missing or a name that cannot be a GitHub repository."""


def current(setting: Path = SETTING) -> tuple[str, str]:
    """``(owner/name, branch)`` from ``site/_config.yml``'s ``repository:`` block."""
    text = setting.read_text(encoding="utf-8")
    url, branch = _URL.search(text), _BRANCH.search(text)
    if url is None or branch is None:
        raise RepositoryError(f"{setting} has no 'repository:' block with 'url: https://github.com/OWNER/NAME' "
                              f"and 'branch: BRANCH'; add one (see the comment in that file).")
    return url.group(1), branch.group(1)


def links(text: str) -> list[tuple[str, str | None]]:
    """Every ``(owner/name, branch or None)`` that a Binder, Colab or pip-install link in ``text`` names.

    >>> links("[b](https://mybinder.org/v2/gh/me/kl/HEAD?urlpath=lab) github/me/kl/blob/dev/a.ipynb")
    [('me/kl', None)]
    >>> links("https://colab.research.google.com/github/me/kl/blob/dev/a.ipynb")
    [('me/kl', 'dev')]
    """
    found = []
    for pattern in LINKS:
        for m in pattern.finditer(text):
            found.append((m.group("repo"), m.groupdict().get("branch")))
    return found


def rewrite(text: str, old: str, new: str, branch: str | None = None, old_branch: str | None = None) -> str:
    """``text`` with the repository ``old`` renamed ``new`` wherever it appears as a whole name,
    and its ``blob/old_branch/`` links (Colab, GitHub) made ``blob/branch/``.

    >>> rewrite("gh/klteach/klteach/HEAD and github/klteach/klteach/blob/main/x", "klteach/klteach", "me/kl", "dev", "main")
    'gh/me/kl/HEAD and github/me/kl/blob/dev/x'
    >>> rewrite("klteach/klteach-students", "klteach/klteach", "me/kl")     # another repository: left alone
    'klteach/klteach-students'
    """
    text = re.sub(rf"(?<![A-Za-z0-9_.-]){re.escape(old)}(?![A-Za-z0-9_-])", new, text)
    if branch is not None and old_branch is not None and branch != old_branch:
        text = re.sub(rf"(github(?:\.com)?/{re.escape(new)}/(?:blob|tree)/){re.escape(old_branch)}/",
                      rf"\g<1>{branch}/", text)
    return text


def tracked_text_files(root: Path = ROOT) -> list[Path]:
    """The files git tracks under ``root`` that are text the links can live in."""
    listed = subprocess.run(["git", "ls-files", "-z"], cwd=root, capture_output=True, text=True, check=True)
    paths = [root / p for p in listed.stdout.split("\0") if p]
    return [p for p in paths if p.suffix in TEXT_SUFFIXES and p.is_file() and not p.is_symlink()]


def set_repository(new: str, branch: str | None = None, root: Path = ROOT) -> list[Path]:
    """Point the setting and every link in the tracked files at ``new`` (and ``branch``); return the files changed."""
    if not NAME.fullmatch(new):
        raise RepositoryError(f"{new!r} is not a GitHub repository name: give OWNER/NAME, e.g. my-course/klteach.")
    if branch is not None and not BRANCH.fullmatch(branch):
        raise RepositoryError(f"{branch!r} is not a branch name git accepts here; use e.g. main.")
    old, old_branch = current(root / "site" / "_config.yml")
    branch = branch or old_branch
    changed = []
    for path in tracked_text_files(root):
        try:
            text = path.read_text(encoding="utf-8")
        except UnicodeDecodeError:
            continue
        updated = rewrite(text, old, new, branch, old_branch)
        if path == root / "site" / "_config.yml":
            updated = re.sub(r"^([ \t]+branch:[ \t]*)\S+", rf"\g<1>{branch}", updated, count=1, flags=re.M)
        if updated != text:
            path.write_text(updated, encoding="utf-8")
            changed.append(path)
    return changed


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command")
    to = sub.add_parser("set", help="re-point the setting and every link at another repository")
    to.add_argument("repo", help="OWNER/NAME on GitHub")
    to.add_argument("--branch", help="the branch Colab links open (default: keep the current one)")
    args = parser.parse_args(argv)
    try:
        if args.command == "set":
            changed = set_repository(args.repo, args.branch)
            repo, branch = current()
            print(f"now {repo} (branch {branch}): {len(changed)} files changed"
                  + "".join(f"\n  {p.relative_to(ROOT)}" for p in changed))
        else:
            repo, branch = current()
            print(f"{repo} (branch {branch}), set in {SETTING.relative_to(ROOT)}")
    except RepositoryError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())

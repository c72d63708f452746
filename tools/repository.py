"""The repository the course lives in, named in one place, and the command that re-points every link at a fork.

Usage:
    python tools/repository.py                          # print owner/name and branch
    python tools/repository.py set OWNER/NAME [--branch BRANCH]

The one setting is ``repository:`` in ``site/_config.yml`` (``url:`` and
``branch:``), which the site's launch buttons read. Every other file that
needs the repository spells it out, because a link must work where the
file is read (a notebook's Binder and Colab badges on GitHub, the Colab
install line, the README, the homework's autograder requirements). ``set``
rewrites all of them, and the setting, in every file of the checkout: it
renames the setting's repository and any other one the course's links name
(so a hand-edited setting is repaired too), and points every Binder, Colab
and pip-install link at the branch. Change the repository with this command,
not by hand; the tests check that every link agrees with the setting
(``tests/test_repository.py``). ``make repoint TO=owner/name BRANCH=main``
runs it.
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
# and the branch (or other git ref) they open as group "branch".
_REPO = r"(?P<repo>[A-Za-z0-9][A-Za-z0-9-]*/[A-Za-z0-9._-]+?)"
LINKS = (
    re.compile(rf"mybinder\.org/v2/gh/{_REPO}/(?P<branch>[A-Za-z0-9._-]+)(?=[?/\s\"')\\]|$)"),
    re.compile(rf"colab\.research\.google\.com/github/{_REPO}/blob/(?P<branch>[A-Za-z0-9._-]+)/"),
    re.compile(rf"klteach @ git\+https://github\.com/{_REPO}(?:@(?P<branch>[A-Za-z0-9._/-]+?))?(?=[\"'\s\\]|$)"),
)
# Where learners and instructors meet the links (homework/README.md shows a student repository's links
# by design, so it is not among them).
USER_FACING = ("notebooks/*.ipynb", "homework/hw*.ipynb", "README.md", "site/*.yml", "binder/*")
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
    [('me/kl', 'HEAD')]
    >>> links('https://colab.research.google.com/github/me/kl/blob/dev/a.ipynb "klteach @ git+https://github.com/me/kl"')
    [('me/kl', 'dev'), ('me/kl', None)]
    """
    found = []
    for pattern in LINKS:
        for m in pattern.finditer(text):
            found.append((m.group("repo"), m.group("branch")))
    return found


def rewrite(text: str, old: str | set[str], new: str, branch: str | None = None) -> str:
    """``text`` with the repositories ``old`` renamed ``new`` wherever they appear as a whole name,
    and every Binder, Colab and pip-install link of ``new`` opening ``branch``.

    >>> rewrite("mybinder.org/v2/gh/some/course/HEAD?x github/some/course/blob/main/x", "some/course", "me/kl", "dev")
    'mybinder.org/v2/gh/me/kl/dev?x github/me/kl/blob/dev/x'
    >>> rewrite('"klteach @ git+https://github.com/some/course"', "some/course", "me/kl", "dev")
    '"klteach @ git+https://github.com/me/kl@dev"'
    >>> rewrite("some/course-students", "some/course", "me/kl")     # another repository: left alone
    'some/course-students'
    """
    for name in sorted({old} if isinstance(old, str) else set(old), key=len, reverse=True):
        if name != new:
            text = re.sub(rf"(?<![A-Za-z0-9_.-]){re.escape(name)}(?![A-Za-z0-9_-])", new, text)
    if branch is None:
        return text
    binder, colab, pip = LINKS
    ours = rf"(?={re.escape(new)}(?![A-Za-z0-9._-]))"
    text = re.sub(rf"(mybinder\.org/v2/gh/{ours}{re.escape(new)}/)[A-Za-z0-9._-]+(?=[?/\s\"')\\]|$)",
                  rf"\g<1>{branch}", text)
    text = re.sub(rf"(github(?:\.com)?/{ours}{re.escape(new)}/(?:blob|tree)/)[A-Za-z0-9._-]+/",
                  rf"\g<1>{branch}/", text)
    text = re.sub(rf"(klteach @ git\+https://github\.com/{ours}{re.escape(new)})(?:@[A-Za-z0-9._/-]+?)?(?=[\"'\s\\]|$)",
                  rf"\g<1>@{branch}", text)
    return text


# Never rewritten: environments, builds and git's own files (a checkout without git is walked instead).
_SKIP = {".git", ".venv", ".venv-oldest", "build", "node_modules", "__pycache__", "dist", ".ipynb_checkpoints"}


def tracked_text_files(root: Path = ROOT) -> list[Path]:
    """The files of the checkout under ``root`` (those git tracks, or every file outside
    environments and builds when there is no git) that are text the links can live in."""
    try:
        listed = subprocess.run(["git", "ls-files", "-z"], cwd=root, capture_output=True, text=True, check=True)
        paths = [root / p for p in listed.stdout.split("\0") if p]
    except (OSError, subprocess.CalledProcessError):   # a download without .git, or no git installed
        paths = [p for p in root.rglob("*") if not _SKIP.intersection(p.relative_to(root).parts)]
    return [p for p in paths if p.suffix in TEXT_SUFFIXES and p.is_file() and not p.is_symlink()]


def user_facing(root: Path = ROOT) -> list[Path]:
    """The files whose links learners and instructors follow (see ``USER_FACING``)."""
    return sorted(p for pattern in USER_FACING for p in root.glob(pattern) if p.is_file())


def set_repository(new: str, branch: str | None = None, root: Path = ROOT) -> list[Path]:
    """Point the setting and every link in the checkout at ``new`` (and ``branch``); return the files changed."""
    if not NAME.fullmatch(new):
        raise RepositoryError(f"{new!r} is not a GitHub repository name: give OWNER/NAME, e.g. my-course/klteach.")
    if branch is not None and not BRANCH.fullmatch(branch):
        raise RepositoryError(f"{branch!r} is not a branch name git accepts here; use e.g. main.")
    setting = root / "site" / "_config.yml"
    old, old_branch = current(setting)
    branch = branch or old_branch
    # the setting's name, and any other the course's links name (a setting edited by hand)
    names = {old} | {repo for path in user_facing(root)
                     for repo, _ in links(path.read_text(encoding="utf-8", errors="replace"))}
    changed = []
    for path in tracked_text_files(root):
        try:
            text = path.read_text(encoding="utf-8")
        except UnicodeDecodeError:
            continue
        updated = rewrite(text, names, new, branch)
        if path == setting:
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
    to.add_argument("--branch", help="the branch every Binder, Colab and install link opens "
                                     "(default: keep the current one)")
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

"""Build the student release: a self-contained tree to push as a separate, public repository.

Usage:
    python tools/release.py --out build/student-release --repo OWNER/NAME --ref hw-2026-1

The course's own repository holds every answer by design (the masters of the
assignments, the notebooks' collapsed solutions, the tests). The tree written
here holds only what students need:

- ``homework/hwNN_topic.ipynb``: the student copies ``otter assign`` writes
  (answers replaced by ``...``, public tests only; assigned afresh into a
  temporary folder, so an old ``homework/dist/`` cannot leak into it);
- ``notebooks/NN_*.ipynb``: the course notebooks without their
  ``<details><summary>Solution`` blocks (``tools/homework.py student``);
- ``klteach/`` with its data, ``pyproject.toml``, ``constraints.txt``,
  ``environment.yml``, ``LICENSE``: ``pip install .`` works;
- ``binder/``: Binder builds the same environment as the course's;
- ``README.md`` for students: how to open the notebooks and how to hand in.

Every Binder and Colab link, and the Colab cells' ``pip install`` of klteach,
are rewritten to point at ``--repo`` at ``--ref``. The build fails if any
file of the tree contains a marker of a solution or a hidden test, and before
writing anything if a course notebook's printed output gives two or more of an
assignment's hidden reference values (``--allow-reused NAME`` releases it anyway),
or if an assignment's student copy states one of its own hidden reference values
in a cell's text, a stored output or a public test (``--allow-stated NAME``).
"""

from __future__ import annotations

import argparse
import json
import re
import shutil
import sys
import tempfile
from pathlib import Path

import nbformat

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tools"))

import homework  # noqa: E402

COURSE_REPO = "klteach/klteach"
PLACEHOLDER_REPO = "YOUR-GITHUB-ACCOUNT/klteach-students"
PLACEHOLDER_REF = "main"

# Text that only a master, an autograder copy or a solution contains. (Student copies keep otter's
# "<!-- BEGIN QUESTION -->" around written questions, and notebook 01 keeps its collapsed answers to
# the explorer's questions: neither is a solution of an exercise or an assignment.)
# "hidden: true" marks a hidden test in otter's doctest format, "hidden=True" in its exception format.
FORBIDDEN = ("# SOLUTION", "BEGIN SOLUTION", "END SOLUTION", "# HIDDEN", "hidden: true", "hidden=True", "BEGIN TESTS",
             "ASSIGNMENT CONFIG", "<summary>Solution")
# Copied as they are (the package is copied file by file below, without caches).
TOP_FILES = ("pyproject.toml", "constraints.txt", "environment.yml", "LICENSE")
REPO_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9-]{0,38}/[A-Za-z0-9._-]{1,100}$")
REF_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._/-]{0,99}$")


class ReleaseError(ValueError):
    """A release that would leak answers, or options that cannot make working links."""


def rewrite_links(text: str, repo: str, ref: str) -> str:
    """Point every Binder, Colab and GitHub link of the course repository at ``repo`` at ``ref``.

    >>> rewrite_links("https://mybinder.org/v2/gh/klteach/klteach/main?urlpath=lab", "me/hw", "hw-1")
    'https://mybinder.org/v2/gh/me/hw/hw-1?urlpath=lab'
    >>> rewrite_links("colab.research.google.com/github/klteach/klteach/blob/main/n.ipynb", "me/hw", "t")
    'colab.research.google.com/github/me/hw/blob/t/n.ipynb'
    >>> rewrite_links('"klteach @ git+https://github.com/klteach/klteach@main"', "me/hw", "t")
    '"klteach @ git+https://github.com/me/hw@t"'
    """
    course = re.escape(COURSE_REPO)
    text = re.sub(rf"mybinder\.org/v2/gh/{course}/[^?/\s)\"']+", f"mybinder.org/v2/gh/{repo}/{ref}", text)
    text = re.sub(rf"colab\.research\.google\.com/github/{course}/blob/[^/\s)\"']+",
                  f"colab.research.google.com/github/{repo}/blob/{ref}", text)
    text = re.sub(rf"git\+https://github\.com/{course}(?:@[^\s\"']+)?", f"git+https://github.com/{repo}@{ref}", text)
    return re.sub(rf"github\.com/{course}\b", f"github.com/{repo}", text)


# otter assign's text above grader.check_all(), which runs the public checks only (the hidden tests are not
# in the student copy); and the course notebooks' section for instructors, whose guide is not released.
OTTER_CHECK_ALL, CHECK_ALL = homework.OTTER_CHECK_ALL, homework.CHECK_ALL
INSTRUCTORS = re.compile(r"^## For instructors\n.*?(?=^## |\Z)", re.S | re.M)


def for_students(text: str) -> str:
    """A notebook cell's text as students get it: otter's check_all text made true, no section for instructors.

    >>> for_students("To double-check your work, the cell below will rerun all of the autograder tests.")
    'To double-check your work, the cell below will rerun the public checks (they check the form of your answers only).'
    >>> for_students("## For instructors\\n\\nRun make homework.\\n\\n## Next\\n\\nGo on.")
    '## Next\\n\\nGo on.'
    """
    return INSTRUCTORS.sub("", text.replace(OTTER_CHECK_ALL, CHECK_ALL))


def _rewrite_notebook(path: Path, repo: str, ref: str) -> None:
    nb = json.loads(path.read_text())
    for cell in nb["cells"]:
        source = "".join(cell["source"]) if isinstance(cell["source"], list) else cell["source"]
        cell["source"] = rewrite_links(for_students(source), repo, ref)
    path.write_text(json.dumps(nb, indent=1, ensure_ascii=False) + "\n")


def student_readme(repo: str, ref: str, assignments: list[str], notebooks: list[str]) -> str:
    """The README of the student repository."""
    binder = f"https://mybinder.org/v2/gh/{repo}/{ref}?urlpath=lab/tree"
    lines = [
        "# KL divergence: course notebooks and homework",
        "",
        "The notebooks of the klteach course on Kullback-Leibler divergence, without their solutions, and the",
        "homework assignments. Each notebook's exercises check your answer and say which mistake you made.",
        "",
        "## Open on Binder (nothing to install)",
        "",
        f"[![Open in Binder](https://mybinder.org/badge_logo.svg)]({binder}/notebooks/00_start_here.ipynb)",
        "",
        "Binder starts JupyterLab with everything installed. It keeps nothing: **download your notebook**",
        "(File > Download) before you close the tab or leave it idle for long.",
        "",
        "| homework | open on Binder |",
        "|---|---|",
    ]
    lines += [f"| `{name}` | [{name}.ipynb]({binder}/homework/{name}.ipynb) |" for name in assignments]
    lines += [
        "",
        "## Open on your computer",
        "",
        "With Python 3.11 or newer:",
        "",
        "```bash",
        f"git clone --branch {ref} https://github.com/{repo}.git",
        f"cd {repo.split('/')[1]}",
        "python -m venv .venv && . .venv/bin/activate",
        "python -m pip install -e \".[course,homework]\" -c constraints.txt",
        "jupyter lab",
        "```",
        "",
        "## Colab",
        "",
        "The course notebooks open on Colab from the badge at their top (their first cell installs klteach).",
        "The homework does not: its `grader.check` cells read their tests from the notebook file, which",
        "Colab does not give them. Do the homework on Binder or on your computer.",
        "",
        "## Homework: how to hand in",
        "",
        "1. Replace each `...` with your code; run the `grader.check(\"q1\")` cell below it. These checks",
        "   look at the form of your answer only: your instructor grades with more tests.",
        "2. Answer the written questions in the markdown cells.",
        "3. Restart the kernel and run every cell top to bottom (Kernel > Restart Kernel and Run All Cells),",
        "   save, and hand in the `.ipynb` file the way your instructor asks. Its name does not matter.",
        "",
        "Course notebooks: " + ", ".join(f"`{n}`" for n in notebooks) + ".",
        "",
    ]
    return "\n".join(lines)


def check_tree(out: Path) -> list[str]:
    """``path: marker`` for every file of ``out`` holding a forbidden marker (empty when the tree is clean)."""
    found = []
    for path in sorted(p for p in out.rglob("*") if p.is_file()):
        text = path.read_bytes().decode("utf-8", errors="replace")
        found += [f"{path.relative_to(out)}: {marker!r}" for marker in FORBIDDEN if marker in text]
        if path.suffix == ".zip" or "autograder" in path.parts:
            found.append(f"{path.relative_to(out)}: an autograder file")
    return found


NUMBER = re.compile(r"(?<![\w.])-?\d+\.\d+(?:[eE][-+]?\d+)?")


def _figures(text: str) -> int:
    """Significant digits written in a number's text ('0.004431' has 4, '1e-12' has 1)."""
    return len(re.sub(r"[eE].*", "", text).replace("-", "").replace(".", "").lstrip("0"))


def _rounded(value: float) -> str:
    return f"{float(value):.4g}"


def _hidden_literals(master) -> list[tuple[str, str]]:
    """``(literal, test name)`` for each float literal of 4 or more figures in a master's hidden tests' code
    (comments aside, so tolerances such as 1e-12 and the values of typical mistakes are not)."""
    import ast

    found = []
    for cell in master.cells:
        if cell.cell_type != "code" or not cell.source.lstrip().startswith("# HIDDEN"):
            continue
        test = re.search(r"def (test_\w+)", cell.source)
        for node in ast.walk(ast.parse(cell.source)):
            if isinstance(node, ast.Constant) and type(node.value) is float:
                text = ast.get_source_segment(cell.source, node) or repr(node.value)
                if _figures(text) >= 4:
                    found.append((text, test.group(1) if test else "a hidden test"))
    return found


def hidden_references(master) -> dict[str, str]:
    """``{value rounded to 4 figures: literal}`` for each number of 4 or more figures in a master's hidden
    tests' code (comments aside, so tolerances such as 1e-12 and the values of typical mistakes are not)."""
    return {_rounded(float(text)): text for text, _ in _hidden_literals(master)}


def printed_numbers(nb) -> list[tuple[int, str]]:
    """``(cell number, from 1, and number)`` for each number of 3 or more significant figures the stored outputs
    print."""
    found = []
    for index, cell in enumerate(nb.cells, start=1):   # (numbered from 1, as Jupyter and autograde number them)
        for output in cell.get("outputs", []):
            text = output.get("text", "") if output.get("output_type") == "stream" else \
                output.get("data", {}).get("text/plain", "")
            found += [(index, n) for n in NUMBER.findall("".join(text)) if _figures(n) >= 3 and "e" not in n.lower()]
    return found


def check_reused_answers(masters: list[Path], notebooks: list[Path]) -> tuple[dict[str, list[str]], list[str]]:
    """Course notebooks whose printed output gives an assignment's hidden reference values, each compared at
    the decimals printed (0.4431 is 0.44314718... at 4 decimals). Returns ``({assignment: [where]}, [where])``:
    the first for an assignment with two or more of its values printed in one notebook (its numbers are a
    worked example's: a student finds the answers there), the second for a single value, printed as a note
    to check by reading that cell (among the thousands of numbers the notebooks print, a match in four
    figures can be chance, or the same computation as the hidden test's)."""
    refs = {m.stem: hidden_references(nbformat.read(m, as_version=4)) for m in masters}
    hits: dict[tuple[str, str], dict[str, list[str]]] = {}
    for path in notebooks:
        for index, number in printed_numbers(nbformat.read(path, as_version=4)):
            decimals = len(number.split(".")[1])
            for stem, values in refs.items():
                for literal in values.values():
                    if f"{float(literal):.{decimals}f}" == number:
                        hits.setdefault((stem, path.name), {}).setdefault(literal, []).append(
                            f"{path.name} cell {index} prints {number}")
    reused, single = {}, []
    for (stem, name), found in sorted(hits.items()):
        where = [f"{places[0]}, {stem}'s hidden reference {literal}" for literal, places in found.items()]
        if len(found) >= 2:
            reused.setdefault(stem, []).extend(where)
        else:
            single += where
    return reused, single


def _shows(number: str, literal: str) -> bool:
    """Whether ``number`` (as written) is the value ``literal`` rounded to the places it shows: its decimals,
    or its significant figures when written with an exponent.

    >>> _shows("0.0253", "0.025267153921570600"), _shows("0.02527", "0.025267153921570600")
    (True, True)
    >>> _shows("0.0252", "0.025267153921570600"), _shows("8.28e-14", "8.2823355101824465144e-14")
    (False, True)
    """
    if "e" in number.lower():
        return float(f"{float(literal):.{_figures(number) - 1}e}") == float(number)
    return f"{float(literal):.{len(number.split('.')[1])}f}" == number


def _cell_texts(nb):
    """``(where, text)`` for each text a notebook carries: cell sources, stored text outputs, otter's public
    tests (in the notebook's metadata)."""
    for index, cell in enumerate(nb.cells, start=1):
        first = next((line for line in cell.source.splitlines() if line.strip()), "")
        yield f"cell {index} ({cell.cell_type}: {first[:50] + '...' * (len(first) > 50)!r})", cell.source
        for output in cell.get("outputs", []):
            texts = [output.get("text", "")] if output.get("output_type") == "stream" else \
                [v for k, v in output.get("data", {}).items() if k.startswith("text/")]
            for text in texts:
                yield f"cell {index}'s stored output", "".join(text)
    for name, test in dict(nb.metadata.get("otter", {}).get("tests", {})).items():
        yield f"public test {name}", test if isinstance(test, str) else json.dumps(test)


def stated_numbers(nb) -> list[tuple[str, str]]:
    """``(where, number)`` for each number of 3 or more significant figures a notebook states anywhere: in a
    cell's source (markdown or code), a stored output, a public test. Integers and numbers of 1 or 2 figures
    (0.5, 0.25, 1e-12) are left out, as printed_numbers does."""
    return [(where, n) for where, text in _cell_texts(nb) for n in NUMBER.findall(text) if _figures(n) >= 3]


def check_stated_answers(copies: list[tuple[Path, Path]]) -> dict[str, list[str]]:
    """Student copies that state one of their own assignment's hidden reference values: ``copies`` holds
    ``(master, student copy)`` pairs; returns ``{assignment: [where]}``, empty when every copy is clean.

    Each number of 3 or more figures in the copy's cell sources, stored outputs and public tests is compared
    with the master's hidden references (4 or more figures) at the places it shows, as check_reused_answers
    compares a course notebook's printed numbers. One match is enough here: a copy states a few dozen numbers,
    not thousands, and any one it shares with a hidden test tells every student that answer (a question's
    wording, or an example such as "rounding it first (0.0253 for 0.02527)" in the assignment of 0.02527)."""
    found: dict[str, list[str]] = {}
    for master, copy in copies:
        literals = _hidden_literals(nbformat.read(master, as_version=4))
        hits: dict[tuple[str, str, str], list[str]] = {}
        for where, number in stated_numbers(nbformat.read(copy, as_version=4)):
            for literal, test in literals:
                if _shows(number, literal):
                    hits.setdefault((where, literal, test), []).append(number)
        for (where, literal, test), numbers in hits.items():
            stated = " and ".join(dict.fromkeys(numbers))
            found.setdefault(master.stem, []).append(
                f"{master.stem}: {where} states {stated}, the value {literal} of its hidden test {test}")
    return found


def select_masters(names: str) -> list[Path] | None:
    """The master notebooks named in ``names`` (comma-separated stems such as ``hw01_definition``, or the
    short ``hw01``); None (every assignment) when ``names`` is empty.

    >>> [p.name for p in select_masters("hw02_coding, hw01")]
    ['hw01_definition.ipynb', 'hw02_coding.ipynb']
    >>> select_masters("")
    """
    wanted = [n.strip().removesuffix(".ipynb") for n in names.split(",") if n.strip()]
    if not wanted:
        return None
    masters = sorted((ROOT / "homework").glob("hw*.ipynb"))
    chosen, unknown = set(), []
    for name in wanted:
        found = [m for m in masters if m.stem == name or m.stem.split("_")[0] == name]
        chosen.update(found) if found else unknown.append(name)
    if unknown:
        raise ReleaseError(f"--assignments: no assignment {', '.join(map(repr, unknown))} in homework/; "
                           f"the assignments are {', '.join(m.stem for m in masters)}")
    return sorted(chosen)


def _students_environment(text: str) -> str:
    """The course's environment.yml with its comment on the tests (the student tree has none) replaced by the
    homework's self-checks: the comment lines from the one naming ``make test`` to the one naming the extras."""
    lines = text.splitlines()
    first = next((i for i, line in enumerate(lines) if "make test" in line), None)
    last = next((i for i, line in enumerate(lines) if first is not None and i >= first and "pip install" in line),
                None)
    if last is None:
        raise ReleaseError("environment.yml no longer has the comment on the tests that the student release "
                           "replaces (a line naming `make test`, then one naming `pip install`): restore it, or "
                           "change _students_environment in tools/release.py to the new wording")
    return "\n".join([*lines[:first], "# For the homework's self-checks (grader.check) also run (without -c",
                       "# constraints.txt, so that pip keeps the packages conda installed):",
                       '#   python -m pip install -e ".[homework]"', *lines[last + 1:]]) + "\n"


def build(out: Path, *, repo: str = PLACEHOLDER_REPO, ref: str = PLACEHOLDER_REF,
          masters: list[Path] | None = None, notebooks: list[Path] | None = None,
          allow_reused: frozenset[str] | set[str] = frozenset(),
          allow_stated: frozenset[str] | set[str] = frozenset()) -> Path:
    """Write the student release into ``out`` (emptied first, apart from a ``.git``); return ``out``.

    Raises ReleaseError, before ``out`` is touched, when a course notebook prints two or more of an
    assignment's hidden reference values (see check_reused_answers) unless that assignment's name is in
    ``allow_reused``, or when an assignment's student copy states one of its own hidden reference values (see
    check_stated_answers) unless its name is in ``allow_stated``."""
    if not REPO_NAME.match(repo):
        raise ReleaseError(f"--repo {repo!r} is not OWNER/NAME as on GitHub (e.g. my-course/klteach-students)")
    if not REF_NAME.match(ref) or ".." in ref:
        raise ReleaseError(f"--ref {ref!r} is not a branch, tag or commit name (e.g. hw-2026-1)")
    masters = sorted((ROOT / "homework").glob("hw*.ipynb")) if masters is None else masters
    notebooks = sorted((ROOT / "notebooks").glob("*.ipynb")) if notebooks is None else notebooks
    reused, single = check_reused_answers(masters, notebooks)
    for where in single:
        print(f"note: {where} (one value only: it may be the same computation; read that cell: if it computes "
              f"what the hidden test checks, the notebook shows the answer (homework/README.md, section 2))",
              file=sys.stderr)
    refused = {stem: where for stem, where in reused.items() if stem not in allow_reused}
    if refused:
        raise ReleaseError("a course notebook prints an assignment's answers: give the assignment other numbers "
                           "(its data cell, then every hidden reference, recomputed), re-execute it and release "
                           "again, or release it knowingly with --allow-reused NAME:\n  "
                           + "\n  ".join(w for where in refused.values() for w in where))
    with tempfile.TemporaryDirectory() as tmp:
        copies = []
        for master in masters:   # the student copies as released, checked before anything is written
            copy = homework.assign(master, Path(tmp)) / "student" / master.name
            _rewrite_notebook(copy, repo, ref)
            copies.append((master, copy))
        stated = {stem: where for stem, where in check_stated_answers(copies).items() if stem not in allow_stated}
        if stated:
            raise ReleaseError("an assignment's student copy states its own hidden reference values: reword the "
                               "cell named (in the master, then make homework), or give it numbers that are "
                               "not the answers, or release it knowingly with --allow-stated NAME:\n  "
                               + "\n  ".join(w for where in stated.values() for w in where))
        dropped = sorted({p.stem for p in (out / "homework").glob("hw*.ipynb")} - {m.stem for m in masters})
        if dropped:   # a later set built with fewer ASSIGNMENTS than the one before it
            print(f"note: this build leaves out {', '.join(dropped)}, released before from {out}: committed, it "
                  f"removes them from the public repository (earlier tags keep them); to keep them, add them to "
                  f"ASSIGNMENTS (--assignments)", file=sys.stderr)
        if out.exists():   # everything but a .git: a later set is committed on top of the earlier ones
            for entry in out.iterdir():
                if entry.name != ".git":
                    shutil.rmtree(entry) if entry.is_dir() and not entry.is_symlink() else entry.unlink()
        (out / "homework").mkdir(parents=True)
        (out / "notebooks").mkdir()
        for master, copy in copies:
            shutil.copy(copy, out / "homework" / master.name)
    for path in notebooks:
        nbformat.write(homework.student_copy(nbformat.read(path, as_version=4)), out / "notebooks" / path.name)
        _rewrite_notebook(out / "notebooks" / path.name, repo, ref)

    for name in TOP_FILES:
        shutil.copy(ROOT / name, out / name)
    (out / "environment.yml").write_text(_students_environment((ROOT / "environment.yml").read_text()))
    shutil.copytree(ROOT / "binder", out / "binder")
    shutil.copytree(ROOT / "klteach", out / "klteach", ignore=shutil.ignore_patterns("__pycache__", "*.py[cod]"))
    (out / "README.md").write_text(student_readme(repo, ref, [m.stem for m in masters], [n.stem for n in notebooks]))
    (out / ".gitignore").write_text(".venv/\n__pycache__/\n*.egg-info/\n.ipynb_checkpoints/\n.OTTER_LOG\n")

    leaks = check_tree(out)
    if leaks:
        raise ReleaseError("the release would leak answers:\n  " + "\n  ".join(leaks))
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "build" / "student-release")
    parser.add_argument("--repo", default=PLACEHOLDER_REPO,
                        help="the public student repository, OWNER/NAME on GitHub (default: a placeholder)")
    parser.add_argument("--ref", default=PLACEHOLDER_REF,
                        help="the tag (or branch) the links open, e.g. hw-2026-1 (default: main)")
    parser.add_argument("--assignments", default="", metavar="NAME,...",
                        help="release only these assignments, comma-separated (e.g. hw01_definition,hw02_coding); "
                             "default: every homework/hw*.ipynb")
    parser.add_argument("--allow-reused", action="append", default=[], metavar="NAME",
                        help="release assignment NAME (e.g. hw02_coding) even though a course notebook prints "
                             "its answers (repeatable)")
    parser.add_argument("--allow-stated", action="append", default=[], metavar="NAME",
                        help="release assignment NAME even though its student copy states one of its hidden "
                             "reference values (repeatable)")
    args = parser.parse_args(argv)
    try:
        masters = select_masters(args.assignments)
        out = build(args.out, repo=args.repo, ref=args.ref, masters=masters, allow_reused=set(args.allow_reused),
                    allow_stated=set(args.allow_stated))
    except (ReleaseError, homework.HomeworkError) as exc:
        print(f"release: {exc}", file=sys.stderr)
        return 1
    if args.repo == PLACEHOLDER_REPO:
        print(f"note: links point at the placeholder {PLACEHOLDER_REPO}: pass --repo OWNER/NAME "
              f"(make student-release REPO=OWNER/NAME REF=TAG)")
    print(f"wrote {out}: push it as the repository {args.repo} and tag it {args.ref}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

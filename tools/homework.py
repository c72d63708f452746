"""Homework for the course: autograded assignments, and the notebooks' own exercises.

Usage:
    python tools/homework.py assign homework/hw*.ipynb --out homework/dist
    python tools/homework.py autograde homework/dist/hw01_definition --out grades.csv alice.ipynb bob.ipynb
    python tools/homework.py student notebooks/*.ipynb --out homework/dist/notebooks/student
    python tools/homework.py key notebooks/*.ipynb --out homework/dist/notebooks/key
    python tools/homework.py grade notebooks/01_definition.ipynb --submission alice.ipynb

Assignments (``homework/hwNN_*.ipynb``) are otter-grader master notebooks:
solutions and public and hidden tests in one source. They need the
``homework`` extra (``pip install -e ".[homework]"``); nothing else here does.

- ``assign``: runs ``otter assign`` on each master into ``OUT/<name>/``:
  ``student/`` (answers replaced by ``...``, public tests only) and
  ``autograder/`` (the solutions and a zip with every test).
- ``autograde``: grades collected submissions against one assignment's
  autograder zip, locally and without Docker, and writes one CSV row per
  submission (a score per question and the total).

The course notebooks are the single source for their exercises. Each exercise is an answer cell holding
a line ``answer = ...`` followed by a check cell, and a markdown cell with
``<details><summary>Solution</summary>`` and a fenced python block that
sets ``answer``.

- ``student``: the notebooks with every solution block removed. Multiple-choice checks name their
  exercise (``exercises.check_choice(answer, "01-ex4")``): the right option and its explanations
  live in ``klteach.exercises.CHOICES``, so a student copy does not show them.
- ``key``: the notebooks with each ``answer = ...`` line replaced by its
  solution, executed top to bottom in a fresh kernel; every check must then
  print "Correct", or the key is not written and the exercise is named.
- ``grade``: executes a learner's copy of one notebook in a fresh kernel and
  reports, exercise by exercise, what its check says. The checks run inside
  the submission, so this is formative grading for honest learners; marks
  that count come from the assignments and ``autograde``, whose hidden tests
  students never see.

``make homework`` runs ``assign`` for every assignment and writes student
copies and keys for every notebook; the tests build the keys and grade every
assignment's solution and blank copy, so a wrong solution fails ``make test``.
"""

from __future__ import annotations

import argparse
import csv
import re
import shutil
import sys
from contextlib import contextmanager
from pathlib import Path

import nbformat
from kernels import kernel_config
from nbclient import NotebookClient

SOLUTION = re.compile(r"\n*<details><summary>Solution</summary>(.*?)</details>\n*", re.S)
CODE = re.compile(r"```python\n(.*?)```", re.S)
ANSWER_LINE = re.compile(r"^answer = \.\.\..*$", re.M)


# Seconds nbclient waits for one cell's reply. Every course cell takes well under
# 10 s. The wait is also the worst case of a stall seen under load: nbclient's
# asyncio wait on the kernel's shell socket can miss the wake-up for a reply
# that has arrived (jupyter/nbclient#312), and only notices it when the wait
# times out, so a long timeout turned a 10 s notebook into a 10 minute one.
CELL_TIMEOUT = 60
# Students' code may be slower than ours: grading a submission from the command
# line allows each cell this long by default (--cell-timeout).
SUBMISSION_CELL_TIMEOUT = 600


class HomeworkError(ValueError):
    """A notebook whose exercises do not follow the course's pattern, or a wrong solution."""


def exercises(nb) -> list[tuple[int, str]]:
    """``(answer_cell_index, solution_code)`` for each exercise, in order."""
    found = []
    cells = nb.cells
    for i, cell in enumerate(cells):
        if cell.cell_type != "code" or not ANSWER_LINE.search(cell.source):
            continue
        following = (c for c in cells[i + 1:] if c.cell_type == "markdown" and SOLUTION.search(c.source))
        solution_cell = next(following, None)
        if solution_cell is None:
            raise HomeworkError(f"code cell {i} has 'answer = ...' but no solution block follows it")
        code = CODE.search(SOLUTION.search(solution_cell.source).group(1))
        if code is None or "answer" not in code.group(1):
            raise HomeworkError(f"the solution after code cell {i} has no python block setting answer")
        found.append((i, code.group(1).strip()))
    return found


def student_copy(nb):
    """The notebook without solution blocks (outputs kept: they show 'No answer yet')."""
    nb = nbformat.from_dict(nb)
    for cell in nb.cells:
        if cell.cell_type == "markdown":
            cell.source = SOLUTION.sub("\n\n", cell.source).strip("\n")
    return nb


def answer_key(nb, *, cwd: Path, timeout: int = CELL_TIMEOUT):
    """The notebook with its solutions filled in and executed; raises HomeworkError on a wrong one."""
    nb = nbformat.from_dict(nb)
    answer_cells = []
    for index, code in exercises(nb):
        cell = nb.cells[index]
        cell.source = ANSWER_LINE.sub(lambda _: code, cell.source, count=1)
        answer_cells.append(index)
    NotebookClient(nb, timeout=timeout, kernel_name="python3", config=kernel_config(),
                   resources={"metadata": {"path": str(cwd)}}).execute()
    for number, index in enumerate(answer_cells, start=1):
        check = next(c for c in nb.cells[index + 1:] if c.cell_type == "code")
        text = "".join(_text(o) for o in check.outputs)
        if not text.startswith("Correct"):
            raise HomeworkError(f"exercise {number} (code cell {index}): the solution's check says {text.strip()!r}")
    return nb


def grade(original, submission, *, cwd: Path, timeout: int = CELL_TIMEOUT) -> list[tuple[int, bool, str]]:
    """Execute ``submission`` and return ``(exercise, correct, feedback)`` for each exercise.

    Exercises are found in ``original`` (the course notebook); the submission
    must keep its cells in the same order, as a student copy does.
    """
    positions = [index for index, _ in exercises(original)]
    sub = nbformat.from_dict(submission)
    if len(sub.cells) != len(original.cells):
        raise HomeworkError(f"the submission has {len(sub.cells)} cells, the notebook "
                            f"{len(original.cells)}: cells were added or removed, so its "
                            f"exercises cannot be found")
    NotebookClient(sub, timeout=timeout, kernel_name="python3", allow_errors=True, config=kernel_config(),
                   resources={"metadata": {"path": str(cwd)}}).execute()
    results = []
    for number, index in enumerate(positions, start=1):
        check = next(c for c in sub.cells[index + 1:] if c.cell_type == "code")
        text = "".join(_text(o) for o in check.outputs).strip() or "(the check printed nothing)"
        results.append((number, text.startswith("Correct"), text))
    return results


@contextmanager
def _otter_cells_time_out(seconds: int = CELL_TIMEOUT):
    """Run otter with a timeout on every cell: by default its notebook runs have none,
    so the missed wake-up described at CELL_TIMEOUT would hang them for good."""
    import otter.execute

    def config():
        return kernel_config(timeout=seconds)

    original, otter.execute.Config = otter.execute.Config, config   # the one Config otter's runs use
    try:
        yield
    finally:
        otter.execute.Config = original


def assign(master: Path, out: Path) -> Path:
    """Run ``otter assign`` on one master notebook into a fresh ``out/<master stem>/``; return that folder."""
    from otter.assign import main as otter_assign   # the homework extra; only needed here

    target = out / master.stem
    shutil.rmtree(target, ignore_errors=True)        # otter names zips by time; keep exactly one
    try:
        with _otter_cells_time_out():
            otter_assign(str(master), str(target))   # also runs the tests on the solutions
    except Exception as exc:
        raise HomeworkError(f"otter assign failed on {master}: {exc}") from exc
    return target


def autograder_zip(assignment: Path) -> Path:
    """The autograder zip in an assigned folder (``OUT/<name>/autograder/*.zip``)."""
    zips = sorted((assignment / "autograder").glob("*.zip"))
    if len(zips) != 1:
        raise HomeworkError(f"expected one autograder zip in {assignment / 'autograder'}, found {len(zips)}: "
                            f"run 'python tools/homework.py assign' (or make homework) first")
    return zips[0]


def autograde(assignment: Path, submission: Path, *, timeout: int = CELL_TIMEOUT) -> dict[str, float]:
    """Grade one submission with the assignment's hidden and public tests: ``{question: score}`` plus totals.

    ``timeout`` is the seconds each cell may take.
    """
    from otter.api import grade_submission   # the homework extra; only needed here

    with _otter_cells_time_out(timeout):
        results = grade_submission(str(submission), str(autograder_zip(assignment)), quiet=True)
    scores = {name: float(q["score"]) for name, q in results.to_dict().items()}
    return scores | {"total": float(results.total), "possible": float(results.possible)}


def _text(output) -> str:
    if output.get("output_type") == "stream":
        return output.get("text", "")
    return output.get("data", {}).get("text/plain", "")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("kind", choices=["assign", "autograde", "student", "key", "grade"])
    parser.add_argument("notebooks", nargs="+", type=Path,
                        help="masters (assign), an assigned folder then submissions (autograde), "
                             "or course notebooks")
    parser.add_argument("--out", type=Path,
                        help="folder for assignments, student copies or keys; CSV file for autograde")
    parser.add_argument("--submission", type=Path, help="a learner's notebook to grade")
    parser.add_argument("--cell-timeout", type=int, default=SUBMISSION_CELL_TIMEOUT,
                        help="seconds each cell of a submission may take (autograde, grade)")
    args = parser.parse_intermixed_args(argv)   # options may sit between the paths
    if args.kind == "assign":
        if args.out is None:
            parser.error("assign needs --out FOLDER")
        for master in args.notebooks:
            print(f"wrote {assign(master, args.out)}")
        return 0
    if args.kind == "autograde":
        if args.out is None or len(args.notebooks) < 2:
            parser.error("autograde takes an assigned folder, then submissions, and --out FILE.csv")
        assignment, *submissions = args.notebooks
        rows = []
        for sub in submissions:
            scores = autograde(assignment, sub, timeout=args.cell_timeout)
            print(f"{sub}: {scores['total']:g} / {scores['possible']:g}")
            rows.append({"submission": str(sub)} | scores)
        with open(args.out, "w", newline="") as f:
            writer = csv.DictWriter(f, fieldnames=list(rows[0]))
            writer.writeheader()
            writer.writerows(rows)
        print(f"wrote {args.out}")
        return 0
    if args.kind == "grade":
        if args.submission is None or len(args.notebooks) != 1:
            parser.error("grade takes one course notebook and --submission FILE")
        original = nbformat.read(args.notebooks[0], as_version=4)
        results = grade(original, nbformat.read(args.submission, as_version=4),
                        cwd=args.notebooks[0].parent, timeout=args.cell_timeout)
        for number, correct, text in results:
            print(f"exercise {number}: {'correct' if correct else 'not yet'}: {text}")
        print(f"score: {sum(c for _, c, _ in results)} / {len(results)}")
        return 0
    if args.out is None:
        parser.error(f"{args.kind} needs --out FOLDER")
    args.out.mkdir(parents=True, exist_ok=True)
    failed = 0
    for path in args.notebooks:
        nb = nbformat.read(path, as_version=4)
        try:
            made = student_copy(nb) if args.kind == "student" else answer_key(nb, cwd=path.parent)
        except HomeworkError as exc:
            print(f"{path}: {exc}")
            failed += 1
            continue
        nbformat.write(made, args.out / path.name)
        print(f"wrote {args.out / path.name}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())

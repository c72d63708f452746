"""Homework for the course: autograded assignments, and the notebooks' own exercises.

Usage:
    python tools/homework.py assign homework/hw*.ipynb --out homework/dist
    python tools/homework.py autograde homework/dist/hw01_definition --out grades.csv submissions/*.ipynb \
        [--jobs N] [--resume] [--only alice.ipynb] [--roster roster.csv] [--deadline 2026-12-01T23:59] \
        [--feedback FOLDER] [--cell-timeout SECONDS]
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
  autograder zip, locally and without Docker, in parallel processes, and
  writes one CSV row per submission as it finishes (a score per question, the
  total, a reason when it could not be graded, tampering flags, a hash for
  ``--resume``), then a gradebook CSV for an LMS. A bad submission (not JSON,
  another assignment, a cell timeout, a dead kernel) becomes a row with a
  reason; it never stops the run. Tests run under a guard that restores
  builtins, otter and swapped function code, removes the notebook's IPython hooks, keeps the
  tests out of the kernel until its last cell and hands the tests copies of plain answers only
  (see GUARD_SETUP).

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
  reports, exercise by exercise, what its check says; exercises are found by
  their check cells, so added scratch cells do not matter. The checks run inside
  the submission, so this is formative grading for honest learners; marks
  that count come from the assignments and ``autograde``, whose hidden tests
  students never see.

``make homework`` runs ``assign`` for every assignment and writes student
copies and keys for every notebook; the tests build the keys and grade every
assignment's solution and blank copy, so a wrong solution fails ``make test``.
"""

from __future__ import annotations

import argparse
import ast
import builtins
import csv
import fnmatch
import hashlib
import json
import os
import pickle
import re
import shutil
import subprocess
import sys
import zipfile
from collections import Counter
from concurrent.futures import ProcessPoolExecutor, as_completed
from contextlib import contextmanager, redirect_stderr
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import nbformat
from nbclient import NotebookClient

from kernels import kernel_config

ROOT = Path(__file__).resolve().parents[1]
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


def check_cells(nb) -> list[str]:
    """The source of each exercise's check cell (the first code cell after its answer cell), in order."""
    sources = []
    for index, _ in exercises(nb):
        check = next((c for c in nb.cells[index + 1:] if c.cell_type == "code"), None)
        if check is None:
            raise HomeworkError(f"the exercise in code cell {index} has no check cell after it")
        sources.append(check.source.strip())
    return sources


def _same_code(a: str, b: str) -> bool:
    return " ".join(a.split()) == " ".join(b.split())


def grade(original, submission, *, cwd: Path, timeout: int = CELL_TIMEOUT) -> list[tuple[int, bool, str]]:
    """Execute ``submission`` and return ``(exercise, correct, feedback)`` for each exercise.

    Exercises are found in ``original`` (the course notebook) by their check
    cells, and each check cell is looked up in the submission by its code, in
    order, so a learner's copy with scratch cells added (or empty cells
    removed) still grades. An exercise whose check cell is gone counts as not
    correct and says so. Raises HomeworkError if no check cell is found at all,
    if a cell runs longer than ``timeout`` seconds, or if the kernel dies.
    """
    from nbclient.exceptions import CellTimeoutError, DeadKernelError

    checks = check_cells(original)
    sub = nbformat.from_dict(submission)
    positions, start = [], 0
    for source in checks:
        found = next((i for i in range(start, len(sub.cells))
                      if sub.cells[i].cell_type == "code" and _same_code(sub.cells[i].source, source)), None)
        positions.append(found)
        start = found + 1 if found is not None else start
    if all(p is None for p in positions):
        raise HomeworkError("none of the notebook's exercise check cells is in the submission: "
                            "is it a copy of this notebook?")
    try:
        NotebookClient(sub, timeout=timeout, kernel_name="python3", allow_errors=True, config=kernel_config(),
                       resources={"metadata": {"path": str(cwd)}}).execute(stderr=subprocess.DEVNULL)
    except CellTimeoutError:   # (the kernel's own stderr is silenced above: a stopped kernel prints a traceback)
        raise HomeworkError(f"a cell ran longer than {timeout} s (an endless loop?); "
                            f"fix it or allow more with --cell-timeout") from None
    except DeadKernelError:
        raise HomeworkError("the kernel died while running the submission "
                            "(out of memory, or code that ends the process)") from None
    results = []
    for number, (source, index) in enumerate(zip(checks, positions), start=1):
        if index is None:
            results.append((number, False, f"the check cell `{source}` is missing from the submission"))
            continue
        text = "".join(_text(o) for o in sub.cells[index].outputs).strip()
        error = next((o for o in sub.cells[index].outputs if o.get("output_type") == "error"), None)
        if error is not None and not text:
            text = f"the check cell raised {error.get('ename')}: {error.get('evalue')}"
        results.append((number, text.startswith("Correct"), text or "(the check printed nothing)"))
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
    from otter.assign import main as otter_assign  # the homework extra; only needed here

    target = out / master.stem
    building = out / f".{master.stem}.building"   # built aside: a failed build leaves the last good one in place
    shutil.rmtree(building, ignore_errors=True)
    try:
        with _otter_cells_time_out():
            otter_assign(str(master), str(building))   # also runs the tests on the solutions
    except Exception as exc:
        shutil.rmtree(building, ignore_errors=True)
        kept = f"; {target} is left as the last build that passed" if target.exists() else ""
        raise HomeworkError(f"otter assign failed on {master}, its solution fails a test or its code raised"
                            f"{kept}. otter said: {exc}") from exc
    for copy in (building / "student").glob("*.ipynb"):   # otter's check_all text and pass message, made true
        nb = nbformat.read(copy, as_version=4)
        for cell in nb.cells:
            if cell.cell_type == "markdown" and OTTER_CHECK_ALL in cell.source:
                cell.source = cell.source.replace(OTTER_CHECK_ALL, CHECK_ALL)
            form_only = FORM_ONLY.replace("__ASSIGNMENT__", master.stem)
            if cell.cell_type == "code" and cell.source.startswith("# Initialize Otter") and form_only not in cell.source:
                cell.source = cell.source.rstrip("\n") + "\n" + form_only
        nbformat.write(nb, copy)
    shutil.rmtree(target, ignore_errors=True)        # otter names zips by time; keep exactly one
    building.rename(target)
    return target


# The public tests check an answer's form only, so otter's "q1 results: All test cases passed!" (or "q1 passed!
# 💯") would tell a student a wrong value passed. The student copy's Initialize Otter cell ends with this: a
# passing check says FORM_OK instead, in text and HTML; a failing one shows otter's messages as before.
FORM_OK = "{}: form OK - the value is checked when graded"
FORM_ONLY = f'''

class _FormOK:
    """Public checks' results: a passing one says the form is right and the value is checked when graded;
    a failing one shows otter's messages."""

    def __init__(self, results):
        self.results = results   # (question, otter's result) pairs

    def __repr__(self):
        import builtins as b   # not the notebook's names: a student's own isinstance or len must not break a check
        return "\\n\\n".join({FORM_OK!r}.format(q) if b.getattr(r, "passed_all", False) else b.repr(r)
                             for q, r in self.results)

    def _repr_html_(self):
        import builtins as b
        return "".join("<p><strong><pre style='display: inline;'>" + q + "</pre></strong>"
                       + {FORM_OK!r}.format("") + "</p>" if b.getattr(r, "passed_all", False)
                       else r._repr_html_() if b.hasattr(r, "_repr_html_") else "<pre>" + b.repr(r) + "</pre>"
                       for q, r in self.results)


class _PublicChecks:
    """grader.check and grader.check_all run the public tests, which check the form of an answer only."""

    def __init__(self, notebook):
        self._notebook = notebook
        self._find_file()

    def _find_file(self):
        """When otter found no file for this notebook (renamed while its kernel ran, beside other notebooks), the
        notebook in this folder that holds this assignment's tests (the newest, if several)."""
        import builtins as b
        import glob
        import json
        import os
        nb = self._notebook
        if b.getattr(b.type(nb), "_grading_mode", False) or (b.getattr(nb, "_notebook", None)
                                                             and os.path.isfile(nb._notebook)):
            return
        def holds_tests(name):
            try:  # (a file that is not a notebook holds none)
                with b.open(name, encoding="utf-8") as f:
                    meta = json.load(f).get("metadata", {{}}).get("otter", {{}})
            except (OSError, ValueError):
                meta = {{}}
            return meta.get("assignment_name") == "__ASSIGNMENT__" and b.bool(meta.get("tests"))
        candidates = [name for name in glob.glob("*.ipynb") if holds_tests(name)]
        if candidates:
            import nbformat
            from otter.check.notebook import NBMetadataConfig
            nb._notebook = b.max(candidates, key=os.path.getmtime)
            nb._nbmeta_config = NBMetadataConfig.from_notebook(nbformat.read(nb._notebook, nbformat.NO_CONVERT))

    def __getattr__(self, name):
        import builtins as b
        return b.getattr(self._notebook, name)

    def check(self, question, global_env=None):
        import builtins as b
        result = self._notebook.check(question, b.globals() if global_env is None else global_env)
        return _FormOK([(question, result)]) if b.getattr(result, "passed_all", False) else result

    def check_all(self):
        import builtins as b
        results = self._notebook.check_all()
        tests = b.getattr(results, "results", None)
        return _FormOK(b.list(tests.items())) if b.isinstance(tests, b.dict) else results


grader = _PublicChecks(grader)
'''


# otter assign's text above grader.check_all(), which runs the public checks only (the hidden tests are not
# in the student copy): ``assign`` and the student release both rewrite it.
OTTER_CHECK_ALL = "the cell below will rerun all of the autograder tests."
CHECK_ALL = "the cell below will rerun the public checks (they check the form of your answers only)."


def autograder_zip(assignment: Path) -> Path:
    """The autograder zip in an assigned folder (``OUT/<name>/autograder/*.zip``)."""
    zips = sorted((assignment / "autograder").glob("*.zip"))
    if len(zips) != 1:
        raise HomeworkError(f"expected one autograder zip in {assignment / 'autograder'}, found {len(zips)}: "
                            f"run 'python tools/homework.py assign' (or make homework) first")
    return zips[0]


@dataclass(frozen=True)
class Assignment:
    """What grading needs to know about one assigned folder (``OUT/<name>/`` written by ``assign``).

    ``questions`` maps each autograded question to its points (from the
    autograder zip's tests), ``written`` each hand-graded (``manual: true``)
    question to its points (from the master notebook), and ``provided`` holds
    the source of every code cell the student copy hands out, so that the
    tampering scan looks only at code the student wrote; ``given`` those that
    are neither answers nor otter's, which recognise a copy of this assignment
    that lost its otter metadata. ``tests`` fingerprints the autograder's test files (the first 12
    hex digits of their SHA-256, by name and content, so a rebuild of an unchanged master keeps it):
    ``--resume`` grades again a row graded with other tests.
    """

    folder: Path
    zip: Path
    name: str
    questions: dict[str, float]
    written: dict[str, float]
    provided: frozenset[str]
    given: frozenset[str] = frozenset()
    tests: str = ""


def load_assignment(folder: Path, master: Path | None = None) -> Assignment:
    """Read an assigned folder; ``master`` defaults to ``homework/<folder name>.ipynb`` of this repository."""
    import zipfile

    zip_path = autograder_zip(folder)
    questions, name, fingerprint = {}, folder.name, hashlib.sha256()
    with zipfile.ZipFile(zip_path) as zf:
        for member in sorted(zf.namelist()):
            if member == "otter_config.json":
                name = json.loads(zf.read(member)).get("assignment_name") or name
            elif member.startswith("tests/") and member.endswith(".py"):
                source = zf.read(member)
                fingerprint.update(member.encode() + b"\0" + source + b"\0")
                test = read_test_file(source.decode("utf-8"), member)
                questions[test.name] = float(test.possible)
    questions = dict(sorted(questions.items(), key=lambda kv: _natural(kv[0])))
    master = master or ROOT / "homework" / f"{folder.name}.ipynb"
    written = _written_questions(master) if master.exists() else {}
    provided, given = set(), set()
    for kind in ("student", "autograder"):
        for path in (folder / kind).glob("*.ipynb"):
            cells = {" ".join(c.source.split()) for c in nbformat.read(path, as_version=4).cells
                     if c.cell_type == "code"}
            provided |= cells
            if kind == "student":   # the code every copy starts with, answers and otter's cells aside
                given |= {c for c in cells if "..." not in c and not _CHECK_CELL.fullmatch(c)
                          and not _OTTER_INIT.fullmatch(c) and not c.startswith("# Initialize Otter")}
    given -= _shared_code(master)   # an imports cell the same in every assignment says nothing of which it is
    return Assignment(folder, zip_path, name, questions, written, frozenset(provided), frozenset(given),
                      fingerprint.hexdigest()[:12])


def _shared_code(master: Path) -> set[str]:
    """The code cells (whitespace normalised) of the other assignments' masters next to ``master``."""
    return {" ".join(c.source.split()) for other in sorted(master.parent.glob("hw*.ipynb")) if other != master
            for c in nbformat.read(other, as_version=4).cells if c.cell_type == "code"}


def read_test_file(source: str, path: str = "<test file>"):
    """An otter test file's source read as otter reads it: an ``otter.test_files.TestFile`` whose test cases
    carry their resolved points (``points:`` per test, the rest of the question's points shared out).

    Works for both of otter's formats: exception-based (``OK_FORMAT = False``: one function per test
    case) and the older doctest-based ``test = {...}`` dictionaries.
    """
    from otter.test_files import (  # the homework extra; only needed here
        ExceptionTestFile,
        OKTestFile,
    )

    env: dict = {}
    exec(source, env)   # the instructor's own test files
    if env.get("OK_FORMAT", "test" in env):
        return OKTestFile.from_spec(env["test"], path=path)
    return ExceptionTestFile.from_string(source, path=path)


def _natural(name: str):
    return [int(part) if part.isdigit() else part for part in re.split(r"(\d+)", name)]


def _written_questions(master: Path) -> dict[str, float]:
    """``{name: points}`` of the master's ``manual: true`` questions (graded by hand)."""
    import yaml

    written = {}
    for cell in nbformat.read(master, as_version=4).cells:
        if cell.cell_type == "raw" and cell.source.lstrip().startswith("# BEGIN QUESTION"):
            config = yaml.safe_load(cell.source.split("\n", 1)[1]) or {}
            if config.get("manual"):
                written[str(config["name"])] = float(config.get("points", 0))
    return written


# ---- tampering: a static scan of the student's code, and a guard around the tests at run time ----

_BUILTIN_NAMES = frozenset(name for name in dir(builtins) if not name.startswith("_"))
_OPERATORS = frozenset(f"__{op}__" for op in (
    "eq ne lt le gt ge bool float int abs sub rsub add radd mul rmul truediv rtruediv pow neg "
    "len getattr getattribute instancecheck subclasscheck array array_ufunc array_function").split())
_PATTERNS = [   # (flag, regex over the code with comments removed)
    ("refers to otter", re.compile(r"\botter\b")),
    ("refers to the tests folder", re.compile(r"""['"/\\]tests\b|\.otter\b|\btests[/\\]""")),
    ("uses /proc", re.compile(r"/proc\b")),
    ("touches builtins", re.compile(r"\bbuiltins\b|__builtins__")),
    ("runs a shell or process", re.compile(r"\bos\.(system|popen|exec\w*|spawn\w*|fork|kill|killpg|_exit)\b"
                                           r"|\bsubprocess\b|\bpty\b|^\s*!|^%%(bash|sh|script)|%system\b",
                                           re.M)),
    ("setattr", re.compile(r"\bsetattr\s*\(")),
    ("dynamic code", re.compile(r"\b(exec|eval|compile|__import__)\s*\(|\bimportlib\b")),
    ("introspection", re.compile(r"\bsys\.modules\b|\bgc\.get_\w+|\bctypes\b|\binspect\b|sys\._getframe"
                                 r"|\bsettrace\b|\bsetprofile\b|\bf_globals\b|\bf_back\b")),
    ("refers to the grading guard", re.compile(r"klteach_guard")),
    ("adds an audit hook", re.compile(r"\baddaudithook\b|\bsys\s*\.\s*audit\b")),
    ("reads bytecode (dis)", re.compile(r"\bdis\b|\bco_code\b|\bget_instructions\b|\bmarshal\b")),
    ("swaps function internals", re.compile(r"__code__|__defaults__|__kwdefaults__|__closure__|__globals__"
                                            r"|\bco_consts\b")),
    ("lists classes (__subclasses__)", re.compile(r"__subclasses__|__mro__|__bases__")),
    ("registers an IPython hook", re.compile(r"\bevents\s*\.\s*(register|callbacks)\b|\b(post|pre)_(run_cell|execute)\b")),
    ("background thread or exit hook", re.compile(r"\b(threading|_thread|atexit|multiprocessing)\b|weakref\.finalize"
                                                  r"|\bsignal\.signal\b|\b__del__\b")),
    ("lists folders", re.compile(r"\.(walk|listdir|scandir|iterdir|rglob)\s*\(|\bglob\b")),
    ("indexes vars() or __dict__", re.compile(r"\bvars\s*\([^)]*\)\s*\[|__dict__")),
    ("reads vars() of a module", re.compile(r"\bvars\s*\(\s*(sys|np|numpy|os|builtins|plt|matplotlib|scipy)\b")),
    ("scans globals()", re.compile(r"\bglobals\s*\(\s*\)\s*\.\s*(values|items)\b")),
    ("reads the grader's memory (gc)", re.compile(r"\bgc\b\s*\.")),
    ("puts a method on an object", re.compile(r"\.\s*(get|set)_\w+\s*=[^=]")),
    ("writes into globals()", re.compile(r"\bglobals\s*\(\s*\)\s*(\[[^\]]*\]\s*=[^=]|\.\s*(update|setdefault)\b)")),
    ("decodes base64 (hidden names or files)", re.compile(r"\bb(64|32|16|85)decode\b|\bbase64\b|\bcodecs\b")),
    ("reaches into gc or signal", re.compile(r"\bfrom\s+(gc|signal)\s+import\b|\bsignal\s*\.\s*(signal|setitimer|alarm|pthread_kill|set_wakeup_fd)\b")),
    ("reads a bound method's object (__self__)", re.compile(r"\.\s*__self__\b")),
    ("reads other threads' frames", re.compile(r"\bsys\s*\.\s*_current_frames\b|\b_current_frames\b")),
    ("runs code concurrently (concurrent.futures, asyncio)", re.compile(r"\bconcurrent\s*\.\s*futures\b"
                                                                       r"|\bfrom\s+concurrent\b|\basyncio\b")),
    ("makes a class with types.new_class", re.compile(r"\bnew_class\b")),
]
_PIECES = re.compile(r"tests|otter|builtins|klteach_guard|proc\b|modules|register|run_cell|checker")   # names a scan looks for, built from pieces


# The init cell otter assign writes (``init_cell: true``). The course's masters write their own (the same
# in every assignment, so it says nothing about which assignment a copy is); tampering_flags skips it
# because the student copy hands it out, like any provided cell.
_OTTER_INIT = re.compile(r"# Initialize Otter\nimport otter\ngrader = otter\.Notebook\(\"[\w.-]+\"\)")


def _strip_comments(source: str) -> str:
    import io
    import tokenize

    try:
        tokens = [t for t in tokenize.generate_tokens(io.StringIO(source).readline) if t.type != tokenize.COMMENT]
        return tokenize.untokenize(tokens)
    except (tokenize.TokenError, IndentationError, SyntaxError):
        return source


def _joined(node) -> str | None:
    """The string a ``+`` chain of string literals makes (``"te" + "sts"``), or None."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
        left, right = _joined(node.left), _joined(node.right)
        return left + right if left is not None and right is not None else None
    return None


def _class_of(node) -> bool:
    """Whether ``node`` is ``type(x)`` or ``x.__class__``: assigning an attribute of it patches a class, e.g. a
    library's (``type(stats.norm)._pdf = ...`` changes every scipy normal distribution)."""
    return ((isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "type"
             and len(node.args) == 1) or (isinstance(node, ast.Attribute) and node.attr == "__class__"))


def tampering_flags(nb, provided: frozenset[str] = frozenset()) -> list[str]:
    """What a submission's own code cells do that could tamper with grading (a static scan).

    Cells whose code is in ``provided`` (handed out with the student copy) are
    skipped. A flag is a reason to read the notebook, not proof of cheating.

    >>> nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("abs = lambda x: 0")])
    >>> tampering_flags(nb)
    ['rebinds builtin abs']
    """
    flags = set()
    for cell in nb.cells:
        if (cell.cell_type != "code" or " ".join(cell.source.split()) in provided
                or _OTTER_INIT.fullmatch(cell.source.strip())):
            continue
        code = _strip_comments(cell.source)
        flags |= {flag for flag, pattern in _PATTERNS if pattern.search(code)}
        try:
            tree = ast.parse("\n".join("pass" if line.lstrip().startswith(("%", "!")) else line
                                       for line in code.splitlines()))
        except SyntaxError:
            continue
        for node in ast.walk(tree):
            if (isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "type"
                    and len(node.args) == 3):
                flags.add("makes a class with type()")
            if isinstance(node, ast.Constant) and isinstance(node.value, str) and re.search(r"^__|__$", node.value) \
                    and not re.fullmatch(r"__\w+__", node.value):
                flags.add("builds a dunder name from pieces")
            if (isinstance(node, ast.Subscript) and isinstance(node.slice, ast.Slice)
                    and node.slice.step is not None and _joined(node.value) is not None):
                flags.add("builds a string by slicing a literal ([::-1])")
            if (isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "getattr"
                    and len(node.args) >= 2 and not isinstance(node.args[1], ast.Constant)):
                flags.add("getattr with a computed name")
            if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
                joined = _joined(node)
                pieces = [leaf.value for leaf in ast.walk(node) if isinstance(leaf, ast.Constant)]
                if joined and _PIECES.search(joined) and not any(_PIECES.search(piece) for piece in pieces):
                    flags.add(f"builds the name {_PIECES.search(joined).group()!r} from pieces")
        modules = {alias.asname or alias.name.split(".")[0]
                   for node in ast.walk(tree) if isinstance(node, (ast.Import, ast.ImportFrom))
                   for alias in node.names}
        classes = {target.id for node in ast.walk(tree) if isinstance(node, ast.Assign) and _class_of(node.value)
                   for target in node.targets if isinstance(target, ast.Name)}   # norm_kind = type(stats.norm)
        for node in ast.walk(tree):
            targets = []
            if isinstance(node, (ast.Assign, ast.AugAssign, ast.AnnAssign)):
                targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
                if node.name in _BUILTIN_NAMES:
                    flags.add(f"rebinds builtin {node.name}")
                if isinstance(node, ast.ClassDef):
                    overrides = {f.name for f in node.body if isinstance(f, ast.FunctionDef)} & _OPERATORS
                    if overrides:
                        flags.add("class overrides " + ", ".join(sorted(overrides)))
            elif isinstance(node, (ast.Import, ast.ImportFrom)):
                for alias in node.names:
                    if alias.asname in _BUILTIN_NAMES:
                        flags.add(f"rebinds builtin {alias.asname}")
            for target in targets:
                for leaf in ast.walk(target):
                    if isinstance(leaf, ast.Name) and leaf.id in _BUILTIN_NAMES and isinstance(leaf.ctx, ast.Store):
                        flags.add(f"rebinds builtin {leaf.id}")
                    if isinstance(leaf, ast.Attribute) and isinstance(leaf.ctx, ast.Store):
                        base = leaf
                        while isinstance(base, ast.Attribute):
                            base = base.value
                        if isinstance(base, ast.Name) and base.id in modules:
                            flags.add(f"monkeypatches {base.id}")
                        owners, owner = [], leaf.value
                        while isinstance(owner, (ast.Attribute, ast.Call)):
                            owners.append(owner)
                            owner = owner.value if isinstance(owner, ast.Attribute) else owner.func
                        if any(map(_class_of, owners)) or (isinstance(base, ast.Name) and base.id in classes):
                            flags.add("patches an object's class (type(x).attr = ...)")
    return sorted(flags)


# Code the grader puts into the submission's kernel. Otter runs the tests in the student's own kernel
# (after the student's cells; each exception-format test function is passed the student's variables it
# names), so anything the student's code changed there (builtins, otter, numpy, a function's __code__, an
# IPython hook) is still changed when the tests run. The guard adds, before the first student cell, an audit
# hook that refuses every later one (a hook sees each code object the tests compile), and snapshots
# the builtins, the names of the modules tests rely on (public ones, and private functions, classes and
# modules), the attributes of otter's, doctest's, matplotlib's and scipy's classes, the code of every function
# those hold and IPython's event hooks; it deletes the test files and the notebook's copies from the disk
# and keeps nothing of the tests (the notebook's own checks do nothing). The tests' source is written
# into the last cell only, which puts all of it back, forgets every result recorded before it and runs
# every test against copies of the answers whose type is exactly a built-in data type, a numpy number or
# numeric array, a function or matplotlib's own axes without methods of their own (any other answer is
# hidden from the tests), taken once before any test's source is read and copied afresh for each test case
# (a function answer is called in a thread of its own, with no test or guard frame on its stack), keeping
# each test's results as it finishes and putting them back at the end.
# It prints what it had to undo or refuse, which becomes a run-time flag. It cannot stop code written
# against the guard itself, a background thread, nor code that runs during a test and looks for the
# reference values in memory (a function answer, a library it does not record).
GUARD_MARK = "klteach-guard:"
GUARD_SETUP = r'''
import builtins as _kg_builtins, glob as _kg_glob, os as _kg_os, sys as _kg_sys, types as _kg_types
import gc as _kg_gc, signal as _kg_signal
import _thread as _kg_thread


def _kg_audit(event, args, _refused=[], _me=[]):
    """The grader's audit hook, added before the student's first cell: no other hook can be added after it
    (a hook sees every code object the tests compile, their reference values too), and its own code and
    defaults cannot be swapped. CPython drops a new hook silently when an existing one raises RuntimeError."""
    if event == "sys.addaudithook":
        _refused.append(event)
        raise RuntimeError("the grader refuses new audit hooks")
    if event == "object.__setattr__" and args and any(args[0] is me for me in _me):
        raise RuntimeError("the grader's audit hook cannot be changed")


_kg_audit.__defaults__[1].append(_kg_audit)
_kg_sys.addaudithook(_kg_audit)


class __klteach_guard:
    _missing = object()
    _builtins, _glob, _os, _sys, _types = _kg_builtins, _kg_glob, _kg_os, _kg_sys, _kg_types
    _start, _lock, _audit_refused = _kg_thread.start_new_thread, _kg_thread.allocate_lock, _kg_audit.__defaults__[0]
    _gc, _signal = _kg_gc, _kg_signal
    _modules, _classes, _functions, _events = {}, {}, {}, {}
    _roots = ("builtins", "copyreg", "otter", "doctest", "inspect", "pickle", "numpy", "math", "scipy",
              "matplotlib", "matplotlib_inline", "klteach", "_thread")
    _ipython = {"_", "__", "___", "display", "get_ipython", "__IPYTHON__", "input"}   # IPython sets these
    _plain = (float, int, bool, str, complex, type(None), type(...))

    @classmethod
    def setup(cls, test_dir, user_globals, copies=()):
        for name in ("copyreg", "decimal", "fractions", "mpmath", "doctest", "inspect", "math", "pickle", "numpy",
                     "scipy.special", "scipy.stats",
                     "matplotlib.pyplot", "matplotlib_inline.backend_inline", "klteach", "otter.execute",
                     "otter.test_files", "otter.check.notebook"):
            try:
                __import__(name)
            except ImportError:
                pass
        try:   # the notebook's own checks do nothing here: their tests are off the disk, and every test runs at the end
            notebook = cls._sys.modules["otter.check.notebook"].Notebook
            notebook.check = notebook.check_all = lambda self, *args, **kwargs: None
        except (KeyError, AttributeError):
            pass
        try:   # pyplot binds its backend's functions on first use: do it now, before the snapshot
            cls._sys.modules["matplotlib.pyplot"]._get_backend_mod()
        except Exception:
            pass
        cls._cwd = cls._os.getcwd()
        cls._globals = user_globals   # the last cell needs no builtin (a submission may delete globals)
        cls._stdout = cls._sys.stdout   # the cell output stream: a submission may swap sys.stdout to filter it
        cls._shell = user_globals.get("get_ipython", lambda: None)()
        cls._write, cls._flush = type(cls._stdout).write, type(cls._stdout).flush
        # Code that runs by itself while the tests run: gc callbacks, a changed collection threshold, signal
        # handlers and interval timers. What the kernel had before the student's first cell is put back.
        cls._gc_callbacks, cls._gc_threshold = list(cls._gc.callbacks), cls._gc.get_threshold()
        cls._handlers = {}
        for number in cls._signal.valid_signals():
            try:
                cls._handlers[number] = cls._signal.getsignal(number)
            except (ValueError, OSError):
                pass
        cls._initial = {k: v for k, v in user_globals.items() if k in vars(cls._builtins)}
        for name, module in list(cls._sys.modules.items()):
            if isinstance(module, cls._types.ModuleType) and name.split(".")[0] in cls._roots:
                cls._modules[name] = (module, dict(vars(module)))
                if name.split(".")[0] in ("otter", "doctest", "matplotlib", "scipy"):   # scipy: type(stats.norm)._pdf
                    for value in list(vars(module).values()):
                        if isinstance(value, type) and value.__module__ == name:
                            cls._classes[value] = dict(vars(value))
        # Numbers of other exact types a student may honestly compute with, read as the float they round to
        # (the values are read directly, not through methods a submission could replace)
        cls._numbers = {}
        for module, name in (("decimal", "Decimal"), ("fractions", "Fraction"), ("mpmath", "mpf")):
            kind = getattr(cls._sys.modules.get(module), name, None)
            if isinstance(kind, type):
                cls._numbers[kind] = name
                if module != "decimal":   # decimal's type is C code; the others' methods are put back
                    cls._classes[kind] = dict(vars(kind))
        # Every function those modules and classes hold, and the guard's own: their code can be swapped in
        # place (f.__code__ = ...), which leaves the function object, and so the snapshots above, unchanged.
        for mapping in [vars(cls)] + [s for _, s in cls._modules.values()] + list(cls._classes.values()):
            for value in list(mapping.values()):
                function = getattr(value, "__func__", value)
                if isinstance(function, cls._types.FunctionType):
                    cls._functions[function] = (function.__code__, function.__defaults__, function.__kwdefaults__)
        cls._dispatch = dict(cls._sys.modules["copyreg"].dispatch_table)
        cls._answer_types = {c for c in cls._classes if c.__module__.startswith("matplotlib.")}
        numpy = cls._sys.modules.get("numpy")
        cls._numpy = numpy
        cls._scalars = {numpy.dtype(code).type for code in "?bBhHiIlLqQefdgFDG"} if numpy else set()
        shell = user_globals.get("get_ipython", lambda: None)()
        cls._shell = shell
        if shell is not None:
            cls._events = {event: list(callbacks) for event, callbacks in shell.events.callbacks.items()}
        cls._threads = cls._sys.modules["threading"].active_count() if "threading" in cls._sys.modules else 1
        # The tests are not kept in this kernel at all while the student's code runs: their files are
        # deleted (here and in the copy otter unpacked next to the submission's folder), and so are the
        # copies of this notebook, whose last cell carries the tests' source (that cell is not run yet).
        test_dir = cls._os.path.abspath(test_dir)
        source = cls._os.path.join(cls._os.path.dirname(cls._os.path.dirname(test_dir)), "source", "tests")
        names = {cls._os.path.basename(p) for p in cls._glob.glob(cls._os.path.join(test_dir, "*"))}
        gone = [cls._os.path.join(d, n) for d in (test_dir, source) for n in names] + list(copies) + [
            p for p in cls._glob.glob("*.ipynb")]
        for path in gone:
            try:
                cls._os.remove(path)
            except OSError:
                pass

    def __init__(self, user_globals=None, final=False):   # None: the notebook's globals, kept at set-up
        self.g, self.final = self._globals if user_globals is None else user_globals, final

    def _put(self, mapping, key, value, found, what):
        old = mapping.get(key, self._missing)
        if old is not value:
            self.undo.append((mapping, key, old))
            mapping[key] = value
            found.add(what)

    def __enter__(self):
        # the guard's code looks names up in the notebook's globals, where a student's set or vars (an innocent
        # name for a list) shadows the builtin: until those globals are removed, builtins are taken from the module
        real = self._builtins
        self.undo, self.class_undo, self.cwd, found = [], [], None, real.set()
        # first: a comprehension made in this cell's globals looks builtins up through their __builtins__
        self._put(self.g, "__builtins__", real, found, "__builtins__ replaced")
        for function, (code, defaults, kwdefaults) in self._functions.items():
            if (function.__code__, function.__defaults__, function.__kwdefaults__) != (code, defaults, kwdefaults):
                function.__code__, function.__defaults__, function.__kwdefaults__ = code, defaults, kwdefaults
                found.add(f"{real.getattr(function, '__module__', '?')}.{function.__qualname__}.__code__ changed")
        shadowing = [k for k in self.g if k in real.vars(real) and not k.startswith("_")]
        for key in shadowing:
            if self._initial.get(key, self._missing) is not self.g[key]:
                self.undo.append((self.g, key, self.g.pop(key)))
                found.add(f"global {key} shadows a builtin")
        if self._os.getcwd() != self._cwd:
            self.cwd = self._os.getcwd()
            self._os.chdir(self._cwd)
            found.add("working folder changed")
        self._put(self.g, "__builtins__", self._builtins, found, "__builtins__ replaced")
        for name, (module, snapshot) in self._modules.items():
            current = vars(module)
            for key, value in snapshot.items():
                public = not key.startswith("_") or name == "builtins"
                code = isinstance(value, (type, self._types.ModuleType)) or callable(value)   # not a cache
                if (public or (code and not key.startswith("__"))) and key not in self._ipython \
                        and current.get(key, self._missing) is not value:
                    self._put(current, key, value, found, f"{name}.{key} changed")
        for cls_, snapshot in self._classes.items():
            for key, value in snapshot.items():
                cache = key.startswith("_") and not key.endswith("__") and not callable(value) and not isinstance(
                    value, (property, classmethod, staticmethod))   # e.g. matplotlib's Path._unit_rectangle
                if key != "__dict__" and not cache and vars(cls_).get(key, self._missing) is not value:
                    self.class_undo.append((cls_, key, vars(cls_).get(key, self._missing)))
                    setattr(cls_, key, value)
                    found.add(f"{cls_.__module__}.{cls_.__name__}.{key} changed")
            for key, value in list(vars(cls_).items()):   # a method added to the class (over an inherited one)
                if key not in snapshot and (callable(value) or isinstance(value, (property, classmethod,
                                                                                  staticmethod))):
                    self.class_undo.append((cls_, key, value))
                    delattr(cls_, key)
                    found.add(f"{cls_.__module__}.{cls_.__name__}.{key} added")
        dispatch = self._sys.modules["copyreg"].dispatch_table
        if dispatch != self._dispatch:
            dispatch.clear()
            dispatch.update(self._dispatch)
            found.add("copyreg.dispatch_table changed")
        if self._shell is not None:   # a callback IPython runs around cells (after this one: before otter's)
            for event, callbacks in self._shell.events.callbacks.items():   # a library's own hook may stay
                keep = [c for c in callbacks if c in self._events.get(event, [])
                        or getattr(c, "__func__", c) in self._functions]
                if keep != callbacks:
                    callbacks[:] = keep
                    found.add(f"IPython {event} hook registered")
        if self._audit_refused:
            found.add("sys.addaudithook refused")
        if self._sys.gettrace() is not None or self._sys.getprofile() is not None:
            self._sys.settrace(None)
            self._sys.setprofile(None)
            found.add("a trace or profile function was set")
        self._quiet(found)
        if self._sys.stdout is not self._stdout:
            self._sys.stdout = self._stdout
            found.add("sys.stdout replaced")
        threading = self._sys.modules.get("threading")
        if threading is not None and threading.active_count() > self._threads:
            found.add("a background thread is running")
        if found:
            self._say("klteach-guard: " + "; ".join(sorted(found)))
        return self

    @classmethod
    def _say(cls, line):
        """Print a run-time report to the cell's output stream as it was before the student's first cell."""
        try:   # the kernel tells the current sys.stdout which cell it writes to: tell the saved stream too
            cls._stdout.set_parent(cls._shell.get_parent())
        except Exception:
            pass
        cls._write(cls._stdout, line + "\n")
        cls._flush(cls._stdout)

    @classmethod
    def _changed(cls):
        """The builtins and numpy names changed since the set-up (put back), and whether anything could now
        run by itself (a gc callback, a signal handler): checked after each test case."""
        changed = []
        if cls._globals.get("__builtins__") is not cls._builtins:
            cls._globals["__builtins__"] = cls._builtins
            changed.append("__builtins__")
        for name in ("builtins", "numpy", "math"):
            module, snapshot = cls._modules.get(name, (None, {}))
            current = vars(module) if module is not None else {}
            for key, value in snapshot.items():
                if (not key.startswith("_") or name == "builtins") and key not in cls._ipython \
                        and current.get(key, cls._missing) is not value:
                    current[key] = value
                    changed.append(f"{name}.{key}")
        found = set()
        cls._quiet(found)
        return sorted(changed) + sorted(found)

    @classmethod
    def _quiet(cls, found):
        """Remove what could run by itself during the tests: gc callbacks, a changed gc threshold, interval
        timers and signal handlers set since the set-up."""
        if cls._gc.callbacks != cls._gc_callbacks:
            cls._gc.callbacks[:] = cls._gc_callbacks
            found.add("gc callback registered")
        if cls._gc.get_threshold() != cls._gc_threshold:
            cls._gc.set_threshold(*cls._gc_threshold)
            found.add("gc threshold changed")
        if not cls._gc.isenabled():
            cls._gc.enable()
            found.add("gc disabled")
        if cls._gc.get_debug():
            cls._gc.set_debug(0)
            found.add("gc debug flags set")
        for timer in ("ITIMER_REAL", "ITIMER_VIRTUAL", "ITIMER_PROF"):
            if hasattr(cls._signal, timer) and cls._signal.getitimer(getattr(cls._signal, timer)) != (0.0, 0.0):
                cls._signal.setitimer(getattr(cls._signal, timer), 0)
                found.add("interval timer set")
        if hasattr(cls._signal, "alarm") and cls._signal.alarm(0):
            found.add("alarm set")
        for number, handler in cls._handlers.items():
            try:
                if cls._signal.getsignal(number) is not handler and handler is not None:
                    cls._signal.signal(number, handler)
                    found.add("signal handler set")
            except (ValueError, OSError, TypeError):
                pass

    def __exit__(self, *exc):
        if self.final:   # the tests have run; otter now saves their results: leave everything as the tests saw it
            return False
        if getattr(self, "cwd", None):
            self._os.chdir(self.cwd)
        for mapping, key, old in reversed(self.undo):
            if old is self._missing:
                mapping.pop(key, None)
            else:
                mapping[key] = old
        for cls_, key, old in reversed(self.class_undo):
            if old is self._missing:
                delattr(cls_, key)
            else:
                setattr(cls_, key, old)
        return False

    @classmethod
    def _answer(cls, value, depth=0):
        """A copy of an answer whose type is exactly a built-in data type, a numpy number or numeric array,
        a function or one of matplotlib's own axes; anything else (a subclass, a class made with type())
        raises TypeError: its methods would run inside the tests."""
        kind = type(value)
        if depth > 50:
            raise TypeError("a container nested too deeply")
        if kind is str and depth == 0:   # a number written as text ('inf', '0.5') is not a number answer
            try:
                float(value)
            except ValueError:
                return value
            raise TypeError("str")
        if kind in cls._plain or kind in cls._scalars:
            return value
        if kind in cls._numbers:
            return cls._float(value, cls._numbers[kind])
        if kind is list or kind is tuple:
            return kind([cls._answer(item, depth + 1) for item in value])
        if kind is dict:
            return {cls._answer(k, depth + 1): cls._answer(v, depth + 1) for k, v in value.items()}
        if cls._numpy is not None and kind is cls._numpy.ndarray and value.dtype.kind in "biufc":
            return value.copy()
        if kind is cls._types.FunctionType:
            return value
        if kind in cls._answer_types and hasattr(value, "get_children"):   # axes: every artist must be matplotlib's
            artists = [value] + list(value.get_children()) + list(value.containers)
            while artists:
                artist = artists.pop()
                if type(artist) not in cls._answer_types:
                    raise TypeError(f"{type(artist).__qualname__} drawn on it")
                for key, attribute in vars(artist).items():   # a method put on the instance runs in the tests
                    own = isinstance(attribute, (cls._types.FunctionType, cls._types.MethodType)) and not getattr(
                        getattr(attribute, "__func__", attribute), "__module__", "").startswith("matplotlib")
                    if own or (not key.startswith("_") and callable(attribute) and key in dir(type(artist))):
                        raise TypeError(f"{type(value).__qualname__} carrying its own methods ({key})")
                for key, attribute in vars(artist).items():   # data an axes method converts with float() in a test
                    hook = cls._number_hook(attribute)
                    if hook:
                        raise TypeError(f"{type(value).__qualname__} whose {type(artist).__qualname__} data "
                                        f"({key}) holds {hook} objects, not plain numbers")
                artists.extend(artist.get_children() if hasattr(artist, "get_children") else [])
            return value
        raise TypeError(kind.__qualname__)

    @classmethod
    def _number_hook(cls, value, depth=0):
        """The name of a type found in ``value`` (an artist's attribute; lists, tuples and object arrays
        looked into) that converts itself to a number with its own code (``__float__``, ``__int__``,
        ``__index__`` defined outside Python, numpy and matplotlib), or ""; judged from types only."""
        kind = type(value)
        if kind in cls._plain or kind in cls._scalars or kind in cls._numbers or depth > 3:
            return ""
        if kind is list or kind is tuple:
            items = value
        elif cls._numpy is not None and kind is cls._numpy.ndarray:
            items = value.ravel().tolist() if value.dtype.kind == "O" else []
        else:
            trusted = ("builtins", "numpy", "matplotlib", "decimal", "fractions", "mpmath", "enum", "weakref",
                       "functools", "collections", "abc", "PIL")
            if (type.__dict__["__module__"].__get__(kind) or "").split(".")[0] in trusted \
                    and type(kind).__module__.split(".")[0] in trusted:   # type(kind): a metaclass runs lookups
                return ""
            if type(kind) is not type:
                return kind.__qualname__
            for base in type.__dict__["__mro__"].__get__(kind):
                module = type.__dict__["__module__"].__get__(base) or ""
                if module.split(".")[0] in trusted:
                    continue
                if any(hook in vars(base) for hook in ("__float__", "__int__", "__index__", "__complex__")):
                    return kind.__qualname__
            return ""
        for item in items[:100000]:
            hook = cls._number_hook(item, depth + 1)
            if hook:
                return hook
        return ""

    @classmethod
    def _float(cls, value, name):
        """The float nearest an exact Decimal, Fraction or mpmath.mpf, from its stored digits (ints only)."""
        if name == "Decimal":
            return float(value)   # C code of an immutable type
        if name == "Fraction":
            top, bottom = value._numerator, value._denominator
            if type(top) is not int or type(bottom) is not int:
                raise TypeError("Fraction of non-integers")
            return top / bottom   # int / int: correctly rounded
        sign, man, exp, bc = value._mpf_
        man, exp = int(man), int(exp)
        if man == 0:
            special = {0: 0.0, -456: float("inf"), -789: float("-inf"), -123: float("nan")}
            if exp not in special:
                raise TypeError("mpf of unknown form")
            return special[exp]
        number = man * (1 << exp) if exp >= 0 else man / (1 << -exp)
        return -float(number) if sign else float(number)

    @classmethod
    def _isolated(cls, function):
        """``function`` (a function answer, hw06's ``log_softmax``) called in a thread of its own: the test
        that calls it, the guard and the other tests are not on its stack (no frame of theirs to walk)."""
        start, lock = cls._start, cls._lock

        def call(*args, **kwargs):
            box, done = [], lock()
            done.acquire()

            def run():
                try:
                    box.append((True, function(*args, **kwargs)))
                except BaseException as exc:
                    box.append((False, exc))
                finally:
                    done.release()

            start(run, ())
            done.acquire()
            ok, value = box[0]
            if not ok:
                raise value
            return value

        return call

    @classmethod
    def _rounded(cls, function, env):
        """Whether an answer the test read equals one of the test's literal numbers rounded to 2-6 decimals
        (an answer rounded before it was stored), judged without saying which."""
        numbers, codes = [], [function.__code__]
        while codes:
            for const in codes.pop().co_consts:
                if type(const) is float:
                    numbers.append(const)
                elif isinstance(const, cls._types.CodeType):
                    codes.append(const)
        values = []
        for value in env.values():
            if type(value) in (float, int) or type(value) in cls._scalars:
                values.append(value)
            elif cls._numpy is not None and type(value) is cls._numpy.ndarray and value.dtype.kind in "fiu":
                values.extend(value.ravel()[:1000].tolist())
            elif type(value) in (list, tuple):
                values.extend(v for v in value[:1000] if type(v) in (float, int))
        for number in numbers:
            for decimals in range(2, 7):
                rounded = round(number, decimals)
                if rounded != 0 and rounded != number and any(
                        cls._builtins.abs(float(v) - rounded) <= 1e-12 * cls._builtins.abs(rounded) for v in values):
                    return True
        return False

    @classmethod
    def _fresh_checker(cls, kept):
        """Put back every test's results as it finished, and undo the hooks and code swaps made while the
        tests ran (a function answer, a method on an answer): otter saves the results after this cell."""
        checker = cls._modules["otter.execute.checker"][1]["Checker"]
        changed = False
        for function, (code, defaults, kwdefaults) in cls._functions.items():
            if (function.__code__, function.__defaults__, function.__kwdefaults__) != (code, defaults, kwdefaults):
                function.__code__, function.__defaults__, function.__kwdefaults__ = code, defaults, kwdefaults
                changed = True
        checker.clear_results()
        for test, results, order in kept:
            changed |= list(test.test_case_results) != order or any(
                (r.passed, r.message) != (p, m) for r, p, m in results)
            test.test_case_results = [type(r)(test_case=r.test_case, message=m, passed=p) for r, p, m in results]
            checker.get_results().append(test)
        if cls._shell is not None:
            for event, callbacks in cls._shell.events.callbacks.items():
                keep = [c for c in callbacks if c in cls._events.get(event, [])
                        or getattr(c, "__func__", c) in cls._functions]
                if keep != callbacks:
                    callbacks[:] = keep
                    changed = True
        return "test results or hooks changed while the tests ran" if changed else ""

    @classmethod
    def check_all(cls, user_globals, sources):
        """Forget every result recorded so far (a grader.check anywhere in the student's cells) and run every
        test again, here, under the guard, from the test files kept in memory. The answers are copied once,
        before any test's source is read, and each test case gets fresh copies of them, so code that runs
        inside a test (a function answer) cannot change what another test sees; an answer of another type
        is hidden from the tests (its question fails). Otter saves these results."""
        user_globals = cls._globals if user_globals is None else user_globals
        checker = cls._modules["otter.execute.checker"][1]["Checker"]
        files = cls._modules["otter.test_files"][1]
        result_class = cls._modules["otter.test_files.abstract_test"][1]["TestCaseResult"]
        checker.clear_results()
        refused, rounded, converted = set(), set(), set()
        answers, kinds = {}, {}
        for name, value in list(user_globals.items()):
            if name.startswith("_") or isinstance(value, (type, cls._types.ModuleType)):
                continue
            if type(value) in cls._numbers:   # read as a float: the feedback says so when a test reads it
                kinds[name] = cls._numbers[type(value)]
            elif cls._numpy is not None and (type(value) in (cls._numpy.float32, cls._numpy.float16) or (
                    type(value) is cls._numpy.ndarray and value.dtype.kind == "f" and value.dtype.itemsize < 8)):
                kinds[name] = "float32" if value.dtype.itemsize == 4 else "float16"   # (few figures: said too)
            try:
                answers[name] = (cls._answer(value), "")
            except TypeError as exc:
                answers[name] = (None, f"answer {name} of type {exc} refused")
            except Exception as exc:   # a container whose own code raised while it was read
                text = " ".join(str(exc).split())[:120]
                answers[name] = (None, f"answer {name} could not be copied ({type(exc).__name__}: {text})")

        def fresh(names):
            env = {}
            for name in names:
                if name in answers:
                    value, problem = answers[name]
                    if problem:
                        refused.add(problem)
                    elif name in kinds:
                        converted.add(f"{name} {kinds[name]}")
                    env[name] = None if problem else cls._isolated(value) if type(
                        value) is cls._types.FunctionType else cls._answer(value)
            return env

        kept = []   # each test's results as it finished: code run by a later test cannot rewrite them
        for path in sorted(sources):
            source = sources.pop(path)
            spec = {}
            exec(source, spec)   # the instructor's test file, as otter reads it
            if spec.get("OK_FORMAT", "test" in spec):
                test = files["OKTestFile"].from_spec(spec["test"], path="./tests/" + cls._os.path.basename(path))
                env = {k: v for k, v in user_globals.items() if isinstance(v, cls._types.ModuleType)}
                env.update(fresh(list(answers)))   # a doctest-format test reads the notebook's modules too
                test.run(env)
                changed = cls._changed()
                if changed:
                    test.test_case_results = [type(r)(test_case=r.test_case, passed=False, message=(
                        "❌ Test case failed\nthe grader's environment changed during it")) for r in test.test_case_results]
                    refused.add(f"{', '.join(changed)} changed while {test.name} ran")
            else:
                test = files["ExceptionTestFile"].from_string(source, path="./tests/" + cls._os.path.basename(path))
                test.test_case_results = []
                for case in test.test_cases:   # otter's ExceptionTestFile.run, with fresh answers per case
                    env = fresh(case.body._get_func_params())
                    passed, message = True, "✅ Test case passed"
                    try:
                        case.body.call_func(env)
                    except Exception as exc:
                        passed, message = False, "❌ Test case failed\n" + test._generate_error_message(exc)
                        if case.hidden and cls._rounded(case.body.test_func, env):
                            rounded.add(test.name)
                    changed = cls._changed()
                    if changed:   # the answer's code changed what the tests rely on: the case cannot pass
                        passed, message = False, "❌ Test case failed\nthe grader's environment changed during it"
                        refused.add(f"{', '.join(changed)} changed while {test.name} ran")
                    test.test_case_results.append(result_class(test_case=case, message=message, passed=passed))
            kept.append((test, [(r, r.passed, r.message) for r in test.test_case_results],
                         list(test.test_case_results)))
        restored = cls._fresh_checker(kept)
        if restored:
            refused.add(restored)
        if refused:
            cls._say("klteach-guard: " + "; ".join(sorted(refused)))
        if rounded:
            cls._say("klteach-rounded: " + ", ".join(sorted(rounded)))
        if converted:
            cls._say("klteach-converted: " + ", ".join(sorted(converted)))


__klteach_guard.setup("tests", globals(), copies=())
del _kg_builtins, _kg_glob, _kg_os, _kg_sys, _kg_types, _kg_thread, _kg_audit, _kg_gc, _kg_signal
'''
GUARD_END = "with __klteach_guard(None, final=True):\n    __klteach_guard.check_all(None, SOURCES)\n"
_CHECK_CELL = re.compile(r"\s*\w+\.check(_all)?\((['\"][\w.-]+['\"])?\)\s*")


def guarded(nb, assignment_name: str, sources: dict[str, str] | None = None, copies: tuple[str, ...] = ()):
    """A copy of the submission that otter grades with the guard: set up before the student's first cell,
    every test run at the end (the results of the student's own checks are forgotten). The tests' source
    (``sources``: file name -> text) is written into the last cell only; the set-up deletes the test files
    and ``copies`` (paths of this notebook on the disk) before the student's first cell runs."""
    nb = nbformat.from_dict(nb)
    nb.cells.insert(0, nbformat.v4.new_code_cell(GUARD_SETUP.replace("copies=())", f"copies={tuple(copies)!r})")))
    nb.cells.append(nbformat.v4.new_code_cell(GUARD_END.replace("SOURCES", repr(dict(sources or {})))))
    nb.metadata.setdefault("otter", {})["assignment_name"] = assignment_name
    return nb


# ---- grading one submission, many in parallel, a resumable CSV and a gradebook ----

def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _one_line(exc: BaseException) -> str:
    text = " ".join(str(exc).split()) or type(exc).__name__
    return text if len(text) <= 200 else text[:197] + "..."


def grade_submission(assignment: Assignment, submission: Path, *, timeout: int = SUBMISSION_CELL_TIMEOUT) -> dict:
    """Grade one submission; never raises for a bad submission.

    Returns a row: ``submission``, a score per question, ``total``,
    ``possible``, ``reason`` (empty when graded normally; otherwise what
    happened, and the total is 0 with the questions blank), ``flags``
    (tampering scan and what the guard undid, ``; ``-separated), ``sha256`` and ``tests`` (the
    autograder's, :class:`Assignment`).
    """
    row = {"submission": str(submission), **{q: "" for q in assignment.questions}, "total": 0.0,
           "possible": sum(assignment.questions.values()), "reason": "", "flags": "", "sha256": "",
           "tests": assignment.tests}
    try:
        row["sha256"] = sha256(submission)
        nb = nbformat.read(submission, as_version=4)
    except OSError as exc:
        return row | {"reason": f"cannot read the file: {_one_line(exc)}"}
    except Exception as exc:   # nbformat's NotJSONError, a ValidationError, a bad encoding...
        return row | {"reason": f"not a notebook ({type(exc).__name__}): {_one_line(exc)}"}
    try:
        flags = tampering_flags(nb, assignment.provided)
    except Exception as exc:   # a notebook whose cells are not the usual shape
        return row | {"reason": f"not a usable notebook: {_one_line(exc)}"}
    # (another assignment's notebook gets no flags: its own handed-out cells would read as the student's code)
    claimed = (nb.metadata.get("otter") or {}).get("assignment_name")
    if claimed and claimed != assignment.name:
        return row | {"reason": f"another assignment: the notebook is {claimed}, not {assignment.name}"}
    if not claimed and not assignment.given:
        return row | {"reason": f"not recognised: the notebook names no assignment, and every code cell "
                                f"{assignment.name} hands out is another master's too (give each master data of "
                                f"its own: homework/README.md, section 6)"}
    if not claimed and not is_copy_of(assignment, nb):
        return row | {"reason": f"another assignment: the notebook names none, and its code is not "
                                f"{assignment.name}'s"}
    row["flags"] = "; ".join(flags)
    try:
        results, executed = _run_otter(assignment, nb, submission.name, timeout)
    except Exception as exc:
        from nbclient.exceptions import CellTimeoutError, DeadKernelError
        if isinstance(exc, CellTimeoutError):
            cell = _timed_out_cell(nb, str(exc))
            return row | {"reason": f"cell timeout: {cell or 'a cell'} ran longer than {timeout} s; nothing was graded"}
        if isinstance(exc, DeadKernelError):
            return row | {"reason": "kernel died: the submission's kernel stopped (out of memory, "
                                    "or code that ends the process); nothing was graded"}
        return row | {"reason": f"grading failed ({type(exc).__name__}): {_one_line(exc)}"}
    runtime = sorted({part.strip() for cell in executed.cells if cell.cell_type == "code"
                      for output in cell.get("outputs", []) for line in _text(output).splitlines()
                      if line.startswith(GUARD_MARK) for part in line[len(GUARD_MARK):].split(";")})
    row["flags"] = "; ".join(flags + [f"at run time: {r}" for r in runtime])
    guard_error = _cell_errors(executed, guard=True)
    if results.has_catastrophic_failure():
        where = f"; the grader's last cell failed ({guard_error[0][2]})" if guard_error else ""
        return row | {"reason": f"no test results ({_one_line(results.catastrophic_error)}): "
                                f"the submission's code stopped the grader{where}"}
    if _test_cases(results) != _expected_cases(assignment):
        return row | {"reason": "nothing was graded: the test results do not match the assignment's tests "
                                "(the submission replaced the grader or its tests); read the notebook",
                      "flags": "; ".join(filter(None, [row["flags"], "test results do not match the "
                                                                     "assignment's tests"]))}
    scores = {name: float(q["score"]) for name, q in results.to_dict().items() if name in assignment.questions}
    missing = [q for q in assignment.questions if q not in scores]
    if guard_error:   # the tests did not run under the guard: no score can be trusted
        return row | {"reason": f"the grader's last cell failed ({guard_error[0][2]}): nothing was graded; "
                                f"read the notebook (it may have removed the grading guard)"}
    errors = _cell_errors(executed)
    rounded = {q.strip() for cell in executed.cells if cell.source.startswith(GUARD_END.splitlines()[0])
               for output in cell.get("outputs", []) for line in _text(output).splitlines()
               if line.startswith(ROUNDED_MARK) for q in line[len(ROUNDED_MARK):].split(",")}
    row |= {q: round(s, 2) for q, s in scores.items()}
    row["total"] = round(sum(scores.values()), 2)
    converted = sorted({tuple(part.split()) for cell in executed.cells
                        if cell.source.startswith(GUARD_END.splitlines()[0])
                        for output in cell.get("outputs", []) for line in _text(output).splitlines()
                        if line.startswith(CONVERTED_MARK) for part in line[len(CONVERTED_MARK):].split(",")
                        if len(part.split()) == 2})
    sets = _answer_names(assignment)   # the answers of the questions that lost points (all, if not found)
    short = {name for q, names in sets.items() if scores.get(q, 0) < assignment.questions[q] for name in names} | \
        ({name for name, _ in converted if all(name not in names for names in sets.values())}
         if row["total"] < row["possible"] else set())
    refusals = {m.group(1): _refusal_note(m.group(1), m.group(2)) for r in runtime
                for m in [re.fullmatch(r"answer (\w+) (?:of type (.+) refused|could not be copied .*)", r)] if m}
    row["feedback"] = "\n".join([_cell_error_text(e) for e in errors] + list(refusals.values())
                                + [f"{name} is a numpy {kind}, which keeps about {7 if kind == 'float32' else 3} "
                                   f"figures: a hidden test that compares more closely fails, so store a float64 or a "
                                   f"Python float" if kind in ("float32", "float16") else
                                   f"{name} is a {kind}: graded as the float it rounds to (store a Python "
                                   f"float to pass the public test's form check)" for name, kind in converted
                                   # (a float32 answer only where its question lost points: float32 work may pass)
                                   if kind not in ("float32", "float16") or name in short]
                                + [_feedback(results, assignment, rounded, refusals,
                                             _answers_of_cells_that_raised(executed, errors,
                                                                           _answer_names(assignment)))])
    if missing:
        row["reason"] = f"questions not tested: {', '.join(missing)}"
    if errors:
        more = f" (and {len(errors) - 1} more)" if len(errors) > 1 else ""
        row["reason"] = "; ".join(filter(None, [row["reason"], _cell_error_text(errors[0]) + more]))
    if not claimed:
        row["reason"] = "; ".join(filter(None, [row["reason"], "no assignment name in the notebook: "
                                                              "recognised by its code"]))
    return row


def _test_cases(results) -> dict[str, list[tuple[str, bool, float]]]:
    """``{question: [(test case name, hidden, points), ...]}`` of otter's results (a ``GradingResults``)."""
    return {name: [(case.test_case.name, bool(case.test_case.hidden), float(case.test_case.points or 0))
                   for case in test.test_case_results]
            for name, test in results.results.items()}


def _expected_cases(assignment: Assignment) -> dict[str, list[tuple[str, bool, float]]]:
    """The same, read from the assignment's own autograder zip: what the results of a run under the guard hold.
    Results that differ (a test case of another name, count, visibility or worth) came from tests the
    submission wrote itself, with the grader's guard replaced."""
    import zipfile

    cases = {}
    with zipfile.ZipFile(assignment.zip) as zf:
        for member in sorted(zf.namelist()):
            if member.startswith("tests/") and member.endswith(".py"):
                test = read_test_file(zf.read(member).decode("utf-8"), member)
                cases[test.name] = [(case.name, bool(case.hidden), float(case.points or 0))
                                    for case in test.test_cases]
    return cases


def _cell_errors(executed, guard: bool = False) -> list[tuple[int, str, str]]:
    """``(cell number, first line, "ename: evalue")`` for each cell of the submission that raised, numbered
    from 1 over all of the submission's cells (markdown too), as JupyterLab shows them; with ``guard``, the
    grader's own last cell instead. Cells before the guard's set-up and from its last cell on are otter's
    or the grader's."""
    sources = [c.source.strip() for c in executed.cells]
    first, last = GUARD_SETUP.strip().splitlines()[0], GUARD_END.splitlines()[0]
    start = next((i + 1 for i, s in enumerate(sources) if s.startswith(first)), 0)
    end = next((i for i, s in enumerate(sources) if s.startswith(last)), len(sources))
    cells = range(end, end + 1) if guard else range(start, end)
    found = []
    for index in cells:
        if index >= len(executed.cells) or executed.cells[index].cell_type != "code":
            continue
        error = next((o for o in executed.cells[index].get("outputs", []) if o.get("output_type") == "error"), None)
        if error is not None:
            first = next((line for line in executed.cells[index].source.splitlines() if line.strip()), "")
            value = re.sub(r" \(\d+\.py, line \d+\)$", "", _one_line(error.get("evalue", "")))   # IPython's cell file name
            found.append((index - start + 1, first.strip(), f"{error.get('ename')}: {value}"))
    return found


def _timed_out_cell(nb, message: str) -> str:
    """The submission's cell that nbclient's CellTimeoutError ``message`` previews, named as error reasons name
    cells (``cell 11 (`while True:`)``, counted from 1 over all cells), or "" when none matches."""
    for number, cell in enumerate(nb.cells, start=1):
        lines = cell.source.strip().split("\n")
        if cell.cell_type != "code" or not cell.source.strip():
            continue
        preview = cell.source if len(lines) < 11 else f"{lines[:5]}\n...\n{lines[-5:]}"   # as nbclient shows it
        if preview in message:
            first = next(line.strip() for line in lines if line.strip())
            return f"cell {number} (`{first if len(first) <= 60 else first[:57] + '...'}`)"
    return ""


def _answer_names(assignment: Assignment) -> dict[str, list[str]]:
    """``{question: names}``: the names each question's answer cell sets in the student copy (the code cell just
    before its ``grader.check("q")``), {} when the copy is not there."""
    copy = assignment.folder / "student" / f"{assignment.name}.ipynb"
    if not copy.exists():
        return {}
    cells = [c for c in nbformat.read(copy, as_version=4).cells if c.cell_type == "code"]
    names = {}
    for before, cell in zip(cells, cells[1:]):
        question = _checked_question(cell.source)
        if question:
            names[question] = _set_names(before.source)
    return names


def _checked_question(source: str) -> str | None:
    """The question a check cell (``grader.check("q1")``, :data:`_CHECK_CELL`) checks, else None."""
    match = _CHECK_CELL.fullmatch(source)
    return match.group(2).strip("'\"") if match and match.group(2) else None


def _set_names(source: str) -> list[str]:
    """The names a cell assigns or defines at the start of a line (``name = ...``, ``fig, name = ...``, ``def``)."""
    found = []
    for targets in [*re.findall(r"^([A-Za-z_][\w ,]*?)\s*=(?!=)", source, re.M),
                    *re.findall(r"^def\s+([A-Za-z_]\w*)\s*\(", source, re.M)]:
        found += [name for name in (t.strip() for t in targets.split(",")) if name.isidentifier()]
    return found


def _answers_of_cells_that_raised(executed, errors: list[tuple[int, str, str]],
                                  answers: dict[str, list[str]] | None = None) -> dict[str, str]:
    """``{name: note}`` for each name assigned or defined at the start of a line (``name = ...``, ``fig, name = ...``,
    ``def name(...)``) in a submission cell that raised, numbered as ``errors`` (from _cell_errors) number them: when a test finds that
    answer missing, its cell stopped before setting it, and the note says so instead of "replace the ...". A cell
    that raised before the next ``grader.check("q")`` is taken for that question's answer cell too (rewritten,
    a SyntaxError, cells added between them): the names it should set are ``answers[q]`` (:func:`_answer_names`).

    >>> nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("fig, ax_q4 = plt.subplots()")])
    >>> _answers_of_cells_that_raised(nb, [(1, "fig, ax_q4 = plt.subplots()", "NameError: name 'plt' is not defined")])
    {'fig': 'fig was not set: its cell (cell 1) raised NameError, see above', \
'ax_q4': 'ax_q4 was not set: its cell (cell 1) raised NameError, see above'}
    >>> nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("def log_softmax(z):\\n    return z -")])
    >>> _answers_of_cells_that_raised(nb, [(1, "def log_softmax(z):", "SyntaxError: invalid syntax")])
    {'log_softmax': 'log_softmax was not set: its cell (cell 1) raised SyntaxError, see above'}
    """
    sources = [c.source.strip() for c in executed.cells]
    first = GUARD_SETUP.strip().splitlines()[0]
    start = next((i + 1 for i, s in enumerate(sources) if s.startswith(first)), 0)
    notes = {}
    for number, _, message in errors:
        cell = executed.cells[start + number - 1]
        names = _set_names(cell.source)
        if answers:     # the answers of the next check after it (cells added between them, a name misspelt)
            after = next((c.source.strip() for c in executed.cells[start + number:]
                          if c.cell_type == "code" and _checked_question(c.source)), "")
            names += answers.get(_checked_question(after), [])
        for name in names:
            notes.setdefault(name, f"{name} was not set: its cell (cell {number}) raised "
                                   f"{message.split(':')[0]}, see above")
    return notes


def _cell_error_text(error: tuple[int, str, str]) -> str:
    number, first, message = error
    first = first if len(first) <= 60 else first[:57] + "..."
    return f"cell {number} (`{first}`) raised {message}"


def is_copy_of(assignment: Assignment, nb) -> bool:
    """Whether a notebook without otter metadata is a copy of ``assignment``: its ``grader.check`` cells
    name only this assignment's questions, and it keeps at least half of the code cells the student
    copy hands out and no other assignment has (question names alone, q1, q2..., are the same in every
    assignment, and so is the imports cell)."""
    code = [" ".join(c.source.split()) for c in nb.cells if c.cell_type == "code"]
    checked = set(re.findall(r"\.check\(['\"]([\w.-]+)['\"]\)", "\n".join(code)))
    if not checked or not checked <= set(assignment.questions):
        return False
    return bool(assignment.given) and 2 * len(assignment.given & set(code)) >= len(assignment.given)


def _refusal_note(name: str, kind: str | None) -> str:
    """Why the grader could not use an answer, said to the student (the tests saw no answer at all)."""
    if kind is None:
        return f"{name} could not be read by the grader (its own code raised): store a plain Python value"
    if kind == "str":
        return f"{name} is a str (text): store the number itself, a Python float, not text"
    return (f"{name} is of type {kind}: store it as its question asks, a number as a Python float (float(...)), "
            f"an array as a plain numpy array (np.asarray(...)) or a list of floats; the grader reads only plain "
            f"types (and Decimal, Fraction, mpmath.mpf), not a pandas Series or a subclass of a numpy array")


def _feedback(results, assignment: Assignment, rounded: set[str] = frozenset(),
              refusals: dict[str, str] | None = None, raised: dict[str, str] | None = None) -> str:
    """Per-student feedback: each question's score, each public test's result and message, and each
    hidden test's result only (never its code or message, which show the hidden test's source). A question
    with a failed hidden test gets a neutral note, or, in ``rounded`` (an answer the failed test read equals
    its reference rounded to 2-6 decimals, found by the guard), the advice to store the unrounded value.
    A public test asking to set an answer that a cell which raised would have set (``raised``, from
    _answers_of_cells_that_raised) says that cell raised instead."""
    lines = []
    for name, test in results.results.items():
        if name not in assignment.questions:
            continue
        lines.append(f"{name}: {round(test.score, 2):g} / {round(test.possible, 2):g}")   # as in the CSV: 1.33, not 1.33333
        numbers = {True: 0, False: 0}
        for case in test.test_case_results:
            hidden = bool(case.test_case.hidden)
            numbers[hidden] += 1
            kind = "hidden" if hidden else "public"
            lines.append(f"  {kind} test {numbers[hidden]}: {'passed' if case.passed else 'failed'}")
            if not hidden and not case.passed and case.message:
                named = [note for answer, note in (refusals or {}).items()
                         if re.search(rf"\b{answer}\b", case.message)]
                unset = re.search(r"\bset (\w+): (?:replace the \.\.\.|it is None)", case.message)
                if not named and unset and unset.group(1) in (raised or {}):
                    named = [raised[unset.group(1)]]
                lines += ["    " + line for line in (named or case.message.strip().splitlines())]
        if any(case.test_case.hidden and not case.passed for case in test.test_case_results):
            lines.append(f"  {ROUNDING if name in rounded else HIDDEN_FAILED}")
    return "\n".join(lines)


# Hidden tests compare a computed answer with its exact value (tolerances near 1e-12): an answer rounded
# before it is stored fails them. Every question with such a tolerance says so; the feedback repeats it only
# when the guard saw an answer equal to the test's reference rounded (ROUNDED_MARK), and is neutral otherwise.
ROUNDING = "(a hidden test failed: store the unrounded value in the answer; round only when printing)"
HIDDEN_FAILED = "(a hidden test failed)"
ROUNDED_MARK = "klteach-rounded:"
CONVERTED_MARK = "klteach-converted:"   # answers of an exact number type (Decimal, ...) the tests read as floats


# The only classes otter's results file holds. The student's kernel writes that file, so it is read with an
# unpickler that builds nothing else: a crafted file cannot run code in the grading process.
_RESULT_CLASSES = {("otter.test_files", "GradingResults"), ("otter.test_files.abstract_test", "TestCase"),
                   ("otter.test_files.abstract_test", "TestCaseResult"),
                   ("otter.test_files.exception_test", "ExceptionTestFile"),
                   ("otter.test_files.exception_test", "test_case"), ("otter.test_files.ok_test", "OKTestFile")}


class _ResultsUnpickler(pickle.Unpickler):
    def find_class(self, module, name):
        if (module, name) not in _RESULT_CLASSES:
            raise pickle.UnpicklingError(f"the results file names {module}.{name}, not one of otter's result classes")
        return super().find_class(module, name)


class _RestrictedPickle:
    """Stands in for the ``pickle`` module otter.execute reads the results file with."""

    @staticmethod
    def load(file):
        return _ResultsUnpickler(file).load()

    def __getattr__(self, name):
        return getattr(pickle, name)


@contextmanager
def _results_read_safely():
    import otter.execute

    original, otter.execute.pickle = otter.execute.pickle, _RestrictedPickle()
    try:
        yield
    finally:
        otter.execute.pickle = original


def _run_otter(assignment: Assignment, nb, filename: str, timeout: int):
    """Run otter on ``nb`` under the guard (written as ``filename`` in a fresh temporary folder);
    ``(results, executed nb)``."""
    import tempfile

    from otter.api import grade_submission as otter_grade  # the homework extra; only needed here

    with zipfile.ZipFile(assignment.zip) as zf:   # the tests go into the guarded notebook's last cell only
        sources = {Path(n).name: zf.read(n).decode("utf-8") for n in zf.namelist()
                   if n.startswith("tests/") and n.endswith(".py")}
    with tempfile.TemporaryDirectory(prefix="klteach-grade-") as tmp:
        path = Path(tmp) / filename
        nbformat.write(guarded(nb, assignment.name, sources, copies=(str(path),)), path)
        with _otter_cells_time_out(timeout), _results_read_safely(), open(os.devnull, "w") as quiet, \
                redirect_stderr(quiet):
            results = otter_grade(str(path), str(assignment.zip), quiet=True)
    return results, results.notebook


def autograde(assignment: Path, submission: Path, *, timeout: int = CELL_TIMEOUT) -> dict[str, float]:
    """Grade one submission with the assignment's hidden and public tests: ``{question: score}`` plus totals.

    ``timeout`` is the seconds each cell may take. Raises HomeworkError when the
    submission cannot be graded (see grade_submission for a row instead).
    """
    row = grade_submission(load_assignment(assignment), submission, timeout=timeout)
    if row["reason"] and row["total"] == 0 and all(row[q] == "" for q in _questions(row)):
        raise HomeworkError(f"{submission}: {row['reason']}")
    return {q: float(row[q] or 0) for q in _questions(row)} | {"total": row["total"], "possible": row["possible"]}


def _questions(row: dict) -> list[str]:
    keys = list(row)
    return keys[1:keys.index("total")]


def _quiet_worker():
    """Grading processes write nothing to the terminal: kernels that are stopped (a cell timeout, a
    dead kernel) print tracebacks on the stderr they inherit; the parent prints one line per row."""
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, 2)
    os.close(devnull)


def _grade_job(args):
    assignment, submission, timeout = args
    return grade_submission(assignment, submission, timeout=timeout)


def _read_rows(path: Path) -> tuple[list[str], list[dict]]:
    with open(path, newline="") as f:
        reader = csv.DictReader(f)
        return list(reader.fieldnames or []), list(reader)


def autograde_all(assignment: Assignment, submissions: list[Path], out: Path, *, timeout: int,
                  jobs: int, resume: bool = False, only: list[str] | None = None,
                  feedback: Path | None = None, graded: set[str] | None = None) -> list[dict]:
    """Grade ``submissions`` in ``jobs`` processes, appending each row to ``out`` as it finishes.

    With ``resume`` (or ``only``), rows already in ``out`` are kept and a
    submission whose path and sha256 match a kept row graded with the same tests is skipped; ``only``
    (file names or patterns) regrades just those submissions. When all are
    done, ``out`` is rewritten in the order of ``submissions`` (rows kept from an
    earlier run for files not given this time come last). Returns those rows.
    With ``feedback``, each graded submission also gets ``feedback/<name>.txt``, named by
    :func:`submission_names` (see _feedback: no hidden test source), ending with the file's hash and the tests
    that graded it. ``graded``, when given, receives the submissions graded in this run that are new or changed.
    """
    if feedback is not None:
        feedback.mkdir(parents=True, exist_ok=True)
    fields = ["submission", *assignment.questions, "total", "possible", "reason", "flags", "sha256", "tests"]
    unique: dict[str, Path] = {}
    for sub in submissions:   # one file given twice (two spellings, or two patterns matching it) is graded once
        if str(sub.resolve()) in unique:
            print(f"{sub}: the same file as {unique[str(sub.resolve())]}, given twice: graded once")
        unique.setdefault(str(sub.resolve()), sub)
    submissions = list(unique.values())
    kept: dict[str, dict] = {}
    if (resume or only) and out.exists():
        header, rows = _read_rows(out)
        if header == [f for f in fields if f != "tests"]:
            raise HomeworkError(f"{out} was written before the grader recorded the tests of each row (it has no "
                                f"tests column): grade into a new file")
        if header != fields:
            raise HomeworkError(f"{out} has columns {header}, not this assignment's {fields}: "
                                f"grade into a new file, or delete it")
        kept = {row["submission"]: row for row in rows}
        elsewhere = [key for key in kept if not Path(key).exists() and str(Path(key).resolve()) not in unique]
        # a file given now that has no row, while a row not found from here has its name: most likely the same file,
        # named from another folder than the earlier run's (or a file moved): grading it would add a second row
        found = {str(Path(key).resolve()) for key in kept if key not in elsewhere}
        twins = [str(sub) for sub in submissions if str(sub.resolve()) not in found
                 and sub.name in {Path(key).name for key in elsewhere}]
        if twins:
            raise HomeworkError(f"{out} has rows that name files not found from this folder "
                                f"({', '.join(k for k in elsewhere if Path(k).name in {Path(t).name for t in twins})[:200]})"
                                f" with the names of files given now ({', '.join(twins[:3])}"
                                f"{' ...' if len(twins) > 3 else ''}): grading them would add second rows. Run from "
                                f"the folder of the earlier run (a relative path in the CSV is read from where the "
                                f"command runs); if a file was moved, delete its old row from {out}; or grade into a "
                                f"new file. Nothing was graded")
        if elsewhere:
            print(f"warning: {len(elsewhere)} row(s) of {out} name files not found from this folder "
                  f"({', '.join(elsewhere[:3])}{' ...' if len(elsewhere) > 3 else ''}): they are kept as they are; "
                  f"if they are the files given now, run from the folder of the earlier run (a relative path is "
                  f"read from where the command runs), or those files would be graded again beside them")
    # a kept row is matched to a file given now by the file itself, however its path is spelled (relative,
    # absolute, ./...), and takes this run's spelling
    spelled = {str(sub.resolve()): str(sub) for sub in submissions}
    kept = {spelled.get(str(Path(key).resolve()), key): {**row, "submission": spelled.get(str(Path(key).resolve()), key)}
            for key, row in kept.items()}
    # named over every row, kept ones too, as the gradebook names them
    names = submission_names(list(dict.fromkeys([*map(str, submissions), *kept])))
    if only and not any(_only_matches(sub, only) for sub in submissions):
        raise HomeworkError(f"--only {' '.join(only)} matches none of the {len(submissions)} submissions given "
                            f"(it is matched against each file's name, e.g. alice.ipynb, or its path, e.g. "
                            f"'*/alice/*'): nothing was graded")
    todo, skipped, retested = [], [], set()
    for sub in submissions:
        if only and not _only_matches(sub, only):
            continue
        row = kept.get(str(sub))
        if row is not None and sub.exists() and row["sha256"] == sha256(sub) and only:
            retested.add(str(sub))   # (--only regrades it: the same content keeps its recorded hand-in time)
        if row is not None and not only and sub.exists() and row["sha256"] == sha256(sub):
            if row["tests"] == assignment.tests:
                print(f"{sub}: already graded ({_score_text(row['total'])} / {_score_text(row['possible'])}), "
                      f"skipped")
                skipped.append(sub)
                continue
            print(f"{sub}: graded with other tests ({row['tests'] or 'unknown'}; the autograder's are now "
                  f"{assignment.tests}): graded again")
            retested.add(str(sub))
        elif row is not None and not only and sub.exists():
            print(f"{sub}: changed since it was graded: graded again")
        kept.pop(str(sub), None)
        todo.append(sub)
    if graded is not None:   # (a file graded again with the content it had is the file handed in: not counted)
        graded.update(str(sub) for sub in todo if str(sub) not in retested)
    with open(out, "w", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=fields, extrasaction="ignore")
        writer.writeheader()
        writer.writerows(kept.values())
        f.flush()
        done = list(kept.values())
        if todo:
            with ProcessPoolExecutor(max_workers=max(1, min(jobs, len(todo))), initializer=_quiet_worker) as pool:
                futures = {pool.submit(_grade_job, (assignment, sub, timeout)): sub for sub in todo}
                for future in as_completed(futures):
                    sub = futures[future]
                    try:
                        row = future.result()
                    except Exception as exc:   # the worker process itself died
                        row = {"submission": str(sub), **{q: "" for q in assignment.questions}, "total": 0.0,
                               "possible": sum(assignment.questions.values()),
                               "reason": f"grading process failed ({type(exc).__name__}): {_one_line(exc)}",
                               "flags": "", "sha256": sha256(sub) if sub.exists() else "",
                               "tests": assignment.tests}
                    writer.writerow(row)
                    f.flush()
                    if feedback is not None:
                        text = row.pop("feedback", "") or f"not graded: {row['reason']}"
                        (feedback / f"{names[str(sub)]}.txt").write_text(
                            f"{assignment.name}, {_shown(sub, names)}: {float(row['total']):g} / "
                            f"{float(row['possible']):g}\n"
                            f"{text}\n{_graded_line(row)}\n")
                    row.pop("feedback", None)
                    done.append(row)
                    print(_summary(row), flush=True)
    _say_what_was_kept(assignment, out, list(kept.values()), skipped, feedback, names)
    given = {str(sub): i for i, sub in enumerate(submissions)}   # the order asked for (a shell glob sorts)
    done.sort(key=lambda row: (given.get(row["submission"], len(given)), _natural(row["submission"])))
    tmp = out.with_name(out.name + ".tmp")
    with open(tmp, "w", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=fields)
        writer.writeheader()
        writer.writerows(done)
    tmp.replace(out)
    return done


def _say_what_was_kept(assignment: Assignment, out: Path, kept: list[dict], skipped: list[Path],
                       feedback: Path | None, names: dict[str, str]) -> None:
    """Warn of kept rows that the CSV now holds beside rows of this run but that were graded with other tests
    (``--only`` leaves them; files not given this time are never graded), and of skipped submissions that have
    no feedback file in this run's ``--feedback`` folder."""
    stale = [row["submission"] for row in kept if row["tests"] != assignment.tests]
    if stale:
        print(f"warning: {len(stale)} row(s) of {out} kept from an earlier run were graded with other tests than "
              f"the autograder's ({assignment.tests}): {', '.join(stale[:5])}{' ...' if len(stale) > 5 else ''}. "
              f"Run again with --resume and every submission (no --only) to grade them with these tests")
    if feedback is not None:
        rows = {row["submission"]: row for row in kept}
        missing = [sub for sub in skipped if not _feedback_of(feedback / f"{names[str(sub)]}.txt", rows[str(sub)])]
        if missing:
            print(f"note: {len(missing)} submission(s) already graded were skipped, so {feedback} has no "
                  f"feedback for their grading ({', '.join(s.name for s in missing[:5])}"
                  f"{' ...' if len(missing) > 5 else ''}; none, or feedback from another grading): their feedback is "
                  f"in the --feedback folder of the run that graded them, if it had one; to write it here, grade "
                  f"them again with --only")


def _graded_line(row: dict) -> str:
    """The last line of a feedback file: which file content and which tests it reports on."""
    return f"(graded: file sha256 {row['sha256'][:12] or 'none'}, tests {row['tests']})"


def _feedback_of(path: Path, row: dict) -> bool:
    """Whether the feedback file ``path`` reports on the grading recorded in ``row``."""
    try:
        return path.read_text().rstrip("\n").splitlines()[-1] == _graded_line(row)
    except (OSError, IndexError, UnicodeDecodeError):
        return False


def _only_matches(sub: Path, patterns: list[str]) -> bool:
    """Whether ``--only`` names ``sub``: its file name or path matches a pattern, or a pattern without wildcards
    is the same file spelled another way (``./subs/bob.ipynb``, an absolute path)."""
    return any(fnmatch.fnmatch(sub.name, p) or fnmatch.fnmatch(str(sub), p)
               or (not any(c in p for c in "*?[") and Path(p).exists() and Path(p).resolve() == sub.resolve())
               for p in patterns)


def _shown(sub: Path, names: dict[str, str]) -> str:
    """A submission as its feedback names it: the file name, with its folder where files share a name
    (one folder per student), never the instructor's full path."""
    return sub.name if names[str(sub)] == sub.stem else f"{sub.parent.name}/{sub.name}"


def submission_names(paths) -> dict[str, str]:
    """A name for each submission (its feedback file, its default student id): the file's stem, or, where stems
    repeat (one folder per student, as Moodle downloads them), its folder's name, a dash and the stem."""
    paths = [Path(p) for p in paths]
    stems = Counter(p.stem for p in paths)
    return {str(p): p.stem if stems[p.stem] == 1 else f"{p.parent.name or p.resolve().parent.name}-{p.stem}"
            for p in paths}


def _summary(row: dict) -> str:
    text = f"{row['submission']}: {float(row['total']):g} / {float(row['possible']):g}"
    if row["reason"]:
        text += f" ({row['reason']})"
    if row["flags"]:
        text += f" [flags: {row['flags']}]"
    return text


def _deadline(text: str) -> datetime:
    try:
        when = datetime.fromisoformat(text)
    except ValueError:
        raise HomeworkError(f"--deadline {text!r} is not an ISO date and time, e.g. 2026-12-01T23:59 "
                            f"or 2026-12-01T23:59+01:00") from None
    return when if when.tzinfo else when.astimezone()   # no zone given: this machine's local time


def read_roster(path: Path) -> list[dict]:
    """Rows of a roster CSV with columns ``file`` (a file name or pattern), ``student_id`` and ``name``."""
    header, rows = _read_rows(path)
    missing = {"file", "student_id"} - set(header)
    if missing:
        raise HomeworkError(f"the roster {path} needs columns file, student_id (and name); "
                            f"missing {sorted(missing)}, found {header}")
    return rows


def write_gradebook(assignment: Assignment, rows: list[dict], path: Path, *, roster: list[dict] | None = None,
                    deadline: datetime | None = None, submitted: dict[str, str] | None = None) -> None:
    """A CSV for an LMS: one row per submission, points rounded to 2 decimals (columns: homework/README.md).
    ``submitted`` gives the hand-in time (ISO) recorded earlier for a submission not graded again; the others
    take their file's modification time."""
    written = [f"{q} (written, /{points:g})" for q, points in assignment.written.items()]
    fields = ["student_id", "name", *assignment.questions, *written, "total", "possible", "late",
              "submitted", "flags", "reason", "submission"]
    with open(path, "w", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=fields)
        writer.writeheader()
        ids: dict[str, list[str]] = {}
        names = submission_names(row["submission"] for row in rows)
        for row in rows:
            sub = Path(row["submission"])
            student = next((r for r in roster or [] if fnmatch.fnmatch(sub.name, r["file"])
                            or fnmatch.fnmatch(str(sub), r["file"])), None)
            if roster is not None and student is None:
                print(f"{sub}: not in the roster; its student id is {names[str(sub)]}")
            earlier = (submitted or {}).get(row["submission"])
            when = datetime.fromisoformat(earlier) if earlier else \
                datetime.fromtimestamp(sub.stat().st_mtime, UTC) if sub.exists() else None
            out = {"student_id": student["student_id"] if student else names[str(sub)],
                   "name": (student or {}).get("name", ""),
                   **{q: _points(row[q]) for q in assignment.questions}, **{w: "" for w in written},
                   "total": _points(row["total"]), "possible": _points(row["possible"]),
                   "late": "" if deadline is None or when is None else ("yes" if when > deadline else "no"),
                   "submitted": when.isoformat(timespec="seconds") if when else "",
                   "flags": row["flags"], "reason": row["reason"], "submission": row["submission"]}
            writer.writerow(out)
            ids.setdefault(out["student_id"], []).append(sub.name)
    for student_id, files in ids.items():   # an LMS import keeps one row per id: which one is not yours to guess
        if len(files) > 1:
            print(f"warning: student id {student_id} has {len(files)} rows in {path.name} ({', '.join(files)}): "
                  f"an LMS keeps only one of them; remove the files you do not mean to grade, or give each its "
                  f"own roster row")


def _score_text(value) -> str:
    """A score read back from the CSV as the grading run prints it: 7.5 and 8, not 7.5 and 8.0."""
    try:
        return f"{float(value):g}"
    except (TypeError, ValueError):
        return str(value)


def _points(value) -> str:
    return "" if value in ("", None) else f"{float(value):.2f}"


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
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1,
                        help="autograde: submissions graded in parallel, each in its own process and kernel "
                             "(default: the number of cores)")
    parser.add_argument("--resume", action="store_true",
                        help="autograde: keep the rows already in --out and skip submissions whose path "
                             "and content (sha256) are unchanged and were graded with the same tests")
    parser.add_argument("--only", action="append", metavar="NAME",
                        help="autograde: (re)grade only submissions with this file name or pattern, keeping "
                             "the other rows of --out (repeatable)")
    parser.add_argument("--gradebook", type=Path,
                        help="autograde: gradebook CSV for an LMS (default: next to --out, '-gradebook' added)")
    parser.add_argument("--roster", type=Path,
                        help="autograde: CSV with columns file (name or pattern), student_id, name")
    parser.add_argument("--deadline",
                        help="autograde: ISO date and time, e.g. 2026-12-01T23:59 (local time) or "
                             "2026-12-01T23:59+01:00; a submission modified later is marked late")
    parser.add_argument("--feedback", type=Path, metavar="FOLDER",
                        help="autograde: also write FOLDER/<submission>.txt for each student: scores, public "
                             "tests' results and messages, hidden tests' results without their code")
    parser.add_argument("--master", type=Path,
                        help="autograde: the master notebook, for its hand-graded questions "
                             "(default: homework/<assignment>.ipynb)")
    args = parser.parse_intermixed_args(argv)   # options may sit between the paths
    if args.kind == "assign":
        if args.out is None:
            parser.error("assign needs --out FOLDER")
        failed = []
        for master in args.notebooks:   # one master that fails does not stop the others
            try:
                print(f"wrote {assign(master, args.out)}")
            except HomeworkError as exc:
                print(f"error: {exc}", file=sys.stderr)
                failed.append(master.name)
        if failed:
            print(f"error: not built: {', '.join(failed)} (each error above)", file=sys.stderr)
        return 1 if failed else 0
    if args.kind == "autograde":
        if args.out is None or len(args.notebooks) < 2:
            parser.error("autograde takes an assigned folder, then submissions, and --out FILE.csv")
        if args.jobs < 1:
            parser.error("--jobs must be at least 1")
        folder, *submissions = args.notebooks
        unmatched = [str(sub) for sub in submissions if not sub.exists() and any(c in str(sub) for c in "*?[")]
        if unmatched:   # the shell passes a pattern that matches no file on as it is
            print(f"error: no submissions matched {', '.join(unmatched)}: check the folder and the pattern "
                  f"(one folder per student: submissions/*/*.ipynb)", file=sys.stderr)
            return 1
        folders = [sub for sub in submissions if sub.is_dir()]
        if len(folders) == 1:
            print(f"error: {folders[0]} is a folder: give the notebooks in it ({folders[0]}/*.ipynb, or "
                  f"{folders[0]}/*/*.ipynb with one folder per student)", file=sys.stderr)
            return 1
        if folders:   # (students' folders, from a pattern such as submissions/*)
            parent = Path(os.path.commonpath([str(f.parent) for f in folders]))
            print(f"error: {', '.join(map(str, folders))} are folders: give the notebooks in them "
                  f"({parent}/*/*.ipynb with one folder per student)", file=sys.stderr)
            return 1
        try:
            gradebook = args.gradebook or args.out.with_name(f"{args.out.stem}-gradebook.csv")
            settings = gradebook.with_name(gradebook.stem + "-settings.json")
            if (args.only or args.resume) and (args.roster is None or args.deadline is None) and settings.exists():
                # a regrade keeps the roster and deadline the gradebook was made with, each unless given anew
                earlier = json.loads(settings.read_text())
                kept = []
                if args.roster is None and earlier.get("roster"):
                    args.roster = Path(earlier["roster"])
                    kept.append(f"the roster ({args.roster})")
                if args.deadline is None and earlier.get("deadline"):
                    args.deadline = earlier["deadline"]
                    kept.append(f"the deadline ({args.deadline})")
                if kept:
                    print(f"using {' and '.join(kept)} of the earlier run, from {settings.name}: pass --roster or "
                          f"--deadline to change them")
            deadline = _deadline(args.deadline) if args.deadline else None
            roster = read_roster(args.roster) if args.roster else None
            assignment = load_assignment(folder, args.master)
            # a row kept from an earlier run keeps the hand-in time its gradebook recorded (a file touched since,
            # copied without -p or saved when opened, would otherwise turn late)
            times = {} if not (args.only or args.resume) or not gradebook.exists() else \
                {str(Path(r.get("submission", "")).resolve()): r.get("submitted", "") for r in _read_rows(gradebook)[1]}
            graded: set[str] = set()
            rows = autograde_all(assignment, submissions, args.out, timeout=args.cell_timeout, jobs=args.jobs,
                                 resume=args.resume, only=args.only, feedback=args.feedback, graded=graded)
            times = {r["submission"]: times.get(str(Path(r["submission"]).resolve()), "") for r in rows
                     if r["submission"] not in graded}
            write_gradebook(assignment, rows, gradebook, roster=roster, deadline=deadline, submitted=times)
            settings.write_text(json.dumps({"roster": str(args.roster.resolve()) if args.roster else None,
                                            "deadline": args.deadline}, indent=1) + "\n")
        except (HomeworkError, OSError) as exc:
            print(f"error: {exc}", file=sys.stderr)
            return 1
        print(f"wrote {args.out} and {gradebook}")
        return 0
    if args.kind == "grade":
        if args.submission is None or len(args.notebooks) != 1:
            parser.error("grade takes one course notebook and --submission FILE")
        try:
            original = nbformat.read(args.notebooks[0], as_version=4)
            results = grade(original, nbformat.read(args.submission, as_version=4),
                            cwd=args.notebooks[0].parent, timeout=args.cell_timeout)
        except HomeworkError as exc:
            print(f"{args.submission}: {exc}", file=sys.stderr)
            return 1
        except OSError as exc:
            print(f"cannot read {exc.filename}: {exc.strerror}", file=sys.stderr)
            return 1
        except Exception as exc:   # nbformat: not JSON, not a notebook
            print(f"{args.submission}: not a notebook ({type(exc).__name__}): {_one_line(exc)}", file=sys.stderr)
            return 1
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

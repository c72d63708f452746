"""Grading that does not stop and does not lie: tools/homework.py autograde over a folder of bad,
tampering and good submissions, its resumable CSV and gradebook, and formative ``grade``.

One autograde run (``--jobs 2``) grades every kind of submission; the tests below read its CSV.
Expected scores come from the assignment's test files as otter reads them (each test case's
``points:``, the rest of a question's points shared by the others), not from the grader.
"""

from __future__ import annotations

import csv
import os
import shutil
import sys
import time
import zipfile
from datetime import UTC, datetime, timedelta
from pathlib import Path

import nbformat
import pytest
from test_assignments import MASTERS, _copy, assigned, hidden_tests  # noqa: F401  (assigned is a fixture)

import homework

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "course"))   # the answer keys' tests share their tiny notebook
from test_answer_keys import _tiny_notebook  # noqa: E402

HW01, HW02, HW04 = (next(m for m in MASTERS if m.stem.startswith(p)) for p in ("hw01", "hw02", "hw04"))
CELL_TIMEOUT = 15          # seconds: the slow submission's endless loop hits it; a normal cell takes < 3 s
DEADLINE = datetime(2026, 12, 1, 23, 59, tzinfo=UTC)


def _answer_cell(nb, variable: str) -> int:
    """Index of the code cell that sets ``variable`` (found by content, not position)."""
    return next(i for i, c in enumerate(nb.cells) if c.cell_type == "code" and c.source.lstrip().startswith(variable))


def _edit(nb, changes: dict[str, str]):
    nb = nbformat.from_dict(nb)
    for variable, source in changes.items():
        nb.cells[_answer_cell(nb, variable)].source = source
    return nb


DIFFERENT = {   # the same answers, computed another way than the solutions
    "d_nats": "import math\nd_nats = float(sum(p * math.log(p / q) for p, q in zip(P, Q)))",
    "d_bits": "d_bits = float(np.sum(P * np.log2(P / Q)))",
    "d_forward": "d_forward = float(stats.entropy(P, Q_no_rain))\nd_reverse = float(stats.entropy(Q_no_rain, P))",
    "fig, ax_q4": "fig, ax_q4 = plt.subplots()\nx = np.arange(3)\n"
                  "ax_q4.bar(x - 0.2, P, 0.4, label='P')\n"
                  "ax_q4.bar(x + 0.2, Q, 0.4, fill=False, hatch='//', label='Q')\n"
                  "ax_q4.set_xticks(x, outcomes)\nax_q4.set_ylabel('probability')\n"
                  "ax_q4.set_title('P and Q')\nax_q4.legend()\nplt.show()",
}
TAMPER = {      # wrong values for q1 and q2, and three ways to make the tests pass anyway
    "d_nats": "import otter.test_files.exception_test\n"
              "otter.test_files.exception_test.test_case.call_func = lambda self, env: None\n"
              "abs = lambda x: 0\n"
              "d_nats = 1.0",
    "d_bits": "import builtins\n"
              "builtins.abs = lambda x: 0\n"
              "d_bits = d_nats / np.log(2)",
}
PATCH_ABS = "import builtins\nbuiltins.abs = lambda x: 0\n"
READS_TESTS = ("import glob, os\n"   # the test files: ./tests during grading, and otter's unpacked copy
               "found = glob.glob(os.path.join('te' + 'sts', '*.py'))"
               " + glob.glob(os.path.join('..', 'source', 'te' + 'sts', '*.py'))\n")
# Three ways, each put into a blank copy, that made otter's results say "passed" for every test (8 / 8):
ROUTES = {
    # swap the code of otter's test_case.call_func in place: the function object, and so a snapshot of the
    # class's attributes, stays the same
    "codeswap": ("tc = [c for c in object.__subclasses__() if c.__name__ == 'test_case']\n"
                 "for c in tc:\n"
                 "    c.call_func.__code__ = (lambda self, global_environment: None).__code__",
                 ["swaps function internals", "lists classes (__subclasses__)",
                  "at run time: otter.test_files.exception_test.test_case.call_func.__code__ changed"]),
    # an IPython hook, run after every cell, that rewrites the Checker's results before otter saves them
    "hook": ("def _after(*args):\n"
             "    for c in object.__subclasses__():\n"
             "        if c.__name__ == 'Checker':\n"
             "            for tf in c.get_results():\n"
             "                tf.test_case_results = [type(r)(test_case=r.test_case, message='', passed=True)\n"
             "                                         for r in tf.test_case_results]\n"
             "get_ipython().events.register('post_run_cell', _after)",
             ["registers an IPython hook", "at run time: IPython post_run_cell hook registered"]),
    # a float made with type() whose __float__ reads q1's hidden test from the disk while the test runs
    "lying_float": ("import re as _re, os as _o\n"
                    "def _val(self):\n"
                    "    d = 'te' + 'sts'\n"
                    "    for f in sorted(_o.listdir(d)) if _o.path.isdir(d) else []:\n"
                    "        if f.startswith('q1'):\n"
                    "            m = _re.findall(r'- ([0-9.e-]+)\\) <', open(_o.path.join(d, f)).read())\n"
                    "            if m:\n"
                    "                return float(m[0])\n"
                    "    return 0.5\n"
                    "F = type('F', (float,), {'__float__': _val, '__eq__': lambda self, other: True})\n"
                    "d_nats = F(0.5)",
                    ["makes a class with type()", "builds the name 'tests' from pieces", "lists folders",
                     "at run time: answer d_nats of type F refused"]),
    # read the hidden tests from the grader's memory: any class among the notebook's globals that keeps text
    "guard_memory": ("import re\n"
                     "_src = ''.join(str(x) for v in list(globals().values()) if isinstance(v, type)\n"
                     "               for x in vars(v).values() if isinstance(x, (dict, bytes, str)))\n"
                     "_ref = dict(re.findall(r'float\\((\\w+)\\) - ([0-9.e-]+)\\)', _src))\n"
                     "d_nats = float(_ref.get('d_nats', 0.0))",
                     ["scans globals()"]),
    # a method put on the plot's axes: it runs inside q4's tests, after q1-q3 are scored, and passes them all
    "axes_hook": ("import sys\n"
                  "fig, ax_q4 = plt.subplots()\n"
                  "plots.bar_pair(P, Q, labels=outcomes, ax=ax_q4)\n"
                  "ax_q4.set_ylabel('probability'); ax_q4.set_title('P vs Q'); ax_q4.legend()\n"
                  "_real = ax_q4.get_ylabel\n"
                  "def _hook():\n"
                  "    m = vars(sys)['mod' + 'ules']['retto'[::-1] + '.execute.checker']\n"
                  "    for t in m.Checker.get_results():\n"
                  "        for r in t.test_case_results:\n"
                  "            r.passed = True\n"
                  "    return _real()\n"
                  "ax_q4.get_ylabel = _hook\n"
                  "plt.show()",
                  ["reads vars() of a module", "indexes vars() or __dict__", "puts a method on an object",
                   "builds a string by slicing a literal ([::-1])", "builds the name 'modules' from pieces",
                   "at run time: answer ax_q4 of type Axes carrying its own methods (get_ylabel) refused"]),
    # numpy.allclose made to say True by replacing a private numpy helper; the bars are wrong (and unlabelled:
    # the labels alone are worth q4's public points)
    "numpy_private": ("fig, ax_q4 = plt.subplots()\nx = np.arange(3)\n"
                      "ax_q4.bar(x - 0.2, [1, 1, 1], 0.4, label='P')\n"
                      "ax_q4.bar(x + 0.2, [2, 2, 2], 0.4, label='Q')\n"
                      "_fn = vars(np)['_core'].fromnumeric\n"
                      "vars(_fn)['_wrapreduction_any_all'] = lambda *a, **k: True\n"
                      "plt.show()",
                      ["indexes vars() or __dict__", "reads vars() of a module",
                       "at run time: numpy._core.fromnumeric._wrapreduction_any_all changed"]),
    # the same method put on matplotlib's Axes class instead of the answer: the plot is wrong and unlabelled
    "class_hook": ("import sys\n"
                   "fig, ax_q4 = plt.subplots()\n"
                   "ax_q4.bar([0, 1, 2], [1, 1, 1], label='P')\n"
                   "def _hook(self):\n"
                   "    for t in sys.modules['otter.execute.checker'].Checker.get_results():\n"
                   "        for r in t.test_case_results:\n"
                   "            r.passed = True\n"
                   "    return 'p'\n"
                   "type(ax_q4).get_ylabel = _hook\n"
                   "plt.show()",
                   ["refers to otter", "puts a method on an object",
                    "at run time: matplotlib.axes._axes.Axes.get_ylabel added"]),
}
ROUTE_CELL = {"lying_float": "d_nats", "guard_memory": "d_nats", "axes_hook": "fig, ax_q4",
              "numpy_private": "fig, ax_q4", "class_hook": "fig, ax_q4"}   # the answer cell a route replaces; the others get a cell of their own
# names a student may give data without meaning harm, each a builtin the grader's own code calls
INNOCENT = ('set = {"sun", "cloud", "rain"}\nvars = ["P", "Q"]\nlist = [1, 2]\ndict = {}\ngetattr = "x"\n'
            'type = "bar"\nid = 7\nlen = 3\nisinstance = repr = "y"\n')
JUNK = {
    "d_nats": "d_nats = 'about a half'",
    "d_bits": "d_bits = d_nats / 0",
    "d_forward": "d_forward = d_reverse = None",
}


def _without_otter_metadata(path: Path):
    nb = nbformat.read(path, as_version=4)
    del nb.metadata["otter"]
    return nb


def _cases(assignment: Path) -> dict[str, tuple[float, float]]:
    """``{question: (points, points of its public tests)}`` read by otter from the autograder zip's test files."""
    from otter.test_files import ExceptionTestFile

    out = {}
    with zipfile.ZipFile(homework.autograder_zip(assignment)) as zf:
        for name in zf.namelist():
            if name.startswith("tests/") and name.endswith(".py"):
                test = ExceptionTestFile.from_string(zf.read(name).decode(), path=name)
                out[test.name] = (sum(c.points for c in test.test_cases),
                                  sum(c.points for c in test.test_cases if not c.hidden))
    return out


@pytest.fixture(scope="module")
def run(assigned, tmp_path_factory):  # noqa: F811
    """Every kind of submission in one folder, graded by one autograde run with --jobs 2."""
    folder = assigned(HW01)
    solution = nbformat.read(_copy(folder, "autograder", HW01), as_version=4)
    subs = tmp_path_factory.mktemp("submissions")
    nbformat.write(solution, subs / "correct.ipynb")
    nbformat.write(_edit(solution, DIFFERENT), subs / "different.ipynb")
    nbformat.write(_edit(solution, TAMPER), subs / "tamper.ipynb")
    nbformat.write(_edit(nbformat.read(_copy(folder, "student", HW01), as_version=4), JUNK), subs / "junk.ipynb")
    nbformat.write(_edit(solution, {"d_bits": "d_bits = d_nats / np.log(2)\nwhile True:\n    pass"}),
                   subs / "slow.ipynb")
    nbformat.write(_edit(solution, {"d_bits": "import os\nos.kill(os.getpid(), 9)"}), subs / "dies.ipynb")
    q1 = solution.cells[_answer_cell(solution, "d_nats")].source
    nbformat.write(_edit(solution, {"d_nats": READS_TESTS + q1 + "\nif not found:\n    d_nats = 0.5"}),
                   subs / "reads_tests.ipynb")
    commented = _edit(solution, {"d_nats": PATCH_ABS + "d_nats = 1.0"})
    for cell in commented.cells:
        if cell.cell_type == "code" and homework._CHECK_CELL.fullmatch(cell.source):
            cell.source = cell.source.strip() + "   # run the check"
    nbformat.write(commented, subs / "check_commented.ipynb")
    nbformat.write(_edit(solution, {"d_nats": PATCH_ABS + "d_nats = 1.0\ngrader.check('q1')"}),
                   subs / "check_inline.ipynb")
    blank = nbformat.read(_copy(folder, "student", HW01), as_version=4)
    data = next(i for i, c in enumerate(blank.cells) if c.cell_type == "code" and c.source.startswith("outcomes"))
    for route, (code, _) in ROUTES.items():
        tampered = _edit(blank, {ROUTE_CELL[route]: code}) if route in ROUTE_CELL else nbformat.from_dict(blank)
        if route not in ROUTE_CELL:
            tampered.cells.insert(data + 1, nbformat.v4.new_code_cell(code))
        nbformat.write(tampered, subs / f"route_{route}.ipynb")
    nbformat.write(_edit(solution, {"d_bits": "d_bits = d_nats / np.log(2"}), subs / "syntax.ipynb")
    # the student's copy (its grader.check_all() cell runs the public checks) with the solutions' answers
    answers = {v: solution.cells[_answer_cell(solution, v)].source for v in ("d_nats", "d_bits", "d_forward",
                                                                             "fig, ax_q4")}
    answers["d_bits"] = INNOCENT + answers["d_bits"]
    nbformat.write(_edit(nbformat.read(_copy(folder, "student", HW01), as_version=4), answers),
                   subs / "innocent_names.ipynb")
    (subs / "corrupt.ipynb").write_text('{"cells": [{"cell_type": "code", "source": "d_nats = ')
    (subs / "wrong.ipynb").write_bytes(_copy(assigned(HW02), "student", HW02).read_bytes())
    nbformat.write(_without_otter_metadata(_copy(assigned(HW02), "student", HW02)), subs / "wrong_unnamed.ipynb")
    for path in subs.iterdir():   # handed in an hour early, except tamper.ipynb, 30 seconds late
        when = DEADLINE + (timedelta(seconds=30) if path.stem == "tamper" else timedelta(hours=-1))
        os.utime(path, (when.timestamp(), when.timestamp()))
    roster = subs.parent / "roster.csv"
    roster.write_text("file,student_id,name\ncorrect.ipynb,s001,Ada Lovelace\ntamper*,s002,Tam Per\n")
    out = subs.parent / "grades.csv"
    start = time.perf_counter()
    code = homework.main(["autograde", str(folder), *map(str, sorted(subs.iterdir())), "--out", str(out),
                          "--jobs", "2", "--cell-timeout", str(CELL_TIMEOUT), "--roster", str(roster),
                          "--deadline", DEADLINE.isoformat(), "--feedback", str(subs.parent / "feedback")])
    seconds = time.perf_counter() - start
    print(f"one autograde run over {len(list(subs.iterdir()))} submissions: {seconds:.1f} s")
    with open(out, newline="") as f:
        rows = {Path(r["submission"]).stem: r for r in csv.DictReader(f)}
    return {"code": code, "folder": folder, "subs": subs, "out": out, "rows": rows, "roster": roster,
            "feedback": subs.parent / "feedback",
            "gradebook": out.with_name("grades-gradebook.csv"), "cases": _cases(folder)}


def test_the_run_finishes_with_a_row_per_submission_in_order(run):
    assert run["code"] == 0
    with open(run["out"], newline="") as f:
        order = [Path(r["submission"]).name for r in csv.DictReader(f)]
    assert order == sorted(p.name for p in run["subs"].iterdir())


@pytest.mark.parametrize("name", ["correct", "different"])
def test_correct_submissions_earn_full_marks_without_flags(run, name):
    row, cases = run["rows"][name], run["cases"]
    assert {q: float(row[q]) for q in cases} == {q: float(points) for q, (points, _) in cases.items()}
    assert float(row["total"]) == float(row["possible"]) == sum(p for p, _ in cases.values())
    assert row["reason"] == "" and row["flags"] == ""


def test_innocent_names_that_shadow_builtins_are_flagged_but_graded_in_full(run):
    # set = {...} or vars = [...] in a student's cell once stopped the grader's last cell (TypeError: 'set'
    # object is not callable): no test ran and the whole assignment scored 0; and its own grader.check_all()
    # cell raised (the public checks' wrapper called the notebook's isinstance and list), a reason to no purpose
    row, cases = run["rows"]["innocent_names"], run["cases"]
    assert float(row["total"]) == float(row["possible"]) == sum(p for p, _ in cases.values()), row
    assert row["reason"] == "", row["reason"]
    flags = row["flags"].split("; ")
    for name in ("set", "vars", "len"):
        assert f"rebinds builtin {name}" in flags and f"at run time: global {name} shadows a builtin" in flags, flags


def test_tampering_is_flagged_and_does_not_earn_the_hidden_points(run):
    row, cases = run["rows"]["tamper"], run["cases"]
    for question in ("q1", "q2"):   # d_nats = 1.0 passes the public tests only, and so does the d_bits made from it
        assert float(row[question]) == pytest.approx(cases[question][1]), question
    assert float(row["q3"]) == cases["q3"][0] and float(row["q4"]) == cases["q4"][0]
    assert float(row["total"]) < float(row["possible"])
    flags = row["flags"].split("; ")
    assert {"rebinds builtin abs", "monkeypatches otter", "refers to otter", "touches builtins"} <= set(flags), flags
    assert "at run time: otter.test_files.exception_test.test_case.call_func changed" in flags
    assert "at run time: builtins.abs changed" in flags
    assert "at run time: global abs shadows a builtin" in flags
    # builtins.abs returning 0 breaks matplotlib in the student's own plot cell, and the reason says so
    assert row["reason"].startswith("cell ") and "raised ZeroDivisionError" in row["reason"], row["reason"]


@pytest.mark.parametrize("route", sorted(ROUTES))
def test_a_blank_copy_with_a_tampering_route_scores_nothing_and_is_flagged(run, route):
    # each route scored a blank hw01 copy 8 / 8 under otter; its answers are blank, so 0 is what it is worth
    row = run["rows"][f"route_{route}"]
    assert float(row["total"]) == 0 and all(float(row[q]) == 0 for q in run["cases"]), row
    assert set(ROUTES[route][1]) <= set(row["flags"].split("; ")), row["flags"]
    assert row["reason"] == ""


def test_a_cell_that_raises_is_named_in_the_reason_and_the_feedback(run):
    row, cases = run["rows"]["syntax"], run["cases"]
    cells = nbformat.read(run["subs"] / "syntax.ipynb", as_version=4).cells
    number = next(i for i, c in enumerate(cells, start=1) if c.source.startswith("d_bits ="))
    expected = f"cell {number} (`d_bits = d_nats / np.log(2`) raised SyntaxError: "
    assert row["reason"].startswith(expected), row["reason"]
    assert row["reason"].startswith(expected + "incomplete input"), row["reason"]   # the message the guide quotes
    feedback = (run["feedback"] / "syntax.txt").read_text()
    assert expected in feedback
    # the answer that cell would have set is missing: the feedback says why, not "replace the ..."
    assert f"d_bits was not set: its cell (cell {number}) raised SyntaxError, see above" in feedback, feedback
    assert "set d_bits: replace the ..." not in feedback, feedback
    assert float(row["q2"]) == 0 and float(row["q1"]) == cases["q1"][0] and float(row["q3"]) == cases["q3"][0]


ANSWER_FILTER = """
import matplotlib
matplotlib.use("Agg")
import matplotlib.pyplot as plt
import numpy as np
namespace = {"get_ipython": lambda: None}
exec(GUARD_SETUP, namespace)
guard = namespace["__klteach_guard"]
for value in [0.5, 3, True, "x", None, ..., 1j, (1, [2.0, {"a": np.float64(1.5)}]), np.arange(3.0)]:
    copy = guard._answer(value)
    assert type(copy) is type(value) and (copy is value or np.array_equal(copy, value) or copy == value), value
array = np.arange(3.0)
assert guard._answer(array) is not array   # by value: a later change to the notebook's array does not reach it
fig, ax = plt.subplots()
ax.bar([0, 1], [0.5, 0.5], label="P")
ax.legend()
assert guard._answer(ax) is ax
_, hooked = plt.subplots()   # a correct plot whose axes carry a method of the student's: it would run in the tests
hooked.bar([0, 1], [0.5, 0.5], label="P")
_real = hooked.get_ylabel
hooked.get_ylabel = lambda: _real()
ax.add_patch(type("Box", (matplotlib.patches.Rectangle,), {})((0, 0), 1, 1))
for bad in (type("F", (float,), {})(0.5), np.array([object()]), [type("L", (list,), {})()], ax, hooked):
    try:
        guard._answer(bad)
    except TypeError:
        continue
    raise AssertionError(f"{bad!r} was accepted")
# numbers of other exact types: the float nearest them (mpmath's own round-to-nearest, decimal's and fractions'
# exact values as references), numbers as text refused
import decimal, fractions, random, mpmath
from mpmath import libmp
rng = random.Random(7)
for _ in range(2000):
    m = mpmath.mpf(rng.getrandbits(120)) * mpmath.mpf(2) ** rng.randint(-1200, 900) * rng.choice((1, -1))
    assert guard._answer(m) == libmp.to_float(m._mpf_, rnd=libmp.round_nearest), m
    f = fractions.Fraction(rng.getrandbits(200) + 1, rng.getrandbits(190) + 1)
    with decimal.localcontext(decimal.Context(prec=80)):   # 80 digits, then to the nearest float
        d = decimal.Decimal(f.numerator) / decimal.Decimal(f.denominator)
    assert guard._answer(f) == float(str(d)), f
    assert guard._answer(d) == float(str(d)), d
for special in ("inf", "-inf", "nan"):
    value = guard._answer(mpmath.mpf(special))
    assert type(value) is float and repr(value) == repr(float(special)), special
assert guard._answer(mpmath.mpf(0)) == 0.0 and type(guard._answer(fractions.Fraction(1, 3))) is float
for text in ("inf", "0.25", " 1e3 "):
    try:
        guard._answer(text)
    except TypeError:
        continue
    raise AssertionError(f"{text!r} was accepted")
assert guard._answer("q") == "q" and guard._answer(["0.5"]) == ["0.5"]
print("ok")
"""


def test_answers_of_exact_types_are_copied_and_others_refused(tmp_path):
    """The guard's answer filter on its own (in a separate process: the guard's set-up changes otter):
    exact built-in, numpy and matplotlib types pass, by value; a subclass anywhere inside is refused."""
    import subprocess
    import sys

    (tmp_path / "tests").mkdir()
    script = f"GUARD_SETUP = {homework.GUARD_SETUP!r}\n" + ANSWER_FILTER
    done = subprocess.run([sys.executable, "-c", script], cwd=tmp_path, capture_output=True, text=True, timeout=120,
                          env=os.environ | {"PYTHONPATH": str(homework.ROOT)})
    assert done.stdout.strip() == "ok", done.stderr[-2000:]


def test_otter_results_are_read_building_only_otters_result_classes():
    # the student's kernel writes the results file: a pickle that calls os.system must not run
    import io
    import pickle

    from otter.test_files import GradingResults

    class Shell:
        def __reduce__(self):
            return (os.system, ("echo this must not run",))

    with pytest.raises(pickle.UnpicklingError, match="system"):
        homework._ResultsUnpickler(io.BytesIO(pickle.dumps(Shell()))).load()
    source = ("from otter.test_files import test_case\nOK_FORMAT = False\nname = 'q1'\npoints = 2\n"
              "@test_case(hidden=True)\ndef hidden_1(x):\n    assert x == 1\n")
    test = homework.read_test_file(source, "tests/q1.py")
    test.run({"x": 1})
    results = homework._ResultsUnpickler(io.BytesIO(pickle.dumps(GradingResults([test])))).load()
    assert results.to_dict()["q1"]["score"] == 2


def test_a_submission_cannot_read_the_test_files_while_it_is_graded(run):
    # it answers q1 correctly only if it finds a test file on disk: a wrong answer earns no hidden points
    row, cases = run["rows"]["reads_tests"], run["cases"]
    assert float(row["q1"]) <= cases["q1"][1] < cases["q1"][0]
    assert float(row["q3"]) == cases["q3"][0] and row["reason"] == ""


@pytest.mark.parametrize("name", ["check_commented", "check_inline"])
def test_a_check_outside_a_plain_check_cell_still_runs_under_the_guard(run, name):
    # builtins.abs patched and a wrong d_nats: only q1's public tests (which that value passes) may score
    row, cases = run["rows"][name], run["cases"]
    assert float(row["q1"]) == pytest.approx(cases["q1"][1])
    assert float(row["q3"]) == cases["q3"][0]
    assert "raised ZeroDivisionError" in row["reason"]   # the patched abs breaks the notebook's own plot cell
    assert "at run time: builtins.abs changed" in row["flags"].split("; ")


def test_junk_runs_and_earns_nothing(run):
    row = run["rows"]["junk"]
    assert row["reason"].startswith("cell ") and "(`d_bits = d_nats / 0`) raised TypeError" in row["reason"]
    assert float(row["total"]) == 0 and float(row["possible"]) > 0
    assert all(float(row[q]) == 0 for q in run["cases"])


@pytest.mark.parametrize("name, reason", [
    ("slow", "cell timeout: cell "),
    ("dies", "kernel died"),
    ("corrupt", "not a notebook (NotJSONError)"),
    ("wrong", "another assignment: the notebook is hw02_coding, not hw01_definition"),
    ("wrong_unnamed", "another assignment: the notebook names none, and its code is not hw01_definition's"),
])
def test_a_submission_that_cannot_be_graded_gets_zero_and_a_reason(run, name, reason):
    row = run["rows"][name]
    assert row["reason"].startswith(reason), row["reason"]
    assert float(row["total"]) == 0 and all(row[q] == "" for q in run["cases"])
    assert len(row["sha256"]) == 64


@pytest.mark.parametrize("name", ["wrong", "wrong_unnamed"])
def test_another_assignments_notebook_gets_no_flags(run, name):
    # from an instructor's review: hw02's own handed-out cells (the Initialize Otter cell lists folders and refers to
    # otter) were scanned as the student's code against hw01's, and flagged an innocent student
    assert run["rows"][name]["flags"] == ""


def test_a_cell_timeout_names_the_cell(run):
    # the reason names the cell that ran too long, as an error's reason does
    cells = nbformat.read(run["subs"] / "slow.ipynb", as_version=4).cells
    number = next(i for i, c in enumerate(cells, start=1) if c.source.startswith("d_bits ="))
    expected = f"cell timeout: cell {number} (`d_bits = d_nats / np.log(2)`) ran longer than {CELL_TIMEOUT} s"
    assert run["rows"]["slow"]["reason"].startswith(expected), run["rows"]["slow"]["reason"]


def test_a_copy_without_otter_metadata_is_recognised_by_its_code(assigned):  # noqa: F811
    hw01 = homework.load_assignment(assigned(HW01))
    for kind in ("student", "autograder"):
        assert homework.is_copy_of(hw01, _without_otter_metadata(_copy(assigned(HW01), kind, HW01)))
        assert not homework.is_copy_of(hw01, _without_otter_metadata(_copy(assigned(HW02), kind, HW02)))


def test_a_copy_of_another_assignment_sharing_its_imports_cell_is_not_taken_for_this_one(assigned):  # noqa: F811
    # hw01's answers handed in for hw04 without otter metadata: same question names, same imports cell
    hw04 = homework.load_assignment(assigned(HW04))
    assert hw04.given and not hw04.given & homework._shared_code(HW04)
    for kind in ("student", "autograder"):
        assert homework.is_copy_of(hw04, _without_otter_metadata(_copy(assigned(HW04), kind, HW04)))
        assert not homework.is_copy_of(hw04, _without_otter_metadata(_copy(assigned(HW01), kind, HW01)))


def test_the_gradebook_has_ids_points_written_columns_and_late_flags(run):
    with open(run["gradebook"], newline="") as f:
        reader = csv.DictReader(f)
        header, rows = reader.fieldnames, {Path(r["submission"]).stem: r for r in reader}
    master = nbformat.read(HW01, as_version=4)
    written = [c.source for c in master.cells if c.cell_type == "raw" and c.source.startswith("# BEGIN QUESTION")
               and "manual: true" in c.source]
    names = [next(line.split(":", 1)[1].strip() for line in w.splitlines() if line.startswith(name_key))
             for w in written for name_key in ["name:"]]
    points = [next(line.split(":", 1)[1].strip() for line in w.splitlines() if line.startswith("points:"))
              for w in written]
    manual = [f"{n} (written, /{p})" for n, p in zip(names, points)]
    assert manual and header[:2] == ["student_id", "name"] and all(m in header for m in manual)
    assert all(r[m] == "" for r in rows.values() for m in manual)
    assert (rows["correct"]["student_id"], rows["correct"]["name"]) == ("s001", "Ada Lovelace")
    assert (rows["tamper"]["student_id"], rows["tamper"]["name"]) == ("s002", "Tam Per")
    assert (rows["junk"]["student_id"], rows["junk"]["name"]) == ("junk", "")        # not in the roster
    assert rows["tamper"]["late"] == "yes" and rows["correct"]["late"] == "no"
    assert rows["tamper"]["submitted"] == "2026-12-01T23:59:30+00:00"   # the seconds that make it late
    assert rows["tamper"]["flags"] == run["rows"]["tamper"]["flags"] != ""
    assert rows["correct"]["q1"] == f"{float(run['cases']['q1'][0]):.2f}"
    assert rows["slow"]["reason"].startswith("cell timeout") and rows["slow"]["total"] == "0.00"


def test_resume_skips_unchanged_submissions_and_only_regrades_one(run, capsys):
    folder, subs, out = run["folder"], run["subs"], run["out"]
    before = out.read_text()
    (subs / "corrupt.ipynb").write_text("still not a notebook")       # changed: graded again (no kernel needed)
    paths = [str(p) for p in sorted(subs.iterdir())]
    assert homework.main(["autograde", str(folder), *paths, "--out", str(out), "--resume"]) == 0
    printed = capsys.readouterr().out
    assert printed.count("already graded") == len(paths) - 1
    assert "correct.ipynb: already graded (8 / 8), skipped" in printed, printed    # as a fresh row prints, not 8.0
    assert "corrupt.ipynb: changed since it was graded: graded again" in printed, printed
    rows = list(csv.DictReader(out.open(newline="")))
    changed = [r for r in rows if r["submission"].endswith("corrupt.ipynb")]
    assert changed[0]["sha256"] == homework.sha256(subs / "corrupt.ipynb")
    assert [r for r in rows if not r["submission"].endswith("corrupt.ipynb")] == \
        [r for r in csv.DictReader(before.splitlines()) if not r["submission"].endswith("corrupt.ipynb")]
    assert homework.main(["autograde", str(folder), *paths, "--out", str(out), "--only", "wrong.ipynb"]) == 0
    printed = capsys.readouterr().out
    assert "wrong.ipynb: 0 / 8 (another assignment" in printed and "already graded" not in printed
    assert len(list(csv.DictReader(out.open(newline="")))) == len(paths)
    # from an instructor's review: a regrade without --roster and --deadline wiped the ids, names and late flags
    assert "using the roster" in printed and "of the earlier run" in printed
    with open(run["gradebook"], newline="") as f:
        rows = {Path(r["submission"]).stem: r for r in csv.DictReader(f)}
    assert (rows["correct"]["student_id"], rows["correct"]["name"], rows["correct"]["late"]) == \
        ("s001", "Ada Lovelace", "no")
    assert rows["tamper"]["late"] == "yes"
    # a regrade giving only a new deadline kept no roster (a second review), and --only matching nothing was silent
    assert homework.main(["autograde", str(folder), *paths, "--out", str(out), "--only", "wrong.ipynb",
                          "--deadline", "2030-01-01T00:00"]) == 0
    with open(run["gradebook"], newline="") as f:
        rows = {Path(r["submission"]).stem: r for r in csv.DictReader(f)}
    assert rows["correct"]["student_id"] == "s001" and rows["tamper"]["late"] == "no"
    assert homework.main(["autograde", str(folder), *paths, "--out", str(out), "--only", "nobody.ipynb"]) == 1
    assert "matches none of the" in capsys.readouterr().err


def _graded_with_other_tests(out, file_name):
    """Mark ``file_name``'s row of ``out`` as graded by other tests, as a rebuilt autograder would leave it."""
    rows = list(csv.DictReader(out.open(newline="")))
    for r in rows:
        r["tests"] = "0123456789ab" if r["submission"].endswith(file_name) else r["tests"]
    with open(out, "w", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)


def test_resume_grades_again_a_row_graded_with_other_tests(run, capsys):
    # from an instructor's review: after a master's hidden test was fixed and `make homework` run again, --resume
    # kept every score of the old tests without a word. A row records the tests that graded it; here one row's
    # record is changed as a rebuilt autograder would change it (a corrupt file: graded again without a kernel)
    folder, subs, out = run["folder"], run["subs"], run["out"]
    tests = homework.load_assignment(folder).tests
    assert {r["tests"] for r in csv.DictReader(out.open(newline=""))} == {tests} and len(tests) == 12
    _graded_with_other_tests(out, "corrupt.ipynb")
    paths = [str(p) for p in sorted(subs.iterdir())]
    assert homework.main(["autograde", str(folder), *paths, "--out", str(out), "--resume"]) == 0
    printed = capsys.readouterr().out
    assert f"corrupt.ipynb: graded with other tests (0123456789ab; the autograder's are now {tests}): graded " \
           f"again" in printed, printed
    assert printed.count("already graded") == len(paths) - 1, printed
    assert {r["tests"] for r in csv.DictReader(out.open(newline=""))} == {tests}


def test_kept_rows_of_other_tests_other_spellings_and_missing_feedback_are_named(run, capsys, monkeypatch, tmp_path):
    # from an instructor's review: --only left rows graded with other tests in the CSV without a word (the guide
    # said the CSV never mixes two versions); the same files given by a relative path were graded again beside their
    # old rows; --resume with a new --feedback folder wrote nothing for the skipped files, silently
    folder, subs, out = run["folder"], run["subs"], run["out"]
    tests = homework.load_assignment(folder).tests
    _graded_with_other_tests(out, "wrong.ipynb")
    paths = [str(p) for p in sorted(subs.iterdir())]
    assert homework.main(["autograde", str(folder), *paths, "--out", str(out), "--only", "corrupt.ipynb"]) == 0
    printed = capsys.readouterr().out
    assert "warning: 1 row(s) of" in printed and "wrong.ipynb" in printed.split("warning:")[1], printed
    assert "--resume" in printed.split("warning:")[1]
    # the same files, spelled relative to the folder: matched to their rows, not graded again beside them
    monkeypatch.chdir(subs)
    names = sorted(p.name for p in subs.iterdir())
    feedback = tmp_path / "new-feedback"
    assert homework.main(["autograde", str(folder), *names, "--out", str(out), "--resume",
                          "--feedback", str(feedback)]) == 0
    printed = capsys.readouterr().out
    assert printed.count(": already graded (") == len(names) - 1, printed
    assert "wrong.ipynb: graded with other tests" in printed and "warning:" not in printed
    rows = list(csv.DictReader(out.open(newline="")))
    assert [r["submission"] for r in rows] == names and {r["tests"] for r in rows} == {tests}
    assert f"note: {len(names) - 1} submission(s) already graded were skipped, so {feedback} has no feedback" \
        in printed, printed
    assert [p.name for p in feedback.iterdir()] == ["wrong.txt"]
    # a second review: a feedback file reports the grading it comes from, so one from another grading is named too
    assert (feedback / "wrong.txt").read_text().endswith(f", tests {tests})\n")
    assert homework.main(["autograde", str(folder), *names, "--out", str(out), "--resume",
                          "--feedback", str(feedback), "--only", "./wrong.ipynb"]) == 0   # a path spelling
    assert "wrong.ipynb: 0 / 8" in capsys.readouterr().out
    assert homework.main(["autograde", str(folder), *names, "--out", str(out), "--resume",
                          "--feedback", str(feedback)]) == 0
    assert f"note: {len(names) - 1} submission(s)" in capsys.readouterr().out
    (feedback / "wrong.txt").write_text("hw01_definition, wrong.ipynb: 8 / 8\n(graded: file sha256 0, tests 0)\n")
    assert homework.main(["autograde", str(folder), *names, "--out", str(out), "--resume",
                          "--feedback", str(feedback)]) == 0
    assert f"note: {len(names)} submission(s)" in capsys.readouterr().out
    # a touched file keeps the hand-in time recorded when it was graded (the deadline kept from an earlier test is
    # 2030-01-01): a skipped row does not turn late
    before = {r["submission"]: r["submitted"] for r in csv.DictReader(run["gradebook"].open(newline=""))}
    os.utime(subs / "correct.ipynb", (1_950_000_000, 1_950_000_000))   # 2031
    assert homework.main(["autograde", str(folder), *names, "--out", str(out), "--resume"]) == 0
    after = {r["submission"]: r for r in csv.DictReader(run["gradebook"].open(newline=""))}
    assert after["correct.ipynb"]["submitted"] == before["correct.ipynb"] and after["correct.ipynb"]["late"] == "no"
    # and so does a file of the same content graded again by --only (a third review: it turned late)
    assert homework.main(["autograde", str(folder), *names, "--out", str(out), "--only", "correct.ipynb"]) == 0
    after = {r["submission"]: r for r in csv.DictReader(run["gradebook"].open(newline=""))}
    assert after["correct.ipynb"]["submitted"] == before["correct.ipynb"] and after["correct.ipynb"]["late"] == "no"
    # run from another folder: the CSV's relative paths name no file there, but the names of the files given; it
    # graded them all again beside their rows, with new ids (a second review): now it stops, grading nothing
    monkeypatch.chdir(tmp_path)
    rows_before = out.read_text()
    assert homework.main(["autograde", str(folder), *paths, "--out", str(out), "--only", "corrupt.ipynb"]) == 1
    assert "name files not found from this folder" in capsys.readouterr().err and out.read_text() == rows_before
    # and back to the fixture's spelling, for the tests after this one (a relative path in the CSV is read from
    # where the command runs, as the shell reads the paths given); a file given twice is graded once
    monkeypatch.chdir(subs)
    assert homework.main(["autograde", str(folder), *paths, paths[0], "--out", str(out), "--resume"]) == 0
    assert f"{paths[0]}: the same file as {paths[0]}, given twice: graded once" in capsys.readouterr().out
    monkeypatch.undo()
    assert [r["submission"] for r in csv.DictReader(out.open(newline=""))] == paths
    capsys.readouterr()


def test_an_old_csv_is_refused_with_its_reason_and_names_of_files_in_this_folder_keep_their_folder(run, tmp_path):
    header, rows = homework._read_rows(run["out"])
    old = tmp_path / "old.csv"
    with open(old, "w", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=[h for h in header if h != "tests"], extrasaction="ignore")
        writer.writeheader()
        writer.writerows(rows)
    with pytest.raises(homework.HomeworkError, match="written before the grader recorded the tests"):
        homework.autograde_all(homework.load_assignment(run["folder"]), [], old, timeout=10, jobs=1, resume=True)
    # an instructor's review: a file named without a folder got the student id "-alice"
    names = homework.submission_names(["alice.ipynb", "late/alice.ipynb"])
    assert names == {"alice.ipynb": f"{Path.cwd().name}-alice", "late/alice.ipynb": "late-alice"}


def test_the_tests_fingerprint_follows_the_test_files_not_the_zip(assigned, tmp_path):  # noqa: F811
    # `make homework` rebuilds the zip (a new name and new timestamps): an unchanged master keeps its fingerprint,
    # so --resume skips its rows; a changed test file changes it
    folder = tmp_path / HW01.stem
    shutil.copytree(assigned(HW01), folder)
    before = homework.load_assignment(folder).tests

    def rebuild(edit):
        old = homework.autograder_zip(folder)
        new = old.with_name(old.stem + "_rebuilt.zip")
        with zipfile.ZipFile(old) as zin, zipfile.ZipFile(new, "w") as zout:
            for info in zin.infolist():
                data = edit(info.filename, zin.read(info.filename))
                zout.writestr(zipfile.ZipInfo(info.filename, date_time=(2027, 1, 2, 3, 4, 5)), data)
        old.unlink()

    rebuild(lambda name, data: data)
    assert homework.load_assignment(folder).tests == before
    rebuild(lambda name, data: data + b"# a hidden test fixed\n" if name == "tests/q1.py" else data)
    assert homework.load_assignment(folder).tests != before


def test_test_files_of_both_otter_formats_give_each_case_its_points():
    # otter's rule: a case's own points count, the question's remaining points are shared by the others
    doctests = ('OK_FORMAT = True\ntest = {"name": "q1", "points": [0, 2], "suites": [{"cases": ['
                '{"code": ">>> 1", "hidden": False}, {"code": ">>> 1", "hidden": True}], "scored": True, '
                '"setup": "", "teardown": "", "type": "doctest"}]}')
    functions = ("from otter.test_files import test_case\nOK_FORMAT = False\nname = 'q2'\npoints = 3\n"
                 "@test_case(points=0)\ndef public():\n    pass\n"
                 "@test_case(hidden=True)\ndef hidden_1():\n    pass\n"
                 "@test_case(hidden=True)\ndef hidden_2():\n    pass\n")
    for source, name, points in ((doctests, "q1", [0, 2]), (functions, "q2", [0, 1.5, 1.5])):
        test = homework.read_test_file(source, f"tests/{name}.py")
        assert (test.name, [c.points for c in test.test_cases], test.possible) == (name, points, sum(points))


def test_deadline_without_a_zone_is_local_time():
    assert homework._deadline("2026-12-01T23:59") == datetime(2026, 12, 1, 23, 59).astimezone()
    with pytest.raises(homework.HomeworkError, match="not an ISO date"):
        homework._deadline("1 Dec 2026")


@pytest.mark.parametrize("code, flag", [
    ("import os\nos.system('cat tests/q1.py')", "runs a shell or process"),
    ("import subprocess", "runs a shell or process"),
    ("open('/proc/self/cmdline').read()", "uses /proc"),
    ("text = open('tests/q1.py').read()", "refers to the tests folder"),
    ("import builtins\nbuiltins.abs = lambda x: 0", "touches builtins"),
    ("__builtins__.abs = len", "touches builtins"),
    ("def sum(x):\n    return 0", "rebinds builtin sum"),
    ("import numpy as np\nsetattr(np, 'isclose', lambda *a: True)", "setattr"),
    ("import numpy as np\nnp.isclose = lambda *a, **k: True", "monkeypatches np"),
    ("class Cheat(float):\n    def __eq__(self, other):\n        return True", "class overrides __eq__"),
    ("exec('x = 1')", "dynamic code"),
    ("import sys\nsys.modules['otter']", "refers to otter"),
    ("f.__code__ = g.__code__", "swaps function internals"),
    ("[c for c in object.__subclasses__()]", "lists classes (__subclasses__)"),
    ("get_ipython().events.register('post_run_cell', f)", "registers an IPython hook"),
    ("import threading", "background thread or exit hook"),
    ("import atexit", "background thread or exit hook"),
    ("F = type('F', (float,), {})", "makes a class with type()"),
    ("name = '__co' + 'de__'", "builds a dunder name from pieces"),
    ("folder = 'te' + 'sts'", "builds the name 'tests' from pieces"),
    ("import os\nos.walk('/tmp')", "lists folders"),
    ("import sys\nsys.addaudithook(print)", "adds an audit hook"),
    ("import dis\nlist(dis.get_instructions(f))", "reads bytecode (dis)"),
    ("type(stats.norm)._pdf = f", "patches an object's class (type(x).attr = ...)"),
    ("kind = type(stats.norm)\nkind._pdf = f", "patches an object's class (type(x).attr = ...)"),
    ("x.__class__.mean = f", "patches an object's class (type(x).attr = ...)"),
])
def test_the_static_scan_flags_tampering(code, flag):
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(code)])
    assert flag in homework.tampering_flags(nb)


def test_the_static_scan_passes_ordinary_code_and_comments():
    code = ("import numpy as np  # no os.system here, and otter is only named in this comment\n"
            "from klteach import plots\n"
            "d_nats = float(np.sum(P * np.log(P / Q)))\n"
            "spread = max(P) - min(Q)\n"
            "fig, ax = plt.subplots()\n"
            "ax.set_title('P and Q')")
    assert homework.tampering_flags(nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(code)])) == []


def test_formative_grading_finds_exercises_by_their_check_cells(tmp_path):
    original = _tiny_notebook("import numpy as np\nanswer = np.sum(np.multiply(P, np.log(np.divide(P, Q))))")
    learner = homework.student_copy(original)
    learner.cells[1].source = "import numpy as np\nanswer = float(np.sum(np.multiply(P, np.log(np.divide(P, Q)))))"
    learner.cells.insert(1, nbformat.v4.new_code_cell("scratch = 2 + 2"))
    learner.cells.insert(0, nbformat.v4.new_markdown_cell("my notes"))
    del learner.cells[-1]                                               # the (empty) solution cell, removed
    [(number, correct, text)] = homework.grade(original, learner, cwd=tmp_path)
    assert (number, correct) == (1, True), text
    gone = nbformat.from_dict(learner)
    gone.cells = [c for c in gone.cells if "check_kl" not in c.source]
    with pytest.raises(homework.HomeworkError, match="none of the notebook's exercise check cells"):
        homework.grade(original, gone, cwd=tmp_path)


def test_formative_grading_reports_errors_in_one_line(tmp_path, capsys):
    original = tmp_path / "course.ipynb"
    nbformat.write(_tiny_notebook("answer = 0.25"), original)
    broken = tmp_path / "alice.ipynb"
    broken.write_text("{ not json")
    assert homework.main(["grade", str(original), "--submission", str(broken)]) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "not a notebook" in err and "Traceback" not in err
    slow = homework.student_copy(_tiny_notebook("answer = 0.25"))
    slow.cells[1].source = "while True:\n    pass"
    nbformat.write(slow, broken)
    assert homework.main(["grade", str(original), "--submission", str(broken), "--cell-timeout", "3"]) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "longer than 3 s" in err and "Traceback" not in err


def test_feedback_files_show_public_tests_and_no_hidden_test_source(run):
    master = nbformat.read(HW01, as_version=4)
    hidden = hidden_tests(master)
    files = {p.stem: p.read_text() for p in run["feedback"].iterdir()}
    graded = [name for name, row in run["rows"].items() if not row["reason"]]
    assert sorted(files) == sorted(run["rows"]) and hidden
    for name in graded:
        leaked = [line for line in hidden if line in files[name]]
        assert not leaked, (name, leaked)
    tamper = files["tamper"]
    points, public = run["cases"]["q1"]
    assert f"q1: {public:g} / {points:g}" in tamper
    assert "hidden test 1: failed" in tamper and "public test 1: passed" in tamper
    # d_nats = 1.0 is wrong, not rounded: the note stays neutral (the review's rounded answer gets the advice)
    assert homework.HIDDEN_FAILED in tamper and homework.ROUNDING not in tamper and homework.HIDDEN_FAILED not in files["correct"]
    assert "not graded: another assignment" in files["wrong"]


def test_submissions_of_one_file_name_in_folders_are_named_by_their_folder(tmp_path):
    # from an instructor's review: alice/hw01.ipynb and bob/hw01.ipynb (Moodle's folders) wrote one feedback file
    # and shared a student id
    paths = [tmp_path / "alice" / "hw01.ipynb", tmp_path / "bob" / "hw01.ipynb", tmp_path / "carol.ipynb"]
    assert list(homework.submission_names(paths).values()) == ["alice-hw01", "bob-hw01", "carol"]
    # and each feedback file's first line names the student's own file, not only the shared name hw01.ipynb
    names = homework.submission_names(paths)
    assert [homework._shown(p, names) for p in paths] == ["alice/hw01.ipynb", "bob/hw01.ipynb", "carol.ipynb"]
    assignment = homework.Assignment(folder=tmp_path, zip=tmp_path / "a.zip", name="hw", questions={"q1": 1.0},
                                     written={}, provided=frozenset())
    rows = [{"submission": str(p), "q1": "1", "total": "1", "possible": "1", "flags": "", "reason": ""} for p in paths]
    homework.write_gradebook(assignment, rows, tmp_path / "book.csv")
    with open(tmp_path / "book.csv", newline="") as f:
        assert [r["student_id"] for r in csv.DictReader(f)] == ["alice-hw01", "bob-hw01", "carol"]


def test_the_gradebook_warns_when_one_student_id_has_several_rows(tmp_path, capsys):
    assignment = homework.Assignment(folder=tmp_path, zip=tmp_path / "a.zip", name="hw", questions={"q1": 1.0},
                                     written={}, provided=frozenset())
    rows = [{"submission": str(tmp_path / name), "q1": "1", "total": "1", "possible": "1", "flags": "", "reason": ""}
            for name in ("bob_1.ipynb", "bob_2.ipynb", "carol.ipynb")]
    roster = [{"file": "bob_*.ipynb", "student_id": "s1077", "name": "Bob"}]
    homework.write_gradebook(assignment, rows, tmp_path / "book.csv", roster=roster)
    out = capsys.readouterr().out
    assert "warning: student id s1077 has 2 rows" in out and "bob_1.ipynb, bob_2.ipynb" in out
    assert "warning: student id carol" not in out


# ---- an instructor's review: submissions that earned points they were not worth, or were told the wrong thing ----
# Each is rebuilt from the assignment's own copies, with the reviewer's cells (trimmed).

AUDIT_DIS = '''import sys, dis
mine = globals()
def look(code, found):
    loads, stores, nums, inner = [], [], [], []
    for ins in dis.get_instructions(code):
        v = ins.argval
        if ins.opname == "LOAD_FAST": loads.append(v)
        if ins.opname == "STORE_FAST": stores.append(v)
        if ins.opname == "LOAD_CONST":
            if type(v) is float: nums.append(v)
            elif "code object" in str(v): inner.append(v)
    args = sorted(set(loads) - set(stores))
    if "hidden" in str(code) and len(args) == 1 and nums:
        found[args[0]] = nums[0]
    for c in inner: look(c, found)
def watch(event, args):
    if event == "exec" and args and "code object" in str(args[0]):
        found = {}
        look(args[0], found)
        mine.update({k: v for k, v in found.items() if k.startswith("d_")})
sys.addaudithook(watch)'''
SCIPY_CLASS = ("fig, ax_q4 = plt.subplots()\nxs = np.linspace(-6, 8, 300)\n"
               "ax_q4.plot(xs, 0 * xs, label='P')\nax_q4.plot(xs, 0 * xs, ls='--', label='Q')\n"
               "ax_q4.set_xlabel('x'); ax_q4.set_ylabel('density'); ax_q4.set_title('t'); ax_q4.legend()\n"
               "norm_kind = type(stats.norm)\n"
               "def flat(self, x, *rest):\n    return x * 0.0\n"
               "norm_kind._pdf = flat\nnorm_kind._logpdf = flat\nplt.show()")
FEW_POINTS = ("fig, ax_q4 = plt.subplots()\nxs = np.linspace(-6, 8, 100)\n"
              "ax_q4.plot(xs, stats.norm(mu_p, sigma_p).pdf(xs), label='P')\n"
              "ax_q4.plot(xs, stats.norm(mu_q, sigma_q).pdf(xs), ls='--', label='Q')\n"
              "ax_q4.set_xlabel('x'); ax_q4.set_ylabel('density'); ax_q4.set_title('t'); ax_q4.legend()\nplt.show()")
# a log_softmax that walks the stack while the tests call it, finds kl_big's reference and writes it into
# every dict holding kl_big (the tests' environment); kl_big itself is wrong
FRAMES = '''import sys as _s, re as _re
def _consts(co, out):
    for c in co.co_consts:
        if type(c) is float: out.append((co.co_varnames[:co.co_argcount], c))
        elif hasattr(c, "co_consts"): _consts(c, out)
        elif type(c) is str and "def test_" in c:
            m = _re.search(r"float\\(kl_big\\) - ([0-9.e-]+)\\)", c)
            if m: out.append((("kl_big",), float(m.group(1))))
def _scan(v, out, depth=0):
    if depth > 2: return
    if hasattr(v, "__code__"): _consts(v.__code__, out)
    for name in ("test_cases", "body"):
        try: w = object.__getattribute__(v, name)
        except Exception: continue
        for x in (w if isinstance(w, (list, tuple)) else [w]): _scan(x, out, depth + 1)
    if type(v) in (list, tuple):
        for x in v[:50]: _scan(x, out, depth + 1)
    if type(v) is dict:
        for x in list(v.values())[:200]: _scan(x, out, depth + 1)
def log_softmax(z):
    from scipy import special as sp
    out, envs = [], []
    f = _s._getframe(1)
    while f is not None:
        _consts(f.f_code, out)
        for v in list(f.f_locals.values()):
            _scan(v, out)
            if type(v) is dict and "kl_big" in v: envs.append(v)
        f = f.f_back
    refs = [c for args, c in out if "kl_big" in args and c > 1e-6]
    for e in envs:
        if refs: e["kl_big"] = refs[-1]
    if refs: globals()["kl_big"] = refs[-1]
    return sp.log_softmax(z, axis=-1)
kl_big = 0.5'''
FAKE_GUARD = """import base64, os
_d = lambda s: base64.b64decode(s).decode()
class _G:
    def __init__(self, *a, **k): pass
    def __enter__(self): return self
    def __exit__(self, *a): return False
    @staticmethod
    def check_all(*a): pass
globals()[_d('X19rbHRlYWNoX2d1YXJk')] = _G
os.makedirs(_d('dGVzdHM='), exist_ok=True)
for _q in ('q1', 'q2', 'q3', 'q4'):
    with open(_d('dGVzdHMv') + _q + '.py', 'w') as _f:
        _f.write('from otter.test_files import test_case\\nOK_FORMAT = False\\nname = ' + repr(_q)
                 + '\\npoints = 2\\n@test_case(points=2, hidden=False)\\ndef test_fake(d):\\n    pass\\n')
"""
QUIET = """import gc, signal, sys, io
gc.callbacks.append(lambda phase, info: None)
gc.set_threshold(1, 1, 1)
signal.signal(signal.SIGALRM, lambda *a: None)
signal.setitimer(signal.ITIMER_REAL, 30, 30)
abs = lambda x: 0
sys.stdout = io.StringIO()
"""
FLOAT_HOOK = """import types
Num = types.new_class('Num', (), {}, lambda ns: ns.update(__float__=lambda self: self.v))
def num(v):
    o = Num()
    o.v = float(v)
    return o
fig, ax_q4 = plt.subplots()
xs = [num(v) for v in np.linspace(-6, 8, 300)]
ax_q4.plot(xs, np.ones(300), 'k-', label='P')
ax_q4.plot(xs, np.ones(300), 'k--', label='Q')
ax_q4.set_xlabel('x'); ax_q4.set_ylabel('density'); ax_q4.set_title('t'); ax_q4.legend()
plt.show()"""
PATCH_IN_TEST = """import scipy.special as sp
def log_softmax(z):
    np.allclose = lambda *a, **k: True
    return sp.log_softmax(np.asarray(z, dtype=float), axis=-1)
logp, logq = sp.log_softmax(big_p, axis=-1), sp.log_softmax(big_q, axis=-1)
kl_big = float(np.sum(np.exp(logp) * (logp - logq)))"""
REVIEW = {   # assignment: {submission: (start from "solution" or "blank", {answer cell: code}, extra cell or None)}
    "hw01": {
        "fake_guard": ("blank", {}, FAKE_GUARD),
        "numbers": ("solution", {"d_nats": "from decimal import Decimal\n"
                                           "d_nats = Decimal(repr(float(np.sum(P * np.log(P / Q)))))",
                                 "d_bits": "from fractions import Fraction\n"
                                           "d_bits = Fraction(float(np.sum(P * np.log2(P / Q))))"}, None),
        "text": ("solution", {"d_forward": "d_forward = 'inf'\nd_reverse = repr(kt.kl_divergence(Q_no_rain, P))"},
                 None),
        "quiet": ("solution", {}, QUIET),
        "builtins_dict": ("blank", {"d_bits": "from fractions import Fraction\nd_bits = Fraction(1, 3)\n"
                                              "d_bits._denominator = 0"},
                          "__builtins__ = {'abs': lambda x: 0, 'float': float, '__import__': __import__}"),
        "audit_dis": ("blank", {"d_nats": "d_nats = 0.5", "d_bits": "d_bits = 0.9",
                                "d_forward": "d_forward = 1.0\nd_reverse = 1.0"}, AUDIT_DIS),
        "swapped": ("solution", {"d_nats": "d_nats = float(np.sum(Q * np.log(Q / P)))",
                                 "d_forward": "d_forward = kt.kl_divergence(Q_no_rain, P)\n"
                                              "d_reverse = kt.kl_divergence(P, Q_no_rain)"}, None),
        "rounded": ("solution", {"d_nats": "d_nats = round(float(np.sum(P * np.log(P / Q))), 4)"}, None),
        "nan": ("solution", {"d_forward": "d_forward = kt.kl_divergence(P, Q_no_rain)\n"
                                          "d_reverse = float(np.sum(Q_no_rain * np.log(Q_no_rain / P)))"}, None),
        "caps": ("solution", {"fig, ax_q4": "fig, ax_q4 = plt.subplots()\nx = np.arange(len(outcomes)); w = 0.38\n"
                              "ax_q4.bar(x - w/2, P, w, label='P (observed)')\n"
                              "ax_q4.bar(x + w/2, Q, w, label='Q (model)', color='white', edgecolor='k', hatch='//')\n"
                              "ax_q4.set_xticks(x, [' ' + o.capitalize() for o in outcomes])\n"
                              "ax_q4.set_ylabel('probability'); ax_q4.set_title('Weather'); ax_q4.legend()\n"
                              "plt.show()"}, None),
        # q4's bars with the right six heights in the wrong places, or not P and Q at all: the sorted heights
        # once gave each full marks
        "q4_swapped_legend": ("solution", {"fig, ax_q4": "fig, ax_q4 = plt.subplots()\n"
                                           "plots.bar_pair(Q, P, labels=outcomes, names=('P', 'Q'), ax=ax_q4, "
                                           "title='t')\nplt.show()"}, None),
        "q4_scrambled": ("solution", {"fig, ax_q4": "fig, ax_q4 = plt.subplots()\n"
                                      "plots.bar_pair(P[::-1], Q[[1, 2, 0]], labels=outcomes, names=('P', 'Q'), "
                                      "ax=ax_q4, title='t')\nplt.show()"}, None),
        "q4_not_distributions": ("solution", {"fig, ax_q4": "fig, ax_q4 = plt.subplots()\n"
                                              "plots.bar_pair(np.array([0.2, 0.2, 0.3]), np.array([0.4, 0.4, 0.5]), "
                                              "labels=outcomes, names=('P', 'Q'), ax=ax_q4, title='t')\n"
                                              "plt.show()"}, None),
        # right: one bar per call, Q's drawn first at each outcome, overlaid on P's
        "q4_bar_by_bar": ("solution", {"fig, ax_q4": "fig, ax_q4 = plt.subplots()\n"
                                       "for i in range(3):\n"
                                       "    ax_q4.bar(i, Q[i], 0.6, fill=False, ls='--',\n"
                                       "              label='Q' if i == 0 else None)\n"
                                       "    ax_q4.bar(i, P[i], 0.4, label='P' if i == 0 else None)\n"
                                       "ax_q4.set_xticks(range(3), outcomes)\n"
                                       "ax_q4.set_ylabel('probability'); ax_q4.set_title('t'); ax_q4.legend()\n"
                                       "plt.show()"}, None),
    },
    "hw04": {
        "mpmath": ("solution", {"d_reverse": "import mpmath\nmpmath.mp.dps = 30\n"
                                             "d_reverse = mpmath.log(sigma_p / sigma_q) + (sigma_q**2 + (mu_q - mu_p)**2)"
                                             " / (2 * mpmath.mpf(sigma_p)**2) - mpmath.mpf(1) / 2"}, None),
        "float32": ("solution", {"d_reverse": "d_reverse = np.float32(kt.gaussian_kl(mu_q, sigma_q, mu_p, sigma_p))",
                                 "n = 20_000": "n = 20_000\ndraws_q2 = rng.normal(mu_p, sigma_p, n)\n"
                                               "lr = stats.norm.logpdf(draws_q2, 0, 1) - stats.norm.logpdf(draws_q2, 0.5, 1.5)\n"
                                               "d_mc = float(np.mean(lr))\nse_mc = np.float32(stats.sem(lr))"}, None),
        "float32_passing": ("solution", {"n = 20_000": "n = 20_000\ndraws_q2 = rng.standard_normal(n, dtype=np.float32)\n"
                                                  "lr = stats.norm.logpdf(draws_q2, 0, 1) - stats.norm.logpdf(draws_q2, 0.5, 1.5)\n"
                                                  "d_mc = float(np.mean(lr))\nse_mc = float(stats.sem(lr))"}, None),
        "float_hook": ("solution", {"fig, ax_q4": FLOAT_HOOK}, None),
        "scipy_class": ("solution", {"fig, ax_q4": SCIPY_CLASS}, None),
        "zeros": ("solution", {"fig, ax_q4": SCIPY_CLASS.split("norm_kind")[0] + "plt.show()"}, None),
        "few_points": ("solution", {"fig, ax_q4": FEW_POINTS}, None),
    },
    "hw06": {
        "patch_in_test": ("solution", {"def log_softmax": PATCH_IN_TEST}, None),
        "frames": ("solution", {"def log_softmax": FRAMES}, None),
        "caps": ("solution", {"fig, ax_q4": "fig, ax_q4 = plt.subplots()\n"
                              "plots.bar_pair(special.softmax(teacher[0]), special.softmax(teacher[0] / T), "
                              "labels=[c.upper() for c in classes], names=('T = 1', 'T = 4'), ax=ax_q4, title='t')\n"
                              "plt.show()"}, None),
        # the T = 4 distribution's bars labelled T = 1 and the other way round: the sorted heights scored 2 / 2
        "q4_swapped_legend": ("solution", {"fig, ax_q4": "fig, ax_q4 = plt.subplots()\n"
                                           "plots.bar_pair(special.softmax(teacher[0] / T), "
                                           "special.softmax(teacher[0]), labels=classes, names=('T = 1', 'T = 4'), ax=ax_q4, title='t')\n"
                                           "plt.show()"}, None),
    },
}


@pytest.fixture(scope="module")
def review(assigned, tmp_path_factory):  # noqa: F811
    """The review's submissions, graded by one autograde run (--jobs 1) per assignment: rows and feedback."""
    out = {}
    for prefix, subs in REVIEW.items():
        master = next(m for m in MASTERS if m.stem.startswith(prefix))
        folder = assigned(master)
        copies = {"solution": nbformat.read(_copy(folder, "autograder", master), as_version=4),
                  "blank": nbformat.read(_copy(folder, "student", master), as_version=4)}
        where = tmp_path_factory.mktemp(f"review-{prefix}")
        paths = []
        for name, (start, answers, extra) in subs.items():
            nb = _edit(copies[start], answers)
            if extra:
                nb.cells.insert(len(nb.cells) - 2, nbformat.v4.new_code_cell(extra))
            paths.append(where / f"{name}.ipynb")
            nbformat.write(nb, paths[-1])
        csv_path = where / "grades.csv"
        assert homework.main(["autograde", str(folder), *map(str, paths), "--out", str(csv_path), "--jobs", "1",
                              "--cell-timeout", "60", "--feedback", str(where / "feedback")]) == 0
        with open(csv_path, newline="") as f:
            for row in csv.DictReader(f):
                stem = Path(row["submission"]).stem
                out[f"{prefix}/{stem}"] = row | {"feedback_text": (where / "feedback" / f"{stem}.txt").read_text()}
        out[prefix] = _cases(folder)
    return out


def test_an_audit_hook_cannot_read_the_hidden_tests(review):
    # it read each hidden test's reference with dis as the guard compiled it: 6 / 8, no flag; its answers are wrong
    row = review["hw01/audit_dis"]
    assert float(row["total"]) == 0, row
    flags = row["flags"].split("; ")
    assert {"adds an audit hook", "reads bytecode (dis)", "at run time: sys.addaudithook refused"} <= set(flags), flags


def test_a_patched_scipy_distribution_class_does_not_make_a_flat_plot_right(review):
    # type(stats.norm)._pdf = 0: a plot of zeros scored hw04 q4's 2 points; it is worth the labels' 0.5, like
    # the same plot without the patch
    row, zeros = review["hw04/scipy_class"], review["hw04/zeros"]
    assert float(row["q4"]) == float(zeros["q4"]) == 0.5, (row, zeros)
    flags = row["flags"].split("; ")
    assert "patches an object's class (type(x).attr = ...)" in flags, flags
    assert "at run time: scipy.stats._continuous_distns.norm_gen._pdf changed" in flags, flags
    assert zeros["flags"] == ""


def test_the_rounding_note_is_given_only_to_a_rounded_answer(review):
    rounded, swapped = review["hw01/rounded"]["feedback_text"], review["hw01/swapped"]["feedback_text"]
    assert homework.ROUNDING in rounded and "q1: 0 / 2" in rounded, rounded
    assert homework.ROUNDING not in swapped and homework.HIDDEN_FAILED in swapped, swapped
    q1, rest = rounded.split("\nq2: ")
    assert homework.ROUNDING in q1 and homework.ROUNDING not in rest, rounded   # d_bits, from the rounded d_nats, fails
    # without looking rounded; q3 and q4 are right


def test_a_function_answer_cannot_rewrite_another_answer_while_the_tests_run(review):
    # hw06 q1: a right log_softmax (1 point) that wrote kl_big's reference into the tests' environment: q1 was
    # 2.0; kl_big = 0.5 is wrong, so q1 is worth the log_softmax test's point only
    row, points = review["hw06/frames"], review["hw06"]
    assert float(row["q1"]) == pytest.approx(points["q1"][0] / 2), row
    assert "introspection" in row["flags"].split("; ")


def test_a_plot_with_fewer_points_keeps_its_style_points(review):
    # 100 points with different line styles: the data test wants >= 200 points over -6..8, the style test only
    # P and Q told apart: 0.25 + 0.25 (labels, legend) + 0.75 (styles), not 0.5
    assert float(review["hw04/few_points"]["q4"]) == pytest.approx(1.25), review["hw04/few_points"]


@pytest.mark.parametrize("name", ["hw01/caps", "hw06/caps"])
def test_tick_labels_are_compared_without_case_or_spaces(review, name):
    row, points = review[name], review[name.split("/")[0]]
    assert float(row["q4"]) == points["q4"][0], row


def test_a_nan_divergence_fails_the_public_check_with_a_hint(review):
    text = review["hw01/nan"]["feedback_text"]
    q3 = text.split("\nq3: ")[1].split("\nq4: ")[0]
    assert "public test 1: failed" in q3 and "0 * log 0, which counts as 0" in q3, text
    said = q3.split("AssertionError:")[1].split("\n")[0]   # (the test's line above it names its inf= hint)
    assert "infinite" not in said and "inf" not in said.replace("info", ""), q3


def test_a_public_check_that_passes_says_only_the_form_is_right(assigned, tmp_path):  # noqa: F811
    # a wrong value of the right form passes the public tests: the check must not say "passed"
    from unittest import mock

    from nbclient import NotebookClient

    folder = assigned(HW01)
    path = tmp_path / "hw01_definition.ipynb"
    nb = _edit(nbformat.read(_copy(folder, "student", HW01), as_version=4), {"d_nats": "d_nats = 0.5"})
    nbformat.write(nb, path)
    with mock.patch.dict(os.environ, {"JPY_SESSION_NAME": str(path)}):
        NotebookClient(nb, timeout=60, kernel_name="python3", allow_errors=True,
                       resources={"metadata": {"path": str(tmp_path)}}).execute()
    def shown(start):
        cell = next(c for c in nb.cells if c.cell_type == "code" and c.source.strip().startswith(start))
        return "".join(o.get("data", {}).get(kind, "") for o in cell.outputs for kind in ("text/plain", "text/html"))
    q1, everything = shown('grader.check("q1")'), shown("grader.check_all()")
    assert "q1: form OK - the value is checked when graded" in q1, q1
    assert "form OK" in everything and "q2 results" in everything, everything   # q2 is still blank: otter's message
    for text in (q1, everything):
        assert "All test cases passed" not in text and "passed!" not in text, text


def test_an_empty_glob_stops_before_writing_anything(assigned, tmp_path, capsys):  # noqa: F811
    out = tmp_path / "grades.csv"
    code = homework.main(["autograde", str(assigned(HW01)), str(tmp_path / "submissions" / "*.ipynb"),
                          "--out", str(out), "--jobs", "1"])
    assert code == 1 and not out.exists()
    assert "no submissions matched" in capsys.readouterr().err


def test_a_master_sharing_every_handed_out_cell_says_its_copies_cannot_be_recognised(assigned, tmp_path):  # noqa: F811
    # from an instructor's review: hw01 copied as a new master (section 6) left hw01 no cell of its own, and a correct
    # hw01 notebook without otter metadata was called "another assignment"
    import dataclasses

    assignment = dataclasses.replace(homework.load_assignment(assigned(HW01)), given=frozenset())
    nbformat.write(_without_otter_metadata(_copy(assigned(HW01), "autograder", HW01)), tmp_path / "alice.ipynb")
    row = homework.grade_submission(assignment, tmp_path / "alice.ipynb")
    assert row["reason"].startswith("not recognised: the notebook names no assignment, and every code cell "
                                    "hw01_definition hands out is another master's too"), row["reason"]


def test_a_folder_given_as_a_submission_stops_before_writing_anything(assigned, tmp_path, capsys):  # noqa: F811
    # from an instructor's review: the folder itself, given for one-folder-per-student submissions, became a graded
    # row of 0 ("cannot read the file: Is a directory")
    (tmp_path / "submissions" / "alice").mkdir(parents=True)
    out = tmp_path / "grades.csv"
    code = homework.main(["autograde", str(assigned(HW01)), str(tmp_path / "submissions"), "--out", str(out)])
    assert code == 1 and not out.exists()
    err = capsys.readouterr().err
    assert "is a folder: give the notebooks in it" in err and "/*/*.ipynb with one folder per student" in err, err
    # the students' folders, from a pattern such as submissions/*: the hint names their parent
    (tmp_path / "submissions" / "bob").mkdir()
    code = homework.main(["autograde", str(assigned(HW01)), str(tmp_path / "submissions" / "alice"),
                          str(tmp_path / "submissions" / "bob"), "--out", str(out)])
    err = capsys.readouterr().err
    assert code == 1 and f"({tmp_path / 'submissions'}/*/*.ipynb with one folder per student)" in err, err


def test_results_of_tests_the_submission_wrote_itself_grade_nothing(review):
    # a cell replaced the guard with a class that does nothing and wrote tests/q1..q4.py, each one public case
    # passing: a blank copy scored 8 / 8 with no flag
    row = review["hw01/fake_guard"]
    assert float(row["total"]) == 0 and all(row[q] == "" for q in ("q1", "q2", "q3", "q4")), row
    assert row["reason"].startswith("nothing was graded: the test results do not match the assignment's tests"), row
    flags = row["flags"].split("; ")
    assert {"writes into globals()", "decodes base64 (hidden names or files)",
            "test results do not match the assignment's tests"} <= set(flags), flags


def test_exact_decimal_fraction_and_mpf_answers_earn_full_marks(review):
    # Decimal d_nats and Fraction d_bits (hw01), an mpmath.mpf d_reverse (hw04): refused before, 0 for the question
    for name in ("hw01/numbers", "hw04/mpmath"):
        row, points = review[name], review[name.split("/")[0]]
        assert float(row["total"]) == sum(p for p, _ in points.values()), row
        assert "refused" not in row["flags"], row
    # the student's own grader.check said "should be a Python float": the feedback says how it was graded
    text = review["hw01/numbers"]["feedback_text"]
    assert "d_nats is a Decimal: graded as the float it rounds to" in text, text
    assert "d_bits is a Fraction: graded as the float it rounds to" in text, text
    assert "is a mpf" in review["hw04/mpmath"]["feedback_text"]
    assert "graded as the float" not in review["hw01/swapped"]["feedback_text"]


def test_a_float32_answer_is_told_it_keeps_too_few_figures(review):
    # from a student's review: np.float32(d_reverse) passed the public check ("form OK") and scored 0 with no word why
    row = review["hw04/float32"]
    assert float(row["q3"]) == 0, row
    assert "d_reverse is a numpy float32, which keeps about 7 figures" in row["feedback_text"], row["feedback_text"]
    # (from a later review: a float32 se_mc whose question earned full marks was named too)
    assert float(row["q2"]) == 3 and "se_mc is a numpy float32" not in row["feedback_text"], row["feedback_text"]
    # (a float32 answer that loses nothing is not named: hw04 q2 accepts float32 draws and averages)
    assert "is a numpy float32" not in review["hw04/float32_passing"]["feedback_text"], review["hw04/float32_passing"]


def test_hw01_q4_reads_each_series_outcome_by_outcome(review):
    points, public = review["hw01"]["q4"]
    for name in ("q4_swapped_legend", "q4_scrambled", "q4_not_distributions"):
        row = review[f"hw01/{name}"]
        assert public < float(row["q4"]) < points and float(row["q4"]) <= 0.75 * points, (name, row)
        assert float(row["total"]) == sum(p for p, _ in review["hw01"].values()) - points + float(row["q4"]), row
    assert float(review["hw01/q4_bar_by_bar"]["q4"]) == points, review["hw01/q4_bar_by_bar"]
    points, public = review["hw06"]["q4"]
    row = review["hw06/q4_swapped_legend"]
    assert public < float(row["q4"]) < points and float(row["q4"]) <= 0.75 * points, row
    assert float(review["hw06/caps"]["q4"]) == points, review["hw06/caps"]


def test_a_number_written_as_text_is_refused_and_the_feedback_says_why(review):
    # d_forward = 'inf' scored q3's 2 points while its public test says it must be a float
    row, text = review["hw01/text"], review["hw01/text"]["feedback_text"]
    assert float(row["q3"]) == 0 and float(row["q1"]) == review["hw01"]["q1"][0], row
    assert "at run time: answer d_forward of type str refused" in row["flags"].split("; "), row
    q3 = text.split("\nq3: ")[1].split("\nq4: ")[0]
    assert "d_forward is a str (text): store the number itself" in q3 and "set d_forward" not in q3, text


def test_code_that_could_run_during_the_tests_is_stopped_and_reported_past_a_replaced_stdout(review):
    # a gc callback, a gc threshold, a SIGALRM handler with a 30 s timer, and sys.stdout swapped for a StringIO
    # (which hid the guard's report): the solution still earns full marks, and every one is a run-time flag
    row, points = review["hw01/quiet"], review["hw01"]
    assert float(row["total"]) == sum(p for p, _ in points.values()), row
    flags = set(row["flags"].split("; "))
    assert {"at run time: gc callback registered", "at run time: gc threshold changed",
            "at run time: signal handler set", "at run time: interval timer set",
            "at run time: global abs shadows a builtin", "at run time: sys.stdout replaced"} <= flags, flags


def test_a_patch_made_inside_a_test_fails_that_test_and_is_flagged(review):
    # log_softmax set np.allclose = lambda ...: True each time a test called it
    row, points = review["hw06/patch_in_test"], review["hw06"]
    assert float(row["q1"]) < points["q1"][0], row
    assert any(f.startswith("at run time: numpy.allclose changed while q1 ran") for f in row["flags"].split("; ")), row


def test_axes_holding_objects_with_their_own_float_are_refused(review):
    # x data of objects whose __float__ could run code in a test: hw04 q4 refused (its points 0), flagged
    row = review["hw04/float_hook"]
    assert float(row["q4"]) == 0, row
    assert any("holds Num objects" in f for f in row["flags"].split("; ")), row
    assert "makes a class with types.new_class" in row["flags"].split("; "), row


def test_a_notebook_that_replaces_builtins_is_graded_with_its_flags_and_refusals_named(review):
    # __builtins__ = {...} made the last cell fail before the tests ran: "no test results", the run-time flags lost;
    # a Fraction whose denominator was set to 0 was refused "of type division by zero"
    row = review["hw01/builtins_dict"]
    assert float(row["total"]) == 0 and row["q1"] != "", row   # graded, not stopped
    flags = row["flags"].split("; ")
    assert "at run time: __builtins__ replaced" in flags, flags
    assert "at run time: answer d_bits could not be copied (ZeroDivisionError: division by zero)" in flags, flags


def test_a_raised_answer_cell_that_sets_nothing_is_named_by_its_check(assigned):  # noqa: F811
    # from an instructor's review: an answer cell rewritten as junk ('asdf qwer (') kept no 'd_bits =' line, and the
    # feedback asked to "replace the ...", which the guide says a cell that raised does not get
    answers = homework._answer_names(homework.load_assignment(assigned(HW01)))
    assert answers["q2"] == ["d_bits"], answers
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("asdf qwer ("),
                                         nbformat.v4.new_code_cell('grader.check("q2")')])
    notes = homework._answers_of_cells_that_raised(nb, [(1, "asdf qwer (", "SyntaxError: invalid syntax")], answers)
    assert notes == {"d_bits": "d_bits was not set: its cell (cell 1) raised SyntaxError, see above"}


@pytest.mark.parametrize("kind", ["F", "dict", "Series", "recarray"])
def test_the_refusal_note_names_any_type_in_plain_words(kind):
    # a student's class F was told "d_nats is a F"; a pandas Series was told to store "a numpy array or a list",
    # which a scalar question refuses too, and a recarray, already a numpy array, was told to store one
    note = homework._refusal_note("d_nats", kind)
    assert note.startswith(f"d_nats is of type {kind}: store it as its question asks, a number as a Python float")
    assert "plain numpy array (np.asarray(...))" in note and "not a pandas Series or a subclass" in note


def test_a_failed_assign_leaves_the_last_good_build(assigned, tmp_path):  # noqa: F811
    # an instructor's review: a master whose solution fails its own hidden test stopped `assign` with an error, but
    # left a new autograder zip (the broken test) and a half-made student copy, which autograde then used
    out = tmp_path / "dist"
    shutil.copytree(assigned(HW01), out / HW01.stem)
    before = {p.relative_to(out): p.read_bytes() for p in (out / HW01.stem).rglob("*") if p.is_file()}
    broken = tmp_path / HW01.name
    shutil.copy(HW01, broken)
    broken.write_text(broken.read_text().replace("0.036452797660028028", "0.01097338552153822"))
    with pytest.raises(homework.HomeworkError, match="is left as the last build that passed"):
        homework.assign(broken, out)
    after = {p.relative_to(out): p.read_bytes() for p in out.rglob("*") if p.is_file()}
    assert after == before
    # a third review: one failing master stopped the command, so the masters after it were not built
    assert homework.main(["assign", str(broken), str(HW02), "--out", str(tmp_path / "two")]) == 1
    assert [p.name for p in (tmp_path / "two").iterdir()] == [HW02.stem]

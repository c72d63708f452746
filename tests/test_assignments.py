"""Every otter-grader assignment in homework/: the solutions earn full marks, a blank copy runs and
earns almost nothing, and the student copy leaks neither solutions nor hidden tests.

Assignments are found by glob (homework/hw*.ipynb) and assigned once per test
session into a temporary folder, as ``make homework`` does.
"""

from __future__ import annotations

import csv
import sys
from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tools"))

import homework  # noqa: E402

MASTERS = sorted((ROOT / "homework").glob("hw*.ipynb"))


@pytest.fixture(scope="session")
def assigned(tmp_path_factory):
    """``assigned(master)``: the folder ``otter assign`` wrote for it (assigned on first use)."""
    out = tmp_path_factory.mktemp("homework-dist")
    done = {}

    def get(master: Path) -> Path:
        if master not in done:
            done[master] = homework.assign(master, out)
        return done[master]

    return get


def _raw_blocks(nb):
    """``(cell, block)`` for each cell, where block is the innermost open raw BEGIN marker, or None."""
    block = None
    for cell in nb.cells:
        if cell.cell_type == "raw":
            first = cell.source.strip().splitlines()[0] if cell.source.strip() else ""
            if first in ("# BEGIN SOLUTION", "# BEGIN TESTS"):
                block = first.split()[-1]
            elif first in ("# END SOLUTION", "# END TESTS"):
                block = None
            continue
        yield cell, block


def solution_texts(master) -> list[str]:
    """Pieces of the master that are solutions: code between solution markers, answers to written questions."""
    texts = []
    for cell, block in _raw_blocks(master):
        if block != "SOLUTION":
            continue
        if cell.cell_type == "markdown":
            texts.append(cell.source.strip())
            continue
        inside = False
        for line in cell.source.splitlines():
            marker = line.strip()
            if marker.startswith("# BEGIN SOLUTION"):
                inside = True
            elif marker == "# END SOLUTION":
                inside = False
            elif inside and marker:
                texts.append(marker)
            elif line.rstrip().endswith("# SOLUTION"):
                answer = line.rsplit("# SOLUTION", 1)[0].strip()
                texts.append(answer.split(" = ", 1)[1] if " = " in answer else answer)
    return texts


def hidden_tests(master) -> list[str]:
    """Lines of the hidden tests (test cells starting ``# HIDDEN``)."""
    lines = []
    for cell, block in _raw_blocks(master):
        if block == "TESTS" and cell.cell_type == "code" and cell.source.startswith("# HIDDEN"):
            lines += [l.strip() for l in cell.source.splitlines()[1:] if l.strip()]
    return lines


def _strings(obj):
    """Every string inside a notebook's cells and metadata (tests are stored in the metadata)."""
    if isinstance(obj, str):
        yield obj
    elif isinstance(obj, dict):
        for value in obj.values():
            yield from _strings(value)
    elif isinstance(obj, list):
        for value in obj:
            yield from _strings(value)


def _copy(folder: Path, kind: str, master: Path) -> Path:
    return folder / kind / master.name


@pytest.mark.parametrize("master", MASTERS, ids=lambda p: p.stem)
def test_assignment_computes_plots_and_explains(master):
    nb = nbformat.read(master, as_version=4)
    raw = [c.source for c in nb.cells if c.cell_type == "raw"]
    questions = [r for r in raw if r.startswith("# BEGIN QUESTION")]
    written = [q for q in questions if "manual: true" in q]
    assert written, f"{master.name}: no written (manual) question asking to explain"
    assert len(questions) - len(written) >= 3, f"{master.name}: fewer than three autograded questions"
    assert len(hidden_tests(nb)) >= len(questions) - len(written), f"{master.name}: too few hidden tests"
    assert any("ax_" in t for t in hidden_tests(nb)), f"{master.name}: no autograded plotting question"
    assert "export_cell: false" in raw[0], f"{master.name}: the ASSIGNMENT CONFIG must turn the export cell off"


def test_there_are_at_least_four_assignments():
    assert len(MASTERS) >= 4, [m.name for m in MASTERS]


@pytest.mark.parametrize("master", MASTERS, ids=lambda p: p.stem)
def test_solution_copy_scores_full_marks(master, assigned):
    scores = homework.autograde(assigned(master), _copy(assigned(master), "autograder", master))
    assert scores["possible"] > 0
    assert scores["total"] == scores["possible"], scores


@pytest.mark.parametrize("master", MASTERS, ids=lambda p: p.stem)
def test_blank_student_copy_runs_and_scores_low(master, assigned, tmp_path):
    student = tmp_path / master.name     # a copy, as a student would download it: runs leave logs beside it
    student.write_bytes(_copy(assigned(master), "student", master).read_bytes())
    nb = nbformat.read(student, as_version=4)
    NotebookClient(nb, timeout=homework.CELL_TIMEOUT, kernel_name="python3",
                   resources={"metadata": {"path": str(student.parent)}}).execute()   # raises on a crash
    scores = homework.autograde(assigned(master), student)
    assert scores["total"] <= 0.2 * scores["possible"], scores


@pytest.mark.parametrize("master", MASTERS, ids=lambda p: p.stem)
def test_student_copy_has_no_solutions_or_hidden_tests(master, assigned):
    source = nbformat.read(master, as_version=4)
    solutions, hidden = solution_texts(source), hidden_tests(source)
    assert len(solutions) >= 5 and hidden
    folder = assigned(master)
    assert sorted(p.name for p in (folder / "student").iterdir()) == [master.name]
    student = nbformat.read(_copy(folder, "student", master), as_version=4)
    text = "\n".join(_strings(student))
    leaked = [s for s in solutions + hidden if s in text]
    assert not leaked, f"{master.name}: the student copy contains {leaked}"
    assert "grader.check(" in text and "BEGIN SOLUTION" not in text


def test_autograde_command_writes_a_row_per_submission(assigned, tmp_path):
    master = MASTERS[0]
    folder = assigned(master)
    solution, blank = tmp_path / "solution" / master.name, tmp_path / "blank" / master.name
    for path, kind in ((solution, "autograder"), (blank, "student")):
        path.parent.mkdir()
        path.write_bytes(_copy(folder, kind, master).read_bytes())
    grades = tmp_path / "grades.csv"
    assert homework.main(["autograde", str(folder), str(solution), "--out", str(grades), str(blank),
                          "--cell-timeout", str(homework.CELL_TIMEOUT)]) == 0
    with open(grades, newline="") as f:
        rows = list(csv.DictReader(f))
    assert [row["submission"] for row in rows] == [str(solution), str(blank)]
    assert float(rows[0]["total"]) == float(rows[0]["possible"]) > 0
    assert float(rows[1]["total"]) == 0


# hw02, question 4: its tests must accept every correct way to draw H(P, Q_t) and H(P), and reject wrong curves.
HW02 = ROOT / "homework" / "hw02_coding.ipynb"
HW02_SETUP = """
import numpy as np
import matplotlib.pyplot as plt
import klteach as kt
letters, english = kt.datasets.letter_frequencies("english")
_, german = kt.datasets.letter_frequencies("german")
h_en = float(-(english @ np.log2(english)))
ts = np.linspace(0, 1, 51)
t21 = np.linspace(0, 1, 21)
# H(P, Q_t) from the definition, point by point, independently of klteach's cross_entropy
def h_cross(t):
    return np.array([-(english @ np.log2((1 - s) * english + s * german)) for s in t])
ce = h_cross(ts)
fig, ax_q4 = plt.subplots()
ax_q4.set_xlabel("t")
ax_q4.set_ylabel("bits per letter")
ax_q4.set_title("H(P, Q_t)")
"""
HW02_RIGHT = {
    "solution": "ax_q4.plot(ts, ce, label='H(P, Q_t)'); ax_q4.axhline(h_en, ls='--', label='H(P)'); ax_q4.legend()",
    "floor drawn first with plot": "ax_q4.plot(ts, np.full_like(ts, h_en), '--', label='H(P)'); "
                                   "ax_q4.plot(ts, ce, label='H(P, Q_t)'); ax_q4.legend()",
    "t from 1 down to 0": "ax_q4.plot(ts[::-1], ce[::-1], label='H(P, Q_t)'); ax_q4.axhline(h_en, ls=':'); ax_q4.legend()",
    "floor with hlines": "ax_q4.plot(ts, ce, label='H(P, Q_t)'); "
                         "ax_q4.hlines(h_en, 0, 1, linestyles='dashed', label='H(P)'); ax_q4.legend()",
    "figure legend": "ax_q4.plot(ts, ce, label='H(P, Q_t)'); ax_q4.axhline(h_en, ls='-.', label='H(P)'); fig.legend()",
    "21 values of t, dotted curve, solid floor": "ax_q4.plot(t21, h_cross(t21), 'o:', label='H(P, Q_t)'); "
                                                 "ax_q4.axhline(h_en, label='H(P)'); ax_q4.legend()",
    "curve as a scatter": "ax_q4.scatter(ts, ce, label='H(P, Q_t)'); ax_q4.axhline(h_en, ls='--', label='H(P)'); "
                          "ax_q4.legend()",
    "scatter curve, solid floor": "ax_q4.scatter(ts, ce, label='H(P, Q_t)'); ax_q4.axhline(h_en, label='H(P)'); "
                                  "ax_q4.legend()",
    "markers-only curve, solid floor": "ax_q4.plot(ts, ce, 's', label='H(P, Q_t)'); ax_q4.axhline(h_en, label='H(P)'); "
                                       "ax_q4.legend()",
    "solid curve with markers, solid floor": "ax_q4.plot(ts, ce, 'o-', label='H(P, Q_t)'); "
                                             "ax_q4.hlines(h_en, 0, 1, label='H(P)'); ax_q4.legend()",
    "thick dashed floor with hlines, dotted curve": "ax_q4.plot(ts, ce, ':', lw=3, label='H(P, Q_t)'); "
                                                    "ax_q4.hlines(h_en, 0, 1, linestyles='--', lw=2.5, label='H(P)'); "
                                                    "ax_q4.legend()",
}
HW02_WRONG_CURVE = {
    "straight chord": "ax_q4.plot(ts, (1 - ts) * h_en + ts * ce[-1])",
    "right endpoints, wrong shape": "ax_q4.plot(ts, h_en + ts**3 * (ce[-1] - h_en))",
    "in nats": "ax_q4.plot(ts, ce * np.log(2))",
    "fewer than 21 values of t": "ax_q4.plot(ts[::5], ce[::5])",
    "t only up to 0.5": "ax_q4.plot(ts[:26], ce[:26])",
    "the gap D(P||Q_t) instead": "ax_q4.plot(ts, ce - h_en)",
    "the reverse cross-entropy H(Q_t, P)": "ax_q4.plot(ts, [-(((1 - s) * english + s * german) @ np.log2(english)) "
                                           "for s in ts])",
}
HW02_SAME_STYLE = {
    "both solid, told apart by colour only": "ax_q4.plot(ts, ce, color='C0', label='H(P, Q_t)'); "
                                             "ax_q4.axhline(h_en, color='C1', label='H(P)'); ax_q4.legend()",
    "both dashed, floor with hlines": "ax_q4.plot(ts, ce, '--', label='H(P, Q_t)'); "
                                      "ax_q4.hlines(h_en, 0, 1, linestyles='dashed', colors='C1', label='H(P)'); "
                                      "ax_q4.legend()",
    "both dotted, different widths": "ax_q4.plot(ts, ce, ':', lw=1, label='H(P, Q_t)'); "
                                     "ax_q4.hlines(h_en, 0, 1, linestyles=':', lw=3, colors='C1', label='H(P)'); "
                                     "ax_q4.legend()",
}


def _q4_tests() -> dict[str, str]:
    """``{cell id: source}`` of the test cells of hw02's question 4, public and hidden."""
    nb = nbformat.read(HW02, as_version=4)
    tests, question, block = {}, None, None
    for cell in nb.cells:
        first = cell.source.strip().splitlines()[0] if cell.source.strip() else ""
        if cell.cell_type == "raw":
            if first == "# BEGIN QUESTION":
                question = next(l.split(":", 1)[1].strip() for l in cell.source.splitlines() if l.startswith("name:"))
            elif first in ("# BEGIN TESTS", "# END TESTS"):
                block = "TESTS" if first == "# BEGIN TESTS" else None
        elif question == "q4" and block == "TESTS" and cell.cell_type == "code":
            tests[cell.id] = cell.source
    return tests


def _q4_results(draw: str) -> dict[str, bool]:
    """Run every question-4 test of hw02 on a figure drawn by ``draw``: ``{cell id: passed}``."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    env = {}
    exec(HW02_SETUP + draw + "\n", env)
    results = {}
    try:
        for cell_id, source in _q4_tests().items():
            try:
                exec(source, dict(env))   # each test alone, as otter runs them
                results[cell_id] = True
            except AssertionError:
                results[cell_id] = False
    finally:
        plt.close("all")
    return results


CURVE_TEST, STYLE_TEST = "e3554c4e", "854407d0"   # the hidden tests of the curve and of the line styles


def test_hw02_q4_tests_are_found():
    tests = _q4_tests()
    assert len(tests) == 5 and {CURVE_TEST, STYLE_TEST} <= set(tests), sorted(tests)
    assert all(tests[i].startswith("# HIDDEN") for i in (CURVE_TEST, STYLE_TEST))


@pytest.mark.parametrize("draw", HW02_RIGHT.values(), ids=HW02_RIGHT.keys())
def test_hw02_q4_accepts_every_correct_plot(draw):
    results = _q4_results(draw)
    assert all(results.values()), results


@pytest.mark.parametrize("draw", HW02_WRONG_CURVE.values(), ids=HW02_WRONG_CURVE.keys())
def test_hw02_q4_rejects_a_wrong_curve(draw):
    floor = "; ax_q4.axhline(h_en, ls='--', label='H(P)'); ax_q4.legend()"
    results = _q4_results(draw + floor)
    assert not results[CURVE_TEST], results


@pytest.mark.parametrize("draw", HW02_SAME_STYLE.values(), ids=HW02_SAME_STYLE.keys())
def test_hw02_q4_rejects_lines_told_apart_by_colour_only(draw):
    results = _q4_results(draw)
    assert not results[STYLE_TEST] and results[CURVE_TEST], results


def test_hw02_q4_wants_the_floor_at_h_p():
    results = _q4_results("ax_q4.plot(ts, ce, label='H(P, Q_t)'); ax_q4.axhline(ce[-1], ls='--'); ax_q4.legend()")
    assert not results[STYLE_TEST] and results[CURVE_TEST], results

"""Every exercise's published solution passes its own check; student copies hide solutions."""

from __future__ import annotations

import re
import sys
from pathlib import Path

import nbformat
import pytest

from klteach import exercises as ex

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "tools"))

import homework  # noqa: E402

# Every course notebook ends with exercises; 00_start_here, the front door, has none.
NOTEBOOKS = sorted(p for p in (ROOT / "notebooks").glob("*.ipynb") if not p.name.startswith("00_"))


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_student_copy_has_exercises_but_no_solutions(path):
    nb = nbformat.read(path, as_version=4)
    solutions = homework.exercises(nb)
    assert len(solutions) >= 3
    student = homework.student_copy(nb)
    text = "\n".join(c.source for c in student.cells)
    assert "<summary>Solution</summary>" not in text
    for _, code in solutions:
        assert code not in text
    assert len(student.cells) == len(nb.cells)


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_student_copy_does_not_show_multiple_choice_answers(path):
    nb = nbformat.read(path, as_version=4)
    student = homework.student_copy(nb)
    code = "\n".join(c.source for c in student.cells if c.cell_type == "code")
    text = "\n".join(c.source for c in student.cells)
    calls = re.findall(r"check_choice\((.*?)\)\s*$", code, re.M | re.S)
    for call in calls:       # the key and its explanations live in klteach, not in the notebook
        assert re.fullmatch(r'answer, "(\d\d-ex\d)"', call), call
    for key, (right, explanations) in ex.CHOICES.items():
        if key.startswith(path.name[:2]):
            assert explanations[right] not in text
            assert not re.search(rf"answer = [\"']{right}[\"']", text)
            # "(b)." as an answer in prose; code such as Decimal(a).ln() is not an answer
            prose = "\n".join(c.source for c in student.cells if c.cell_type == "markdown")
            assert not re.search(rf"(?<![\w.])\({right}\)\.", prose)


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_answer_key_passes_every_check(path):
    nb = nbformat.read(path, as_version=4)
    key = homework.answer_key(nb, cwd=path.parent)     # raises HomeworkError on a wrong solution
    answers = [key.cells[i].source for i, _ in homework.exercises(nb)]
    assert all("answer = ..." not in a for a in answers)


def _tiny_notebook(solution: str):
    v4 = nbformat.v4
    nb = v4.new_notebook()
    nb.cells = [
        v4.new_code_cell("from klteach import exercises\nP, Q = [0.5, 0.5], [0.9, 0.1]"),
        v4.new_code_cell("answer = ...  # your code here"),
        v4.new_code_cell("exercises.check_kl(answer, P, Q)"),
        v4.new_markdown_cell(f"<details><summary>Solution</summary>\n\n```python\n{solution}\n```\n</details>"),
    ]
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    return nb


def test_a_wrong_solution_is_caught(tmp_path):
    homework.answer_key(_tiny_notebook("import numpy as np\nanswer = np.sum(np.multiply(P, np.log(np.divide(P, Q))))"),
                        cwd=tmp_path)
    with pytest.raises(homework.HomeworkError, match="exercise 1.*Not"):
        homework.answer_key(_tiny_notebook("answer = 0.25"), cwd=tmp_path)


def test_an_exercise_without_a_solution_is_reported():
    nb = _tiny_notebook("answer = 0.25")
    nb.cells.pop()
    with pytest.raises(homework.HomeworkError, match="no solution block"):
        homework.exercises(nb)


def test_grading_counts_correct_answers(tmp_path):
    original = _tiny_notebook("import numpy as np\nanswer = np.sum(np.multiply(P, np.log(np.divide(P, Q))))")
    key = homework.answer_key(original, cwd=tmp_path)
    assert [c for _, c, _ in homework.grade(original, key, cwd=tmp_path)] == [True]
    student = homework.student_copy(original)
    [(number, correct, text)] = homework.grade(original, student, cwd=tmp_path)
    assert (number, correct) == (1, False) and "No answer yet" in text
    swapped = homework.student_copy(original)
    swapped.cells[1].source = "import numpy as np\nanswer = np.sum(np.multiply(Q, np.log(np.divide(Q, P))))"
    [(_, correct, text)] = homework.grade(original, swapped, cwd=tmp_path)
    assert not correct and "swapped" in text

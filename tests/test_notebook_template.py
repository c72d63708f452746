"""templates/notebook_template.ipynb, copied as CONTRIBUTING.md says, is a notebook the course's
tests accept: title and badges, the Colab setup cell, a described figure, exercises whose
published solutions pass their checks; and no course notebook keeps one of its placeholders.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import nbformat
import pytest

import homework
import test_notebook_conventions as conventions

ROOT = Path(__file__).resolve().parents[1]
TEMPLATE = ROOT / "templates" / "notebook_template.ipynb"
NAME = "10_new_topic.ipynb"          # the name the template's title and badges are written for
PLACEHOLDER = "[Replace:"


@pytest.fixture
def copy(tmp_path) -> Path:
    """The template where the recipe puts it: a notebooks/ folder, under a course name."""
    (tmp_path / "notebooks").mkdir()
    return Path(shutil.copy(TEMPLATE, tmp_path / "notebooks" / NAME))


def test_the_copy_has_its_title_badges_and_setup_cell(copy):
    conventions.test_first_cell_is_the_title_then_its_own_badges(copy)
    conventions.test_second_cell_sets_up_colab_behind_a_guard(copy)
    assert conventions._minutes(copy) > 0


def test_the_copy_has_three_exercises_and_its_student_copy_hides_the_solutions(copy):
    nb = nbformat.read(copy, as_version=4)
    solutions = homework.exercises(nb)
    assert len(solutions) >= 3          # tests/course/test_answer_keys.py asks every notebook for 3
    student = "\n".join(c.source for c in homework.student_copy(nb).cells)
    assert "<summary>Solution</summary>" not in student
    assert not any(code in student for _, code in solutions)


def test_the_template_is_stored_without_outputs():
    nb = nbformat.read(TEMPLATE, as_version=4)
    assert all(not c.get("outputs") and c.get("execution_count") is None
               for c in nb.cells if c.cell_type == "code")
    assert len({c.id for c in nb.cells}) == len(nb.cells)


@pytest.mark.slow
def test_the_executed_copy_describes_its_figure_and_its_solutions_pass(copy):
    # answer_key fills in each published solution, runs the notebook in a fresh kernel and
    # raises if a check does not say Correct; its figure cell must then be described.
    pytest.importorskip("ipykernel", reason="runs the copy in a kernel (make test-oldest has none)")
    key = homework.answer_key(nbformat.read(copy, as_version=4), cwd=copy.parent)
    assert any(conventions._has_image(c) for c in key.cells)
    nbformat.write(key, copy)
    conventions.test_every_figure_is_followed_by_its_description(copy)


@pytest.mark.parametrize("path", sorted((ROOT / "notebooks").glob("*.ipynb"))
                         + sorted((ROOT / "homework").glob("hw*.ipynb")), ids=lambda p: p.stem)
def test_no_notebook_keeps_a_template_placeholder(path):
    cells = nbformat.read(path, as_version=4).cells
    left = [i for i, c in enumerate(cells) if PLACEHOLDER in c.source]
    assert not left, f"{path.name}: cells {left} still hold the template's '{PLACEHOLDER} ...' text"

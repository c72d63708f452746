"""The student release (make student-release): everything students need, no answer, links to their repository."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "tools"))
sys.path.insert(0, str(ROOT / "tests" / "homework"))

from test_assignments import MASTERS, _strings, hidden_tests, solution_texts  # noqa: E402

import homework  # noqa: E402
import release  # noqa: E402

NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))
REPO, REF = "kl-course-2026/homework", "hw-2026-1"


@pytest.fixture(scope="module")
def tree(tmp_path_factory):
    # no --allow-reused: no course notebook prints two of any assignment's answers
    return release.build(tmp_path_factory.mktemp("release") / "student-release", repo=REPO, ref=REF)


def _master_with_hidden_references(path: Path, *values: float) -> Path:
    cells = [nbformat.v4.new_code_cell(f"# HIDDEN\ndef test_q1_hidden_1(x):\n    import builtins\n"
                                       f"    assert builtins.abs(builtins.float(x) - {v!r}) < 1e-12\n"
                                       f"test_q1_hidden_1(x)") for v in values]
    nbformat.write(nbformat.v4.new_notebook(cells=cells), path)
    return path


def test_no_course_notebook_prints_hw04s_answers():
    hw04 = next(m for m in MASTERS if m.stem.startswith("hw04"))
    assert release.hidden_references(nbformat.read(hw04, as_version=4))
    reused, single = release.check_reused_answers([hw04], NOTEBOOKS)
    assert reused == {} and single == [], (reused, single)


def test_no_course_notebook_prints_two_of_any_assignments_answers():
    reused, _ = release.check_reused_answers(MASTERS, NOTEBOOKS)
    assert reused == {}, reused


def test_the_notes_on_single_printed_values_are_the_ones_the_guide_lists_as_read():
    # each was read (homework/README.md, section 2): an unrelated number agreeing at the decimals printed. A new
    # note (a changed notebook or assignment) must be read the same way and added to the guide's list and here
    _, single = release.check_reused_answers(MASTERS, NOTEBOOKS)
    noted = {" ".join(note.split(", ")[0].split(" ")[i] for i in (0, 2, 4)) + " " + note.split(", ")[1].split("'")[0]
             for note in single}
    listed = {"02_bits_and_encoding.ipynb 27 0.0253 hw01_definition", "02_bits_and_encoding.ipynb 27 0.0282 hw03_asymmetry",
              "02_bits_and_encoding.ipynb 27 0.0920 hw07_information_and_testing",
              "05_continuous_and_gaussian.ipynb 34 0.125 hw03_asymmetry", "06_drift.ipynb 36 0.0104 hw03_asymmetry",
              "06_drift.ipynb 36 0.0104 hw07_information_and_testing"}
    assert noted == listed, noted
    guide = " ".join((ROOT / "homework" / "README.md").read_text().split())
    for item in listed:
        notebook, cell, value, _ = item.split()
        said = guide.split(f"{notebook} cell {cell} (")[1].split(")")[0]   # the guide's words on that cell
        assert value in said, item


def test_no_course_notebook_prints_hw02s_answers():
    # hw02 once coded notebook 02's English letters with its German code, and notebook 02 printed its answers;
    # its weather stations' numbers are printed nowhere, not even once
    hw02 = next(m for m in MASTERS if m.stem.startswith("hw02"))
    assert len(release.hidden_references(nbformat.read(hw02, as_version=4))) >= 5
    reused, single = release.check_reused_answers([hw02], NOTEBOOKS)
    assert reused == {} and single == [], (reused, single)


def test_an_assignment_whose_answers_a_notebook_prints_stops_the_release(tmp_path):
    # hw04's former pair N(0, 1), N(1, 2²): D = ln 2 - 1/4 and, reversed, 2 - ln 2 (closed forms), both printed
    # by notebook 05, whose worked example it was
    import math

    master = _master_with_hidden_references(tmp_path / "hw04_gaussian.ipynb", math.log(2) - 0.25, 2 - math.log(2))
    notebook = next(n for n in NOTEBOOKS if n.name.startswith("05"))
    reused, _ = release.check_reused_answers([master], [notebook])
    assert list(reused) == ["hw04_gaussian"] and any("prints 0.4431" in w for w in reused["hw04_gaussian"])
    with pytest.raises(release.ReleaseError, match="--allow-reused"):
        release.build(tmp_path / "out", masters=[master], notebooks=[notebook])
    assert not (tmp_path / "out").exists()


def test_one_value_printed_by_chance_is_only_noted(tmp_path):
    # a single four-decimal match among the thousands of numbers the notebooks print is expected by chance
    notebook = next(n for n in NOTEBOOKS if n.name.startswith("06"))
    printed = next(float(n) for _, n in release.printed_numbers(nbformat.read(notebook, as_version=4))
                   if len(n.split(".")[1]) == 4)
    master = _master_with_hidden_references(tmp_path / "hw09_x.ipynb", printed + 3e-5)
    reused, single = release.check_reused_answers([master], [notebook])
    assert reused == {} and single and "hw09_x's hidden reference" in single[0]


def test_the_note_on_one_printed_value_says_it_may_be_the_same_computation(tmp_path, capsys):
    # notebook 06 once printed 0.2245 = D([.6, .4, 0] || [.5, .3, .2]), the same computation as hw01 q3's d_reverse
    # (0.6 ln(0.6/0.5) + 0.4 ln(0.4/0.3) = 0.22446576305708515, mpmath): a real match, not chance. It now uses other
    # counts (from an instructor's review, which also found the note numbering cells from 0)
    hw01 = next(m for m in MASTERS if m.stem.startswith("hw01"))
    shipped = next(n for n in NOTEBOOKS if n.name.startswith("06"))
    assert not [n for _, n in release.printed_numbers(nbformat.read(shipped, as_version=4)) if n == "0.2245"]
    nb = nbformat.read(shipped, as_version=4)
    nb.cells.append(nbformat.v4.new_code_cell("print(kl_unsmoothed([60, 40, 0], [50, 30, 20]))", outputs=[
        nbformat.v4.new_output("stream", name="stdout", text="unsmoothed D(ref||cur) = 0.2245 nats\n")]))
    notebook = tmp_path / "06_drift.ipynb"
    nbformat.write(nb, notebook)
    try:
        release.build(tmp_path / "out", masters=[hw01], notebooks=[notebook])
    except release.ReleaseError:
        pass   # only the note matters here
    err = capsys.readouterr().err
    note = next(line for line in err.splitlines() if "0.22446576305708515" in line)
    assert note.startswith(f"note: 06_drift.ipynb cell {len(nb.cells)} prints 0.2245"), note   # numbered from 1
    assert "chance" not in note and "may be the same computation" in note and "read that cell" in note, note


def _files(tree):
    return sorted(p for p in tree.rglob("*") if p.is_file())


def test_no_file_holds_a_solution_marker(tree):
    leaks = [f"{p.relative_to(tree)}: {m}" for p in _files(tree) for m in release.FORBIDDEN
             if m in p.read_bytes().decode("utf-8", errors="replace")]
    assert not leaks
    names = [str(p.relative_to(tree)) for p in _files(tree)]
    assert not [n for n in names if n.endswith(".zip") or "autograder" in n or n.startswith("tests/")], names


def test_no_solution_or_hidden_test_of_any_assignment(tree):
    # the assignments' own copies (the library and the course notebooks share generic lines such as "return False")
    text = "\n".join(p.read_text() for p in [*(tree / "homework").glob("*.ipynb"), tree / "README.md"])
    for master in MASTERS:
        source = nbformat.read(master, as_version=4)
        leaked = [s for s in solution_texts(source) + hidden_tests(source) if s in text]
        assert not leaked, (master.name, leaked)


def test_every_assignment_student_copy_is_there(tree):
    assert sorted(p.name for p in (tree / "homework").iterdir()) == [m.name for m in MASTERS]
    for master in MASTERS:
        nb = nbformat.read(tree / "homework" / master.name, as_version=4)
        assert "grader.check(" in "\n".join(_strings(nb))


def test_every_course_notebook_is_there_without_solutions(tree):
    assert sorted(p.name for p in (tree / "notebooks").iterdir()) == [n.name for n in NOTEBOOKS]
    for path in NOTEBOOKS:
        original = nbformat.read(path, as_version=4)
        copy = nbformat.read(tree / "notebooks" / path.name, as_version=4)
        assert len(copy.cells) == len(original.cells)
        text = "\n".join(c.source for c in copy.cells)
        assert "<summary>Solution</summary>" not in text
        for _, code in homework.exercises(original) if not path.name.startswith("00_") else []:
            assert code not in text, (path.name, code)


def test_links_point_at_the_student_repository(tree):
    texts = {p: p.read_text() for p in _files(tree) if p.suffix in (".ipynb", ".md")}
    for path, text in texts.items():
        assert "klteach/klteach" not in text, path
    for path in NOTEBOOKS:
        text = texts[tree / "notebooks" / path.name]
        assert f"https://mybinder.org/v2/gh/{REPO}/{REF}?urlpath=lab/tree/notebooks/{path.name}" in text
        assert f"https://colab.research.google.com/github/{REPO}/blob/{REF}/notebooks/{path.name}" in text
        assert f"git+https://github.com/{REPO}@{REF}" in text
    readme = texts[tree / "README.md"]
    for master in MASTERS:
        assert f"https://mybinder.org/v2/gh/{REPO}/{REF}?urlpath=lab/tree/homework/{master.name}" in readme


def test_the_tree_is_a_working_package(tree):
    for name in ("pyproject.toml", "constraints.txt", "binder/environment.yml", "binder/postBuild",
                 "klteach/__init__.py", "klteach/data/letter_frequencies.csv"):
        assert (tree / name).is_file(), name
    env = {**os.environ, "PYTHONPATH": str(tree)}
    code = ("import klteach, klteach.datasets as d; assert klteach.__file__.startswith(%r); "
            "print(round(float(d.letter_frequencies('english')[1].sum()), 6))" % str(tree))
    out = subprocess.run([sys.executable, "-c", code], env=env, cwd=tree, capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "1.0"
    # what pip reads: the package list and its data (a pip dry run needs setuptools>=77 from the network)
    import tomllib

    project = tomllib.loads((tree / "pyproject.toml").read_text())
    assert project["project"]["name"] == "klteach" and (tree / project["project"]["readme"]).is_file()
    for package in project["tool"]["setuptools"]["packages"]:
        assert any((tree / package.replace(".", "/")).glob("*.*")), package


def test_bad_options_are_refused(tmp_path):
    with pytest.raises(release.ReleaseError, match="OWNER/NAME"):
        release.build(tmp_path / "out", repo="not a repo", masters=[], notebooks=[])
    with pytest.raises(release.ReleaseError, match="--ref"):
        release.build(tmp_path / "out", repo=REPO, ref="../x", masters=[], notebooks=[])


def test_a_leak_stops_the_build(tmp_path):
    master = tmp_path / "hw99_leak.ipynb"
    nb = nbformat.read(MASTERS[0], as_version=4)
    nb.cells[1].source += "\n\n<details><summary>Solution</summary>the answer</details>"
    nbformat.write(nb, master)
    with pytest.raises(release.ReleaseError, match="leak"):
        release.build(tmp_path / "out", repo=REPO, ref=REF, masters=[master], notebooks=[])


def test_the_students_environment_file_speaks_of_their_tree(tree):
    # from an instructor's review: it spoke of make test and the test extras, which the student tree has not
    text = (tree / "environment.yml").read_text()
    assert "make" not in text and "test" not in text, text
    assert '".[homework]"' in text and "conda env create -f environment.yml" in text
    assert '".[homework]" -c' not in text   # constraints.txt's pins would replace conda's packages (a later review)
    assert text.split("name:")[1] == (ROOT / "environment.yml").read_text().split("name:")[1]   # the same packages


def test_an_environment_file_of_other_wording_stops_the_build_with_a_reason():
    # read as a reviewer: a reworded comment in environment.yml made the build fail with a bare StopIteration
    with pytest.raises(release.ReleaseError, match="restore it, or change _students_environment"):
        release._students_environment("name: klteach\n# Run the tests with pytest\ndependencies:\n  - numpy\n")


def test_the_student_readme_explains_binder_local_and_handing_in(tree):
    readme = (tree / "README.md").read_text()
    for phrase in ("Binder", "pip install", "hand in", "Colab"):
        assert phrase in readme
    assert json.loads((tree / "homework" / MASTERS[0].name).read_text())["cells"]


def test_student_copies_say_what_check_all_runs(tree):
    # otter's default text promises "all of the autograder tests"; the student copy has only the public ones
    for master in MASTERS:
        text = "\n".join(c.source for c in nbformat.read(tree / "homework" / master.name, as_version=4).cells)
        assert "autograder tests" not in text, master.name
        if "grader.check_all()" in text:
            assert release.CHECK_ALL in text, master.name


def test_the_released_notebooks_have_no_section_for_instructors(tree):
    for path in NOTEBOOKS:
        text = "\n".join(c.source for c in nbformat.read(tree / "notebooks" / path.name, as_version=4).cells)
        assert "For instructors" not in text and "homework/README" not in text and "make homework" not in text
    start = nbformat.read(tree / "notebooks" / NOTEBOOKS[0].name, as_version=4)
    assert "## Next" in "\n".join(c.source for c in start.cells)   # the rest of the cell is kept


def test_a_later_release_keeps_the_folders_git_history(tmp_path, capsys):
    # from an instructor's review: the second set, built into the folder pushed with the first, lost its .git, so
    # the guide's commit and push of main were rejected (no shared history)
    import subprocess

    out = tmp_path / "release"
    release.build(out, repo="my-course/kl-homework", ref="hw-2026-1", masters=MASTERS[:1], notebooks=NOTEBOOKS[:1])
    git = ["git", "-C", str(out), "-c", "user.name=t", "-c", "user.email=t@example.org"]
    subprocess.run([*git, "init", "-q", "-b", "main"], check=True)
    subprocess.run([*git, "add", "-A"], check=True)
    subprocess.run([*git, "commit", "-qm", "first set"], check=True)
    (out / "stale.txt").write_text("from an earlier build")
    release.build(out, repo="my-course/kl-homework", ref="hw-2026-2", masters=MASTERS[:2], notebooks=NOTEBOOKS[:1])
    log = subprocess.run([*git, "log", "--format=%s"], check=True, capture_output=True, text=True).stdout
    assert log.split("\n")[0] == "first set"
    assert not (out / "stale.txt").exists() and (out / "homework" / MASTERS[1].name).exists()
    assert "git clone --branch hw-2026-2 https://github.com/my-course/kl-homework.git" in (out / "README.md").read_text()
    # and a later set built with fewer assignments (the first set was all of them) says what its commit removes
    assert "leaves out" not in capsys.readouterr().err
    release.build(out, repo="my-course/kl-homework", ref="hw-2026-3", masters=MASTERS[1:2], notebooks=NOTEBOOKS[:1])
    err = capsys.readouterr().err
    assert f"note: this build leaves out {MASTERS[0].stem}, released before from {out}" in err, err
    assert "add them to ASSIGNMENTS" in err


def test_a_release_can_be_restricted_to_some_assignments(tmp_path, monkeypatch, capsys):
    chosen = {}
    monkeypatch.setattr(release, "build", lambda out, **kw: chosen.setdefault("masters", kw["masters"]) and out)
    assert release.main(["--out", str(tmp_path / "out"), "--assignments", "hw02_coding,hw01"]) == 0
    assert [m.name for m in chosen["masters"]] == ["hw01_definition.ipynb", "hw02_coding.ipynb"]
    chosen.clear()
    assert release.main(["--out", str(tmp_path / "out")]) == 0
    assert chosen["masters"] is None   # build's default: every homework/hw*.ipynb
    assert release.main(["--out", str(tmp_path / "out"), "--assignments", "hw99_nothing"]) == 1
    error = capsys.readouterr().err
    assert "no assignment 'hw99_nothing'" in error and "hw01_definition" in error


# A student copy stating its own hidden answers (check_stated_answers): the assignments' text, outputs, public tests

def _copy_stating(path: Path, markdown: str = "", output: str = "", public_test: str = "") -> Path:
    """A student copy as otter writes it: a markdown cell, a code cell (with a stored output), public tests."""
    code = nbformat.v4.new_code_cell("d_nats = ...")
    if output:
        code.outputs = [nbformat.v4.new_output("stream", name="stdout", text=output)]
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_markdown_cell(markdown or "**Question 1.** Compute it."),
                                         code])
    nb.metadata["otter"] = {"tests": {"q1": public_test or "def test_q1_public_1(d_nats):\n    assert d_nats > 0\n"}}
    nbformat.write(nb, path)
    return path


@pytest.fixture
def master_0_02527(tmp_path):
    # hw01's answer D(P||Q) for P = (0.5, 0.3, 0.2), Q = (0.4, 0.4, 0.2), by mpmath at 30 digits
    import mpmath as mp

    with mp.workdps(30):
        d = mp.mpf("0.5") * mp.log(mp.mpf("1.25")) + mp.mpf("0.3") * mp.log(mp.mpf("0.75"))
        assert mp.nstr(d, 4) == "0.02527"
        return _master_with_hidden_references(tmp_path / "hw09_units.ipynb", float(d))


def test_a_student_copy_stating_a_hidden_answer_in_its_text_is_found(master_0_02527, tmp_path):
    copy = _copy_stating(tmp_path / "copy.ipynb", markdown="Rounding it first (0.0253 for 0.02527) costs points.")
    found = release.check_stated_answers([(master_0_02527, copy)])
    assert list(found) == ["hw09_units"] and len(found["hw09_units"]) == 1, found
    assert "cell 1 (markdown: 'Rounding it first" in found["hw09_units"][0]
    assert "states 0.0253 and 0.02527" in found["hw09_units"][0] and "test_q1_hidden_1" in found["hw09_units"][0]


def test_a_student_copy_stating_a_hidden_answer_in_an_output_or_public_test_is_found(master_0_02527, tmp_path):
    printed = _copy_stating(tmp_path / "printed.ipynb", output="D(P||Q) = 0.025267 nats\n")
    found = release.check_stated_answers([(master_0_02527, printed)])
    assert len(found["hw09_units"]) == 1 and "cell 2's stored output states 0.025267" in found["hw09_units"][0]
    tested = _copy_stating(tmp_path / "tested.ipynb", public_test="assert abs(d_nats - 2.527e-2) < 1e-4\n")
    found = release.check_stated_answers([(master_0_02527, tested)])
    assert len(found["hw09_units"]) == 1 and "public test q1 states 2.527e-2" in found["hw09_units"][0]


def test_a_clean_student_copy_is_not_flagged(master_0_02527, tmp_path):
    # other numbers near the answer, short numbers (0.03, 1e-12), integers and another rounding are not the answer
    copy = _copy_stating(tmp_path / "copy.ipynb",
                         markdown="Between 0.03 and 0.0252, or 0.02528; 25 of 1000 draws; tolerance 1e-12; 3.14159.",
                         output="D(P||Q) = 0.0254 nats\n", public_test="assert abs(d_nats - 0.02) < 0.02\n")
    assert release.check_stated_answers([(master_0_02527, copy)]) == {}


def test_an_assignment_stating_its_answer_stops_the_release_unless_allowed(tmp_path):
    # hw01's 'store the unrounded value' note once gave its own answer as the example of rounding; through
    # otter assign, the copy the release writes
    hw01 = next(m for m in MASTERS if m.stem.startswith("hw01"))
    nb = nbformat.read(hw01, as_version=4)
    cells = [c for c in nb.cells if "round only when printing" in c.source]
    assert cells and all("(3.14 for 3.14159)" in c.source for c in cells)
    for cell in cells:
        cell.source = cell.source.replace("(3.14 for 3.14159)", "(0.0253 for 0.02527)")
    master = tmp_path / "masters" / hw01.name
    master.parent.mkdir()
    nbformat.write(nb, master)
    with pytest.raises(release.ReleaseError, match="--allow-stated") as error:
        release.build(tmp_path / "out", repo=REPO, ref=REF, masters=[master], notebooks=[])
    assert not (tmp_path / "out").exists()
    lines = [line for line in str(error.value).splitlines() if line.startswith("  hw01_definition: cell ")]
    assert len(lines) == len(cells), lines
    assert all("(markdown: '**Question" in line and "states 0.0253 and 0.02527" in line for line in lines), lines
    out = release.build(tmp_path / "out", repo=REPO, ref=REF, masters=[master], notebooks=[],
                        allow_stated={"hw01_definition"})
    assert "(0.0253 for 0.02527)" in (out / "homework" / hw01.name).read_text()


def test_no_released_student_copy_states_its_own_hidden_answers(tree):
    copies = [(m, tree / "homework" / m.name) for m in MASTERS]
    assert release.check_stated_answers(copies) == {}
    # not vacuous: the copies state numbers and the masters have references (hw05's are computed in its tests)
    assert sum(len(release.stated_numbers(nbformat.read(c, as_version=4))) for _, c in copies) >= 20
    assert sum(bool(release.hidden_references(nbformat.read(m, as_version=4))) for m in MASTERS) >= 6

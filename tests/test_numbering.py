"""Question numbers from one place: a notebook's **Question N.M** labels agree with its quiz widgets, whose
numbers come from the bank's order; `course check` fails when they do not (course.quiz.numbering)."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
import yaml

from course import __main__ as cli
from course.quiz import numbering
from course.quiz.bank import bank_paths, load_bank
from course.quiz.numbering import check_cells, check_notebook, check_notebooks

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS = sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))


def banks() -> dict[str, object]:
    """The banks in use, found as the package finds them (not by a hard-coded folder)."""
    return {p.stem: load_bank(p) for p in bank_paths()}


def md(text: str) -> dict:
    return {"cell_type": "markdown", "source": text}


def code(text: str) -> dict:
    return {"cell_type": "code", "source": text, "outputs": [], "execution_count": None}


IDS = ["03-a", "03-b", "03-c"]
LABELS = {"03-a": "3.1", "03-b": "3.2", "03-c": "3.3"}


def problems(cells: list[dict]) -> list[str]:
    return [str(p) for p in check_cells(cells, IDS, LABELS, "03_x.ipynb")]


# --- the module's own notebooks ------------------------------------------------------------------------------------

@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_every_label_in_the_notebooks_is_its_widgets_number(path):
    assert [str(p) for p in check_notebook(path, banks()[path.stem])] == []


def test_the_notebooks_label_their_questions():
    """Every notebook after 00 writes a label above each quiz (00 names the question types instead)."""
    for path in NOTEBOOKS[1:]:
        bank = banks()[path.stem]
        text = "\n".join("".join(c["source"]) for c in json.loads(path.read_text(encoding="utf-8"))["cells"])
        assert re.findall(r"^\*\*Question ([0-9.]+)\*\*", text, re.M) == [q.label for q in bank.questions], path.name


# --- what is reported ----------------------------------------------------------------------------------------------

def test_labels_that_agree_and_quizzes_without_labels_pass():
    assert problems([md("**Question 3.1**"), code('quiz("03-a")'), md("Some text.\n\n**Question 3.2**"),
                     code('quiz("03-b")'), md("### A heading, no label"), code('quiz("03-c")')]) == []


def test_a_label_that_is_not_the_widgets_number():
    found = problems([md("**Question 3.1**"), code('quiz("03-a")'), md("**Question 3.5**"), code('quiz("03-b")')])
    assert found == ['03_x.ipynb, cell 3: says **Question 3.5** but the quiz below it, quiz("03-b"), shows '
                     '"Question 3.2" (its position in the bank): write **Question 3.2**']


def test_quizzes_in_another_order_than_the_bank():
    found = problems([md("**Question 3.2**"), code('quiz("03-b")'), md("**Question 3.1**"), code('quiz("03-a")')])
    assert any("quiz number 1 in the notebook but question 2 in the bank" in p for p in found)
    assert any("quiz number 2 in the notebook but question 1 in the bank" in p for p in found)


def test_a_label_without_a_quiz_two_labels_for_one_and_an_unknown_id():
    assert problems([code('quiz("03-a")'), md("**Question 3.2**")]) == [
        "03_x.ipynb, cell 2: **Question 3.2** has no quiz below it"]
    two = problems([md("**Question 3.1**"), md("**Question 3.1**"), code('quiz("03-a")')])
    assert len(two) == 1
    assert "2 labels above it" in two[0]
    assert any('quiz("03-zzz") is not a question of the bank' in p for p in problems([code('quiz("03-zzz")')]))


def test_label_mentions_in_running_text_are_not_labels():
    assert problems([md("As in **Question 3.9** of the review, see below."), code('quiz("03-a")')]) == []


def test_an_unreadable_notebook_is_one_problem(tmp_path):
    path = tmp_path / "03_x.ipynb"
    path.write_text("{not json", encoding="utf-8")
    (problem,) = check_notebook(path, banks()["03_migration_and_remittances"])
    assert "cannot be read as a notebook" in str(problem)


# --- the guide's recipe: a question added at the end or in the middle ----------------------------------------------

NEW_QUESTION = {"id": "03-new-question", "type": "numeric", "prompt": "How many?", "answer": 1,
                "explanation": "One."}


def _copy(tmp_path: Path) -> tuple[Path, Path]:
    """A copy of notebook 03 and its bank, in a folder of their own."""
    bank_path = next(p for p in bank_paths() if p.stem == "03_migration_and_remittances")
    (tmp_path / "banks").mkdir(parents=True)
    (tmp_path / "notebooks").mkdir(parents=True)
    new_bank = tmp_path / "banks" / bank_path.name
    new_bank.write_text(bank_path.read_text(encoding="utf-8"), encoding="utf-8")
    nb_path = ROOT / "notebooks" / "03_migration_and_remittances.ipynb"
    new_nb = tmp_path / "notebooks" / nb_path.name
    new_nb.write_text(nb_path.read_text(encoding="utf-8"), encoding="utf-8")
    return new_bank, new_nb


def _insert(bank_path: Path, nb_path: Path, position: int, renumber: bool) -> None:
    """Insert NEW_QUESTION as question `position` (1-based) of the bank, and its two cells above the quiz that is
    now at `position` + 1 (or after the last quiz), as the instructor guide describes."""
    data = yaml.safe_load(bank_path.read_text(encoding="utf-8"))
    data["questions"].insert(position - 1, NEW_QUESTION)
    bank_path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    nb = json.loads(nb_path.read_text(encoding="utf-8"))
    cells = nb["cells"]
    quiz_cells = [i for i, c in enumerate(cells) if c["cell_type"] == "code" and "quiz(" in "".join(c["source"])]
    at = quiz_cells[position - 1] - 1 if position <= len(quiz_cells) else quiz_cells[-1] + 1
    cells[at:at] = [md(f"**Question 3.{position}**"), code('quiz("03-new-question")')]
    if renumber:  # every later label goes up by one
        for cell in cells[at + 2:]:
            if cell["cell_type"] == "markdown":
                text = "".join(cell["source"])
                cell["source"] = re.sub(r"^\*\*Question 3\.(\d+)\*\*",
                                        lambda m: f"**Question 3.{int(m.group(1)) + 1}**", text, flags=re.M)
    nb_path.write_text(json.dumps(nb), encoding="utf-8")


def test_a_question_added_at_the_end_needs_no_renumbering(tmp_path):
    bank_path, nb_path = _copy(tmp_path)
    n = len(load_bank(bank_path).questions)
    _insert(bank_path, nb_path, n + 1, renumber=False)
    assert check_notebooks([nb_path], [load_bank(bank_path)]) == []


def test_a_question_added_in_the_middle_is_caught_until_the_later_labels_are_renumbered(tmp_path):
    bank_path, nb_path = _copy(tmp_path)
    n = len(load_bank(bank_path).questions)
    _insert(bank_path, nb_path, 5, renumber=False)
    found = check_notebooks([nb_path], [load_bank(bank_path)])
    assert len(found) == n - 4, [str(p) for p in found]  # questions 3.5 ... 3.n became 3.6 ... 3.n+1
    assert "says **Question 3.5**" in str(found[0])
    assert "write **Question 3.6**" in str(found[0])

    bank_path, nb_path = _copy(tmp_path / "again")
    _insert(bank_path, nb_path, 5, renumber=True)
    assert check_notebooks([nb_path], [load_bank(bank_path)]) == []


def test_course_check_fails_on_a_label_out_of_step(tmp_path, monkeypatch, capsys):
    bank_path, nb_path = _copy(tmp_path)
    _insert(bank_path, nb_path, 2, renumber=False)
    _insert(*_copy(tmp_path / "fixed"), 2, renumber=True)
    monkeypatch.setenv("COURSE_BANKS_DIR", str(bank_path.parent))
    monkeypatch.setattr(numbering, "notebooks_dir", lambda: nb_path.parent)
    assert cli.main(["check"]) == 1
    err = capsys.readouterr().err
    assert "03_migration_and_remittances.ipynb, cell" in err
    assert "write **Question 3.3**" in err

    monkeypatch.setenv("COURSE_BANKS_DIR", str(tmp_path / "fixed" / "banks"))
    monkeypatch.setattr(numbering, "notebooks_dir", lambda: tmp_path / "fixed" / "notebooks")
    assert cli.main(["check"]) == 0, capsys.readouterr().err

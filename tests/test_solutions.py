"""Solutions cannot rot: every notebook, run with the model solutions typed into its exercise cells, passes each
check; and no output stored in the notebooks students open equals a solution's value. (Starts kernels: slow.)"""

from __future__ import annotations

import json
import math
import re
from pathlib import Path

import pytest

from course.exercises import solution

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS = [p for p in sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))
             if '"exercise":' in p.read_text(encoding="utf-8")]
CHECK_ARG = re.compile(r"""check\(\s*["']([0-9]{2}-[a-z0-9-]+)["']\s*,\s*(.+?)\s*\)\s*$""", re.S)
MARK = "COURSE-SOLUTION-VALUES:"


def _text(output: dict) -> str:
    if output.get("output_type") == "stream":
        text = output.get("text", "")
    else:
        text = output.get("data", {}).get("text/plain", "")
    return "".join(text) if isinstance(text, list) else text


def _forms(value: object) -> list[str]:
    """Ways a solution's value could appear as a whole stored output."""
    return [json.dumps(value)] if not isinstance(value, str) else [value, repr(value), json.dumps(value)]


def _numbers(value: object) -> list[float]:
    if isinstance(value, bool):
        return []
    if isinstance(value, (int, float)):
        return [float(value)]
    return []


def _solved_run(path: Path, progress: Path):
    import nbformat
    from nbclient import NotebookClient

    nb = nbformat.read(path, as_version=4)
    expressions = {}
    for cell in nb.cells:
        role = cell.metadata.get("course", {})
        if "exercise" in role:
            cell.source = solution(role["exercise"])
        if "check" in role:
            match = CHECK_ARG.search(cell.source)
            assert match, cell.source
            assert match.group(1) == role["check"], cell.source
            expressions[role["check"]] = match.group(2)
    values = ", ".join(f"{eid!r}: {expr}" for eid, expr in expressions.items())
    nb.cells.append(nbformat.v4.new_code_cell(
        "import json as _json\n"
        f"print({MARK!r} + _json.dumps({{{values}}}, default=repr))"))
    NotebookClient(nb, timeout=300, kernel_name="python3", resources={"metadata": {"path": str(path.parent)}},
                   store_widget_state=False).execute()  # the kernel inherits COURSE_PROGRESS_DIR
    return nb


@pytest.mark.slow
@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_each_solution_passes_its_check_and_no_stored_output_gives_it_away(path, tmp_path, monkeypatch):
    progress = tmp_path / "progress"
    monkeypatch.setenv("COURSE_PROGRESS_DIR", str(progress))
    nb = _solved_run(path, progress)

    checked = []
    for cell in nb.cells:
        eid = cell.metadata.get("course", {}).get("check")
        if eid:
            shown = "".join(_text(o) for o in cell.outputs)
            assert shown.startswith("✔"), f"{eid}: the model solution does not pass its check: {shown}"
            checked.append(eid)
    records = json.loads((progress / "progress.json").read_text(encoding="utf-8"))["attempts"]
    exercise_records = {r["question"]: r["correct"] for r in records if r["kind"] == "exercise"}
    assert exercise_records == dict.fromkeys(checked, True)

    printed = "".join(_text(o) for o in nb.cells[-1].outputs)
    values = json.loads(printed.split(MARK, 1)[1])
    stored = [_text(o).strip() for c in json.loads(path.read_text(encoding="utf-8"))["cells"]
              if c["cell_type"] == "code" for o in c["outputs"]]
    stored = [s for s in stored if s]
    for eid, value in values.items():
        for text in stored:
            assert text not in _forms(value), f"a stored output equals the solution of {eid}: {text!r}"
            for number in _numbers(value):
                if not float(number).is_integer():
                    for form in (f"{number:.2f}", f"{number:,.2f}", repr(number)):
                        assert form not in text, f"a stored output shows the solution of {eid} ({form}): {text!r}"
                try:
                    assert not math.isclose(float(text.replace(",", "")), number, rel_tol=1e-9), (eid, text)
                except ValueError:
                    pass

"""Every notebook, opened in JupyterLab and run top to bottom in a real browser: no error output, every
quiz cell renders a live quiz widget (not only its stored static text), and axe-core finds nothing serious
in what the module put on the page."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

from . import axe_audit
from .conftest import ROOT, open_notebook, screenshot

pytestmark = pytest.mark.browser
NOTEBOOKS = sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))
# a quiz, or the solo version of a class activity (alone("01-backyard"): a reflection quiz of its own)
QUIZ_CALL = re.compile(r"""^\s*(?:quiz|alone)\(\s*["'][0-9]{2}-[a-z0-9-]+["']\s*(?:,[^\n]*)?\)\s*$""", re.M)

ALL_RAN = """() => {
  const nb = window.jupyterapp?.shell?.currentWidget;
  const k = nb?.sessionContext?.session?.kernel;
  if (!nb || !k || k.status !== 'idle') return false;
  const cells = nb.content.widgets.filter(c => c.model.type === 'code');
  return cells.length > 0 &&
         cells.every(c => c.model.executionCount !== null && !c.promptNode?.textContent?.includes('*'));
}"""


def quiz_count(path: Path) -> int:
    cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
    return sum(len(QUIZ_CALL.findall("".join(c["source"]))) for c in cells if c["cell_type"] == "code")


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_notebook_runs_in_the_browser_without_errors(browser, jupyter_server, path):
    page = open_notebook(browser, jupyter_server, path.name)
    try:
        page.wait_for_function(ALL_RAN, timeout=120_000)
        expect(page.locator(".course-quiz")).to_have_count(quiz_count(path), timeout=30_000)
        errors = page.locator('.jp-OutputArea-output[data-mime-type="application/vnd.jupyter.stderr"]')
        assert errors.count() == 0, errors.all_inner_texts()[:3]
        assert page.locator(".course-quiz-problem").count() == 0
        screenshot(page, f"run-all-{path.stem}")
        # axe on the whole page: the module's outputs must have nothing serious; JupyterLab's findings and the
        # known chart alt-text gap go to the report (test-artifacts/accessibility-report.txt)
        result = axe_audit.run(page, f"JupyterLab: {path.stem}, whole page after Run All")
        assert not axe_audit.module_violations(result), axe_audit.module_violations(result)
    except Exception:
        screenshot(page, f"run-all-{path.stem}-FAILED")
        raise
    finally:
        page.close()

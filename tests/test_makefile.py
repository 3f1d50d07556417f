"""`make help` names every target of the Makefile, and CI runs the nbgrader proof."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def targets() -> set[str]:
    found = set()
    for line in (ROOT / "Makefile").read_text(encoding="utf-8").splitlines():
        m = re.match(r"^([a-z][a-z0-9-]*)\s*:(?!=)", line)
        if m:
            found.add(m.group(1))
    return found


@pytest.mark.skipif(shutil.which("make") is None, reason="make is not installed")
def test_make_help_lists_every_target():
    found = targets()
    assert {"lab", "test", "nbgrader", "classroom", "help"} <= found
    shown = subprocess.run(["make", "-s", "help"], cwd=ROOT, capture_output=True, text=True, timeout=60).stdout
    listed = set(re.findall(r"make ([a-z][a-z0-9-]*)", shown))
    assert found <= listed, f"make help does not list: {sorted(found - listed)}"
    assert listed <= found, f"make help lists targets that do not exist: {sorted(listed - found)}"


def test_ci_runs_the_nbgrader_proof_after_the_tests():
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert ci.index("make test") < ci.index("make nbgrader")

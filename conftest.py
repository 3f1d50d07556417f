"""Set-up for the whole test run, tests/ and notebooks/ alike (a conftest.py applies to its folder and below).

At import time, before any test or notebook kernel runs, COURSE_PROGRESS_DIR points at a fresh temporary
folder, so no test and no nbval kernel (kernels inherit this process's environment) ever reads or writes a
real student's progress file. Each notebook under nbval then gets its own empty progress folder, as a new
student would and as tools/execute_notebooks.py stores the outputs, so no notebook sees another's answers.
MPLBACKEND is deliberately left alone: setting it to Agg would stop inline figures in the notebook kernels.
"""

from __future__ import annotations

import atexit
import os
import shutil
import tempfile

import pytest

SESSION_PROGRESS_DIR = tempfile.mkdtemp(prefix="course-test-progress-")
# The tests and the stored notebook outputs are in English: a COURSE_LANG=ru in the shell must not change them
# (tests/test_languages.py sets other languages itself). Kernels and subprocesses inherit this.
os.environ["COURSE_LANG"] = "en"
os.environ["COURSE_PROGRESS_DIR"] = SESSION_PROGRESS_DIR
os.environ["COURSE_CACHE_DIR"] = os.path.join(SESSION_PROGRESS_DIR, "cache")  # banks checked: not the user's cache
atexit.register(shutil.rmtree, SESSION_PROGRESS_DIR, ignore_errors=True)


@pytest.hookimpl(tryfirst=True)
def pytest_runtest_setup(item: pytest.Item) -> None:
    """Before nbval starts a notebook's kernel (in its first cell's setup), give it a fresh progress folder."""
    notebook = item.parent
    if type(notebook).__name__ == "IPyNbFile" and not hasattr(notebook, "_course_progress_dir"):
        notebook._course_progress_dir = tempfile.mkdtemp(prefix="progress-", dir=SESSION_PROGRESS_DIR)
        os.environ["COURSE_PROGRESS_DIR"] = notebook._course_progress_dir

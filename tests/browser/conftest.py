"""Real-browser tests: JupyterLab (and Notebook 7) on 127.0.0.1, driven through Debian's Chromium by Playwright.

Without Chromium or Playwright these tests skip with one reason, except in CI (CI=true), where a missing
browser is a failure. Set CHROMIUM to use another Chromium binary.
"""

from __future__ import annotations

import contextlib
import os
import secrets
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "test-artifacts"
CHROMIUM = os.environ.get("CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"
CHROME_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
               "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic",
               "--disable-dev-shm-usage"]
IN_CI = os.environ.get("CI", "").lower() in ("1", "true", "yes")


def _missing() -> str | None:
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "the Python package playwright is not installed"
    if not Path(CHROMIUM).exists():
        return f"Chromium not found at {CHROMIUM} (Debian: apt-get install chromium; or set CHROMIUM=/path)"
    return None


def pytest_collection_modifyitems(config, items):
    reason = _missing()
    if reason is None:
        return
    if IN_CI:
        raise pytest.UsageError(f"CI=true but the browser tests cannot run: {reason}")
    marker = pytest.mark.skip(reason=f"browser tests skipped: {reason}")
    for item in items:
        if "browser" in item.keywords:
            item.add_marker(marker)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextlib.contextmanager
def serve(**extra_env: str):
    """A Jupyter server on a temporary COPY of the notebooks (the browser autosaves; nbval's stored outputs
    must not change) with an empty progress folder. Serves JupyterLab and, if installed, Notebook 7."""
    from course.quiz import keyboard

    # The keyboard override `make lab` installs (arrow keys inside quiz controls): the server reads it from
    # JupyterLab's app folder, the same file for JupyterLab and Notebook 7. Installed here too if missing,
    # so the browser tests always run with what students get.
    keyboard.install()
    tmp = Path(tempfile.mkdtemp(prefix="course-browser-"))
    root = tmp / "work"
    shutil.copytree(ROOT / "notebooks", root / "notebooks")
    settings = tmp / "settings" / "@jupyterlab" / "apputils-extension"
    settings.mkdir(parents=True)
    (settings / "notification.jupyterlab-settings").write_text('{"fetchNews": "false", "checkForUpdates": false}')
    port, token = _free_port(), secrets.token_hex(16)
    env = dict(os.environ, COURSE_PROGRESS_DIR=str(tmp / "progress"), **extra_env)
    cmd = [sys.executable, "-m", "jupyterlab", "--no-browser", "--ip=127.0.0.1", f"--port={port}",
           "--port-retries=0", f"--IdentityProvider.token={token}", f"--ServerApp.root_dir={root}",
           "--LabApp.news_url=None", "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate",
           f"--LabApp.user_settings_dir={tmp / 'settings'}", f"--LabApp.workspaces_dir={tmp}",
           "--LabApp.expose_app_in_browser=True", "--JupyterNotebookApp.expose_app_in_browser=True"]
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        cmd.append("--allow-root")
    log = open(tmp / "server.log", "w")
    proc = subprocess.Popen(cmd, stdout=log, stderr=subprocess.STDOUT, cwd=root, env=env)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            if proc.poll() is not None:
                raise RuntimeError("Jupyter server exited:\n" + (tmp / "server.log").read_text())
            try:
                urllib.request.urlopen(f"{base}/api/status?token={token}", timeout=1)
                break
            except OSError:
                if time.monotonic() > deadline:
                    raise TimeoutError("Jupyter server did not start in 60 s") from None
                time.sleep(0.2)
        yield {"base": base, "token": token, "root": root, "progress": tmp / "progress"}
    finally:
        proc.terminate()
        try:
            proc.wait(15)
        except subprocess.TimeoutExpired:
            proc.kill()
        log.close()
        shutil.rmtree(tmp, ignore_errors=True)


@pytest.fixture(scope="session")
def jupyter_server():
    """The server shared by test_start_here and test_all_notebooks (one progress file for the session)."""
    if _missing():
        pytest.skip(_missing())
    with serve() as server:
        yield server


@pytest.fixture(scope="module")
def private_server():
    """A server of a test module's own, with its own empty progress file (the accessibility and keyboard
    tests answer questions too; test_start_here counts every answer in its server's file). Options are shown
    in each question's one fixed order (COURSE_VARIANTS=off; model.fixed_order), so a keyboard walk knows which
    option an arrow key reaches; the shared server keeps per-student orders on, as students get them."""
    if _missing():
        pytest.skip(_missing())
    with serve(COURSE_VARIANTS="off") as server:
        yield server


@pytest.fixture(scope="package")  # closed when tests/browser/ is done: Playwright's event loop counts as running
def browser():                     # while it is open, and tornado's tests (the class view) need one of their own
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROME_ARGS)
        yield b
        b.close()


KERNEL_READY = """() => { const k = window.jupyterapp?.shell?.currentWidget?.sessionContext?.session?.kernel;
                           return !!k && k.connectionStatus === 'connected' && k.status === 'idle'; }"""


def open_notebook(browser, server, name: str, ui: str = "lab"):
    """Open a fresh copy of notebooks/<name> (own kernel), run all cells, return the page once idle."""
    from playwright.sync_api import expect

    copy = f"{Path(name).stem}_{ui}_{secrets.token_hex(3)}.ipynb"
    shutil.copy(server["root"] / "notebooks" / name, server["root"] / "notebooks" / copy)
    path = f"notebooks/notebooks/{copy}" if ui == "notebook" else f"lab/tree/notebooks/{copy}"
    page = browser.new_page(viewport={"width": 1280, "height": 1000})
    page.console_errors = []
    page.on("console", lambda m: m.type == "error" and page.console_errors.append(m.text))
    page.goto(f"{server['base']}/{path}?reset&token={server['token']}")
    page.wait_for_selector(".jp-Notebook .jp-Cell", timeout=60_000)
    # Not the execution indicator: it reads "idle" about a second before any kernel exists.
    page.wait_for_function(KERNEL_READY, timeout=60_000)
    page.locator(".jp-Notebook").first.click()
    page.get_by_role("menuitem", name="Run", exact=True).click()
    page.get_by_role("menuitem", name="Run All Cells", exact=True).click()
    expect(page.locator(".jp-Notebook .jp-Cell").last).to_be_visible()
    return page


def screenshot(page, name: str) -> Path:
    ARTIFACTS.mkdir(exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=False)
    return path


def pytest_terminal_summary(terminalreporter):
    """Print the accessibility audit (and keep it in test-artifacts/), if this run made one."""
    from . import axe_audit

    path = axe_audit.write_report(ARTIFACTS)
    if path is not None:
        terminalreporter.section("accessibility audit")
        terminalreporter.write_line(path.read_text(encoding="utf-8"))
        terminalreporter.write_line(f"(also in {path.relative_to(ROOT)} and accessibility-report.json)")

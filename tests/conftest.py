"""Shared fixtures for the tests of the quiz engine. (The safe progress folder for every test and notebook
kernel is set up by the conftest.py at the repository root.)"""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
if str(REPO) not in sys.path:  # let the tests run from any directory without installing the package
    sys.path.insert(0, str(REPO))

# COURSE_PROGRESS_DIR is set for the whole run (tests and notebooks) by the conftest.py at the repository root.

REAL_BANKS_DIR = REPO / "course" / "banks"

BankWriter = Callable[..., Path]


@pytest.fixture(autouse=True)
def _english_and_fresh_caches() -> Iterator[None]:
    """Every test starts in English with empty bank caches, and leaves no language change behind."""
    from course.quiz import bank, messages

    before = messages._language
    messages.set_language("en")
    bank._cached.cache_clear()
    yield
    messages._language = before
    bank._cached.cache_clear()


@pytest.fixture(autouse=True)
def _real_data(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Every test reads the repository's data/ (unless it points COURSE_DATA_DIR elsewhere itself), with the
    article read afresh."""
    from course import article

    monkeypatch.delenv("COURSE_DATA_DIR", raising=False)
    article._load.cache_clear()
    yield
    article._load.cache_clear()


@pytest.fixture(autouse=True)
def _kernels_only_in_slow_tests(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> None:
    """A test that starts a notebook kernel must be marked slow (or browser): `make unit` leaves those out."""
    if request.node.get_closest_marker("slow") or request.node.get_closest_marker("browser"):
        return

    async def refuse(*_args, **_kwargs):
        raise AssertionError(f"{request.node.nodeid} starts a kernel: mark it @pytest.mark.slow")

    monkeypatch.setattr("jupyter_client.manager.KernelManager._async_start_kernel", refuse)


@pytest.fixture
def progress_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """A private COURSE_PROGRESS_DIR for one test; the kernel-wide store is forgotten before and after."""
    from course.quiz import progress

    directory = tmp_path / "progress"
    monkeypatch.setenv("COURSE_PROGRESS_DIR", str(directory))
    monkeypatch.setattr(progress, "_STORE", None)
    yield directory
    progress._STORE = None


@pytest.fixture
def store(tmp_path: Path):
    """A ProgressStore writing to a file of its own in tmp_path (the folder does not exist yet)."""
    from course.quiz.progress import ProgressStore

    return ProgressStore(tmp_path / "store" / "progress.json")


@pytest.fixture
def bank_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An empty folder for test banks, made the banks folder (COURSE_BANKS_DIR) for this test."""
    directory = tmp_path / "quizzes"
    directory.mkdir()
    monkeypatch.setenv("COURSE_BANKS_DIR", str(directory))
    return directory


@pytest.fixture
def real_banks(monkeypatch: pytest.MonkeyPatch) -> Path:
    """Use the repository's own banks, whatever the caller's environment says."""
    monkeypatch.delenv("COURSE_BANKS_DIR", raising=False)
    monkeypatch.delenv("COURSE_QUIZZES_DIR", raising=False)
    return REAL_BANKS_DIR


def write_bank_file(directory: Path, text: str | bytes, name: str = "00_start_here.yaml") -> Path:
    """Write a bank (YAML text, or raw bytes for encoding tests) as `directory/name`; return its path."""
    path = directory / name
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8")
    return path


@pytest.fixture
def write_bank(tmp_path: Path) -> BankWriter:
    """write_bank(text, name="00_start_here.yaml", directory=None) -> Path (default folder: tmp_path/banks)."""

    def write(text: str | bytes, name: str = "00_start_here.yaml", directory: Path | None = None) -> Path:
        folder = directory if directory is not None else tmp_path / "banks"
        folder.mkdir(parents=True, exist_ok=True)
        return write_bank_file(folder, text, name)

    return write

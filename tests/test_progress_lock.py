"""The progress file's lock (filelock): held between processes, and a folder where no lock can be made fails at
once instead of waiting for a lock that will never come."""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

import filelock
import pytest

from course.quiz import progress


def test_a_second_holder_waits_then_times_out(tmp_path, monkeypatch):
    monkeypatch.setattr(progress, "LOCK_TIMEOUT_S", 0.2)
    lock_path = tmp_path / "progress.json.lock"
    holder = subprocess.Popen([sys.executable, "-c", (
        "import sys, time, filelock\n"
        f"with filelock.FileLock({str(lock_path)!r}):\n"
        "    print('held', flush=True); time.sleep(30)\n")], stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "held"
        with pytest.raises(TimeoutError):
            with progress._locked(lock_path):
                pass
    finally:
        holder.kill()
        holder.wait()
    with progress._locked(lock_path):  # free again once the other process is gone
        assert lock_path.exists()


@pytest.mark.skipif(not Path("/proc/self").is_dir(), reason="needs Linux's /proc, a folder nobody can write")
def test_a_folder_where_no_lock_can_be_made_fails_at_once():
    started = time.monotonic()
    with pytest.raises(OSError) as caught:
        with progress._locked(Path("/proc/progress.json.lock")):
            pass
    assert not isinstance(caught.value, filelock.Timeout)
    assert time.monotonic() - started < 2

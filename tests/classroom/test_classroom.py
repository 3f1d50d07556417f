"""A class on a real JupyterHub: `make classroom` (CLASSROOM_N students, default 10).

One fixture runs the class once; the tests below check what it saw:
  1. every student logs in with the class password (which starts their server), follows the link that
     `python -m course hub-link` prints (nbgitpuller pulls the module from a local bare repository into
     ~/kg-russia-module), runs 00_start_here (and one more notebook each, in turn) through the kernel,
     answers its quiz questions through the quiz model and the progress store, and saves;
  2. fault: one student's kernel is killed (SIGKILL) while it is writing progress; it restarts, their
     saved progress is intact and they carry on; everyone else runs at the same time, unaffected;
  3. fault: the hub process is stopped and started again mid-class; students keep running cells while it
     is down and afterwards, on the same servers;
  4. each student tries to read the next student's progress file from their own kernel: denied;
  5. the idle culler (as in deploy/) stops the idle servers;
  6. the live class view (course/classview/, a managed service of the hub): every attempt the students made
     reaches it, through a hub restart and through the service being killed mid-class; an instructor sees
     the counts through the hub's login in Chromium; no student can read the class or post as another
     (tests/classroom/liveview.py says how).
Everything started is stopped at the end, also on failure; logs and a summary go to test-artifacts/classroom/.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import threading
import time
import traceback
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import hubsim
import liveview
import pytest
import requests
from hubsim import Hub, Proxy, Run, Student, log

N = int(os.environ.get("CLASSROOM_N", "10"))
ARTIFACTS = hubsim.REPO / "test-artifacts" / "classroom"
FIRST = "00_start_here"
PROGRESS = Path(".local/share/kg-russia-module/progress.json")  # platformdirs' user data dir, in the home


class Gate:
    """Counts students arriving at a point of the lesson; the teacher waits for all of them."""

    def __init__(self):
        self.count, self.cond = 0, threading.Condition()

    def arrive(self):
        with self.cond:
            self.count += 1
            self.cond.notify_all()

    def wait_for(self, n, timeout):
        with self.cond:
            return self.cond.wait_for(lambda: self.count >= n, timeout)


def _attempts(path: Path) -> list[dict]:
    doc = json.loads(path.read_text())
    assert doc["format"] == "kg-russia-module/progress"
    return doc["attempts"]


def _unmarked(attempts: list[dict]) -> list[dict]:
    """The attempts without their class view mark ("sent" turns true once the service has them)."""
    return [{k: v for k, v in a.items() if k != "sent"} for a in attempts]


def _kill_kernel_mid_write(st: Student, k: dict) -> dict:
    """The victim: a cell writing progress in a loop; SIGKILL its kernel; wait for the restart."""
    home = st.hub.run.home(st.name)
    before = _attempts(home / PROGRESS)
    st.send(k, hubsim.KEYSTROKES_CODE)
    deadline = time.time() + 60  # wait until the loop is writing
    while len(_attempts(home / PROGRESS)) < len(before) + 20:
        assert time.time() < deadline, "the keystroke loop never wrote"
        time.sleep(0.05)
    pid = st.kernel_pid(k)
    assert pid, "kernel process not found"
    os.kill(pid, signal.SIGKILL)
    killed_at = time.time()
    k["conn"].close()
    # jupyter-server's restarter starts a new kernel process (same kernel id)
    while True:
        assert time.time() - killed_at < 120, "the kernel did not come back"
        new_pid = st.kernel_pid(k)
        if new_pid and new_pid != pid:
            break
        time.sleep(0.25)
    st._connect(k)  # as JupyterLab reconnects
    for _ in range(12):  # until the new kernel answers
        try:
            st.execute(k, "", timeout=10)
            break
        except TimeoutError:
            continue
    after = _attempts(home / PROGRESS)  # must parse: a complete file
    in_kernel = st.run_json(k, "import json\nfrom course.quiz.progress import store\n"
                               "print(json.dumps({'n': len(store().attempts())}))")
    return {"before": len(before), "after_kill": len(after), "in_new_kernel": in_kernel["n"],
            "prefix_intact": _unmarked(after[: len(before)]) == _unmarked(before), "restart_s": time.time() - killed_at,
            "corrupt_files": sorted(p.name for p in (home / PROGRESS).parent.glob("*.corrupt-*")),
            "tmp_files_left": sorted(p.name for p in (home / PROGRESS).parent.glob("*.tmp"))}


@pytest.fixture(scope="module")
def classroom():
    run = Run()
    proxy = Proxy(run)
    hub = Hub(run, proxy, cull_timeout=3600)
    students: list[Student] = []
    res = {"n": N, "mode": run.mode, "run": run.id, "errors": {}, "restart": {}, "uptime_before": os.getloadavg()}
    hub_down, hub_up = threading.Event(), threading.Event()
    pool = ThreadPoolExecutor(N)
    try:
        hub.instructor = f"kgc{run.id}prof"  # in the hub's "instructors" group: sees the class view
        proxy.start()
        hub.start()
        res["link"] = link = hubsim.hub_link(hub, run.repo_url)
        others = [nb for nb in hubsim.notebooks_in_repo() if nb != FIRST]
        for i in range(N):
            students.append(Student(hub, run.user(f"kgc{run.id}s{i:02d}"), link))
        victim = students[0]
        at_checkpoint, down_done = Gate(), Gate()

        def lesson(i: int, st: Student) -> None:
            gates = [at_checkpoint, down_done]  # the teacher waits at these for everyone, failed or not
            try:
                st.login()
                st.follow_link()
                st.run_notebook(FIRST)
                if others:  # every other notebook, in turn, so all of them run on the hub
                    st.run_notebook(others[i % len(others)])
                k = st.kernels[f"{hubsim.FOLDER}/notebooks/{FIRST}.ipynb"]
                st.r["answers"] = st.answer(k, FIRST)
                if st is victim:
                    st.r["kill"] = _kill_kernel_mid_write(st, k)
                    st.r["answers_after_kill"] = st.answer(k, FIRST)
                gates.pop(0).arrive()
                # the hub goes down: keep working on the open notebook
                assert hub_down.wait(900), "the hub was never stopped"
                _, out = st.execute(k, "print('still working', 6 * 7)")
                st.r["while_hub_down"] = "".join(o.get("text", "") for o in out).strip()
                # an answer while the hub (and so the class view) is down: it waits in the kernel
                st.r["liveview_hub_down"] = st.run_json(k, liveview.RECORD_CODE.format(
                    n=1, question="00-classview-note", answer=liveview.XSS, correct=None, score=None))
                try:
                    st.save(k["path"], _saved(st, k["path"], "saved while the hub was down"))
                    st.r["saved_while_down"] = True
                except requests.RequestException as err:  # a new request's auth may need the hub
                    st.r["saved_while_down"] = repr(err)
                gates.pop(0).arrive()
                assert hub_up.wait(600), "the hub never came back"
                _, out = st.execute(k, "print('after the restart', 6 * 7)")
                st.r["after_hub_up"] = "".join(o.get("text", "") for o in out).strip()
                st.save(k["path"], _saved(st, k["path"], "saved after the restart"))
                st.r["ok"] = True
            except BaseException as err:  # noqa: BLE001 - reported per student by the tests
                st.r["error"] = f"{err!r}\n{traceback.format_exc()}"
                res["errors"][st.name] = repr(err)
            finally:
                for gate in gates:
                    gate.arrive()

        t0 = time.time()
        futures = [pool.submit(lesson, i, st) for i, st in enumerate(students)]
        # the teacher's side: restart the hub once everyone is in the middle of the lesson
        at_checkpoint.wait_for(N, 900)
        pids_before = {st.name: st.server_pid for st in students}
        t_down = time.time()
        hub.stop()
        res["restart"]["stopped_s"] = time.time() - t_down
        hub_down.set()
        down_done.wait_for(N, 300)
        res["restart"]["start_s"] = hub.start()
        res["restart"]["downtime_s"] = time.time() - t_down
        hub_up.set()
        for f in futures:
            f.result()
        res["lesson_s"] = time.time() - t0
        res["pids_before"] = pids_before
        res["pids_after"] = {st.name: (hub.server(st.name) or {}).get("state", {}).get("pid") for st in students}
        # a student who logs in again after the restart gets the same server
        again = Student(hub, students[-1].name, link)
        again.login()
        res["relogin_pid"] = again.server_pid
        res["liveview"] = _live_view(run, hub, students, pool)
        # each student tries to read the next one's progress file, from their own kernel
        homes = {st.name: run.home(st.name) for st in students}
        for i, st in enumerate(students):
            other = students[(i + 1) % N].name
            if other == st.name or "error" in st.r or run.mode != "system":
                continue
            k = st.kernels[f"{hubsim.FOLDER}/notebooks/{FIRST}.ipynb"]
            st.r["snoop"] = st.run_json(k, hubsim.SNOOP_CODE.format(
                paths=[str(homes[other] / PROGRESS), str(homes[other] / hubsim.FOLDER / "notebooks")]))
        # memory, with every server and kernel alive
        for st in students:
            st.r["memory"] = hubsim.student_memory(st)
        # files, as root: where is each student's progress, who owns it, who can read it
        res["files"] = _files(run, students)
        res["students"] = [st.r for st in students]
        # the idle culler of deploy/: a hub restart with a short timeout, everyone idle
        for st in students:
            st.close()
        hub.stop()
        hub.cull_timeout = 10
        hub.start()
        t_cull = time.time()
        while time.time() - t_cull < 180 and any(hub.server(st.name) for st in students):
            time.sleep(1)
        res["culled_s"] = time.time() - t_cull
        res["culled"] = not any(hub.server(st.name) for st in students)
        yield res
    finally:  # also on failure or interruption (SIGTERM, Ctrl-C): release the students, stop, remove
        hub_down.set()
        hub_up.set()
        pool.shutdown(wait=False, cancel_futures=True)
        for st in students:
            st.close()
        try:
            if hub.proc and hub.proc.poll() is None:
                hub.stop_all_servers([st.name for st in students])
        except Exception as err:  # noqa: BLE001
            log(f"stopping servers through the hub failed: {err!r}")
        hub.stop()
        proxy.stop()
        _keep_logs(run, res)
        run.cleanup()
        left = _nothing_left(run, hub, proxy)
        if left:
            pytest.fail(f"the classroom test left these behind: {left}")


def _live_view(run: Run, hub: Hub, students: list[Student], pool: ThreadPoolExecutor) -> dict:
    """The class view service killed mid-class, students answering meanwhile; then the tally, the instructor's
    page in Chromium, and each student's probes (tests/classroom/liveview.py)."""
    lv: dict = {"hub_running_after_s": hub.wait_running()}
    lv["service_pids_before"] = hub.service_pids()
    working = [st for st in students if "error" not in st.r]
    kernel = {st.name: st.kernels[f"{hubsim.FOLDER}/notebooks/{FIRST}.ipynb"] for st in working}
    for pid in lv["service_pids_before"]:
        os.kill(pid, signal.SIGKILL)
    t_kill = time.time()

    def answer_meanwhile(st: Student) -> dict:
        return st.run_json(kernel[st.name], liveview.RECORD_CODE.format(
            n=2, question="00-classview-extra", answer="a wrong answer", correct=False, score=0.0))

    lv["while_killed"] = dict(zip([st.name for st in working], pool.map(answer_meanwhile, working)))
    while time.time() - t_kill < 120:  # the hub notices (it polls its services every 30 s) and starts it again
        now = hub.service_pids()
        if now and not set(now) & set(lv["service_pids_before"]):
            break
        time.sleep(1)
    lv["service_pids_after"] = hub.service_pids()
    lv["service_back_s"] = round(time.time() - t_kill, 1)
    homes = {st.name: run.home(st.name) for st in students}
    lv["tally"] = liveview.tally(homes, PROGRESS, run.state / "classview.sqlite")
    lv["line"] = liveview.line(lv["tally"])
    liveview.SUMMARY.append(lv["line"])
    log(lv["line"])
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    try:
        lv["instructor"] = liveview.instructor_sees(hub, hub.instructor, hubsim.PASSWORD, ARTIFACTS / "classview.png")
    except Exception as err:  # noqa: BLE001 - reported by the test
        lv["instructor"] = {"error": f"{err!r}\n{traceback.format_exc()}"}
    lv["probes"] = {}
    for i, st in enumerate(working):
        other = students[(i + 1) % len(students)].name
        lv["probes"][st.name] = st.run_json(kernel[st.name], liveview.PROBE_CODE.format(other=other))
    lv["impostor_rows"] = sorted(liveview.rows(run.state / "classview.sqlite", "00-impostor"))
    return lv


def _saved(st: Student, path: str, note: str) -> dict:
    nb = st.api.get(f"{st.url}/api/contents/{path}", params={"content": 1}, timeout=60).json()["content"]
    nb["cells"].append({"cell_type": "markdown", "metadata": {}, "source": note})
    return nb


def _files(run: Run, students: list[Student]) -> dict:
    out = {}
    homes = [run.home(st.name) for st in students]
    search = [run.dir, hubsim.VENV, Path("/root/.local/share/kg-russia-module")]
    for st in students:
        home = run.home(st.name)
        own = home / PROGRESS
        proof = f"kgc-proof-{st.name}"
        holders = []
        for root in search:
            for dirpath, _, files in os.walk(root):
                for f in files:
                    p = Path(dirpath) / f
                    if f.startswith("progress.json") and p.is_file() and proof in p.read_text(errors="replace"):
                        holders.append(str(p))
        stat = own.stat() if own.exists() else None
        nb = home / hubsim.FOLDER / "notebooks" / f"{FIRST}.ipynb"
        saved = json.loads(nb.read_text()) if nb.exists() else {"cells": []}
        out[st.name] = {
            "progress": str(own), "exists": own.exists(), "holders": holders,
            "owner_ok": bool(stat) and stat.st_uid == run.uid(st.name),
            "home_mode": oct(home.stat().st_mode & 0o777), "file_mode": oct(stat.st_mode & 0o777) if stat else None,
            "in_other_homes": [h.name for h in homes if h != home and any(x.startswith(f"{h}/") for x in holders)],
            "saved_outputs": sum(len(c.get("outputs", [])) for c in saved["cells"] if c["cell_type"] == "code"),
            "saved_notes": [src for src in ("".join(c["source"]) for c in saved["cells"]
                                            if c["cell_type"] == "markdown") if src.startswith("saved ")],
        }
    return out


def _keep_logs(run: Run, res: dict) -> None:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    for f in list(run.state.glob("jupyterhub-*.log")) + [run.dir / "proxy.log"]:
        if f.exists():
            shutil.copy(f, ARTIFACTS / f.name)
    (ARTIFACTS / "result.json").write_text(json.dumps(res, indent=1, default=str))


def _nothing_left(run: Run, hub: Hub, proxy: Proxy) -> list[str]:
    left = []
    for p in [hub.proc, proxy.proc]:
        if p and p.poll() is None:
            left.append(f"process {p.pid}")
    left += [f"process {p}" for p in run.alive()]
    if run.mode == "system":
        import pwd

        for name in run.users:
            try:
                pwd.getpwnam(name)
                left.append(f"user {name}")
            except KeyError:
                pass
    if run.dir.exists():
        left.append(str(run.dir))
    return left


# --- what every student must have seen -----------------------------------------------------------------------


def _ok(classroom):
    return {s["user"]: s for s in classroom["students"]}


def test_every_student_pulled_the_module_ran_the_notebooks_and_saved(classroom):
    assert classroom["errors"] == {}, json.dumps(classroom["errors"], indent=1)
    for s in classroom["students"]:
        assert s["ok"], s.get("error")
        assert s["link_query"]["targetpath"] == hubsim.FOLDER
        landing = s["landing"]  # the hub's front page after logging in: the default URL pulls the module
        assert landing["status"] == 200, landing
        assert landing["nbgitpuller"], landing
        assert f"/user/{s['user']}/git-pull?" in landing["url"]
        assert "targetpath=kg-russia-module" in landing["url"]
        assert FIRST in s["notebooks"]
        assert s["notebooks"][FIRST]["code_cells"] > 0
        f = classroom["files"][s["user"]]
        assert f["saved_outputs"] > 0, "the saved notebook has no outputs"
        assert "saved after the restart" in f["saved_notes"]


def test_the_pulled_copy_and_the_installed_package_are_used(classroom):
    for s in classroom["students"]:
        a = s["answers"]
        home = a["home"]
        assert a["cwd"] == f"{home}/{hubsim.FOLDER}/notebooks"
        assert a["banks"] == f"{home}/{hubsim.FOLDER}/course/banks"  # the pulled banks win (course/paths.py)
        assert a["data"] == f"{home}/{hubsim.FOLDER}/data"
        assert a["package"].startswith(str(hubsim.VENV))
        assert "site-packages" in a["package"]


def test_answers_are_graded_and_stored_in_the_students_own_home_only(classroom):
    for s in classroom["students"]:
        a, f = s["answers"], classroom["files"][s["user"]]
        statuses = dict(map(tuple, a["answered"]))
        assert "correct" in statuses.values()
        assert len(a["answered"]) >= 3
        assert a["progress"] == f["progress"]
        assert f["exists"]
        assert f["owner_ok"]
        home = a["home"]
        # the file, and nothing outside the student's home (a kernel killed mid-write may leave a *.tmp beside it)
        assert f["progress"] in f["holders"]
        assert all(h.startswith(f"{home}/") for h in f["holders"]), f"answers outside the home: {f['holders']}"
        assert f["in_other_homes"] == []


@pytest.mark.skipif(hubsim.MODE != "system", reason="needs one Unix account per student (root, CLASSROOM_MODE=system)")
def test_no_student_can_read_another_students_progress(classroom):
    assert classroom["mode"] == "system"
    for s in classroom["students"]:
        f = classroom["files"][s["user"]]
        assert f["home_mode"] == "0o700", "homes must be private (the hub's pre_spawn_hook)"
        if N > 1:
            assert set(s["snoop"].values()) == {"denied"}, s["snoop"]


def test_a_killed_kernel_keeps_its_saved_progress_and_others_are_unaffected(classroom):
    kill = classroom["students"][0]["kill"]
    assert kill["prefix_intact"], "attempts saved before the kill changed"
    assert kill["after_kill"] >= kill["before"] + 20
    assert kill["in_new_kernel"] == kill["after_kill"], "the restarted kernel does not see the saved attempts"
    assert kill["corrupt_files"] == []
    assert classroom["students"][0]["answers_after_kill"]["stored"] > kill["after_kill"]
    assert all(s["ok"] for s in classroom["students"][1:])


def test_students_keep_working_while_the_hub_restarts(classroom):
    for s in classroom["students"]:
        assert s["while_hub_down"] == "still working 42"
        assert s["after_hub_up"] == "after the restart 42"
    assert classroom["pids_after"] == classroom["pids_before"], "servers were restarted, not kept"
    assert classroom["relogin_pid"] == classroom["pids_before"][classroom["students"][-1]["user"]]


def test_the_idle_culler_stops_idle_servers(classroom):
    assert classroom["culled"], f"servers still running {classroom['culled_s']:.0f} s after the culler started"


# --- the live class view (course/classview/) -------------------------------------------------------------------


def test_the_live_view_received_every_attempt_through_restarts(classroom):
    lv = classroom["liveview"]
    t = lv["tally"]
    assert t["lost"] == 0, f"{lv['line']}; e.g. {t['lost_sample']}"
    assert t["expected"] > 0, t
    assert t["recorded"] == t["expected"], t
    assert t["extra"] == 0, t
    assert t["students"] == N
    for s in classroom["students"]:
        assert s["liveview_hub_down"]["sending"], "the kernel does not send to the class view"
    assert lv["service_pids_before"], "the class view service was not running"
    assert lv["service_pids_after"], f"the hub did not start the class view again ({lv['service_back_s']} s)"
    assert all(r["sending"] and r["unsent"] >= 2 for r in lv["while_killed"].values()), lv["while_killed"]


def test_an_instructor_sees_the_class_view_through_the_hubs_login(classroom):
    lv = classroom["liveview"]
    seen, t = lv["instructor"], lv["tally"]
    assert "error" not in seen, seen.get("error")
    assert seen["login_page"]
    assert seen["url"].startswith(f"{seen['url'].split('/services/')[0]}/services/classview/")
    assert f"{N} students answered; {t['recorded']} attempts recorded" in seen["overview"], seen["overview"]
    assert seen["student_rows"] == N
    assert seen["students"] == sorted(s["user"] for s in classroom["students"])
    # what students typed (script, an image with onerror, markup) is on the page as text, and never ran
    assert seen["payload_as_text"]
    assert seen["pwned"] is None
    assert seen["injected"] == 0
    assert seen["dialogs"] == []


def test_a_student_cannot_see_the_class_or_post_as_someone_else(classroom):
    lv = classroom["liveview"]
    assert len(lv["probes"]) == N
    for name, p in lv["probes"].items():
        assert (p["page"], p["class"], p["gradebook"], p["attempts"]) == (403, 403, 403, 403), (name, p)
        assert p["impostor_status"] == 200, (name, p)
        assert p["impostor_as"] == name, (name, p)
        assert p["me_status"] == 200
        assert p["me_student"] == name
        assert p["me_n"] > 0
    assert lv["impostor_rows"] == sorted(lv["probes"]), "an attempt was stored under a name the body gave"

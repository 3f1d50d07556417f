"""A real JupyterHub on 127.0.0.1 and simulated students, for the classroom test and the measurements.

Pieces (each stops what it started, by pid, and only that):
  Run       a folder of its own under $CLASSROOM_DIR/runs/<id>: hub state, students' homes, the teaching
            repository; Unix accounts (one per student) made with useradd and removed with userdel.
  Proxy     configurable-http-proxy (npm), started apart from the hub as TLJH and Z2JH run it, so the hub
            can restart while students keep working.
  Hub       the jupyterhub process, with tests/classroom/jupyterhub_config.py.
  Student   logs in with the class password, follows the `python -m course hub-link` link (nbgitpuller pulls
            the module from a local bare repository), runs notebooks through the kernel's websocket,
            answers quiz questions through the quiz model and progress store in the kernel, saves.

Pitfalls this deals with (met on a 2-core Debian 12 machine, see deploy/README.md):
  - students' accounts cannot run a Python under /root: the hub venv is built from /usr/bin/python3;
  - git refuses a root-owned repository to another user: GIT_CONFIG_SYSTEM lists it as safe.directory;
  - two servers picking the same kernel port at once: kernels use Unix sockets (short runtime dir);
  - under load a spawn request answers before the server is up: poll the user model until ready.
"""

from __future__ import annotations

import datetime
import json
import os
import pwd
import queue
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
import uuid
from collections import defaultdict
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import requests
import websocket  # websocket-client

HERE = Path(__file__).resolve().parent
REPO = HERE.parents[1]
sys.path.insert(0, str(HERE))
from snapshot import snapshot  # noqa: E402

FOLDER = "kg-russia-module"  # nbgitpuller's targetpath, as `python -m course hub-link` makes it
PASSWORD = "classroom-" + secrets.token_hex(8)
CLASSROOM_DIR = Path(os.environ.get("CLASSROOM_DIR") or f"/tmp/kg-classroom-{os.getuid()}")
VENV = Path(os.environ.get("CLASSROOM_VENV") or CLASSROOM_DIR / "venv")
CHP = CLASSROOM_DIR / "node" / "node_modules" / ".bin" / "configurable-http-proxy"
IS_ROOT = os.getuid() == 0
#: system: one Unix account per student (needs root); simple: all students run as this user, homes apart.
MODE = os.environ.get("CLASSROOM_MODE") or ("system" if IS_ROOT else "simple")


def log(*args) -> None:
    try:
        print(time.strftime("%H:%M:%S"), *args, flush=True)
    except (OSError, ValueError):  # no one is reading any more (a killed make): carry on cleaning up
        pass


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def pct(xs, p):
    xs = sorted(x for x in xs if x is not None)
    if not xs:
        return None
    k = (len(xs) - 1) * p / 100.0
    f = int(k)
    c = min(f + 1, len(xs) - 1)
    return xs[f] + (xs[c] - xs[f]) * (k - f)


# --- processes ---------------------------------------------------------------------------------------------


def pid_alive(pid) -> bool:
    try:
        os.kill(int(pid), 0)
        return True
    except (OSError, ValueError, TypeError):
        return False


def proc_cmd(pid) -> str:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace").strip()
    except OSError:
        return ""


def proc_uid(pid) -> int | None:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("Uid:"):
                return int(line.split()[1])
    except (OSError, ValueError, IndexError):
        pass
    return None


def proc_children_map() -> dict[int, list[int]]:
    kids = defaultdict(list)
    for d in os.listdir("/proc"):
        if d.isdigit():
            try:
                stat = Path(f"/proc/{d}/stat").read_text()
                kids[int(stat.rsplit(")", 1)[1].split()[1])].append(int(d))
            except (OSError, ValueError, IndexError):
                pass
    return kids


def proc_tree(root: int) -> list[int]:
    kids, out, todo = proc_children_map(), [], [root]
    while todo:
        p = todo.pop()
        out.append(p)
        todo.extend(kids.get(p, []))
    return out


def proc_mem_kb(pid) -> dict[str, int]:
    """Rss, Pss and USS (private) from smaps_rollup, and the peak RSS (VmHWM), in kB."""
    vals = {}
    try:
        for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
            parts = line.split()
            if len(parts) >= 2 and parts[0].endswith(":"):
                vals[parts[0][:-1]] = int(parts[1])
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                vals["VmHWM"] = int(line.split()[1])
    except (OSError, ValueError):
        return {"rss": 0, "pss": 0, "uss": 0, "hwm": 0}
    return {"rss": vals.get("Rss", 0), "pss": vals.get("Pss", 0),
            "uss": vals.get("Private_Clean", 0) + vals.get("Private_Dirty", 0), "hwm": vals.get("VmHWM", 0)}


CLK_TCK = os.sysconf("SC_CLK_TCK")


def proc_cpu_s(pid) -> float:
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / CLK_TCK
    except (OSError, ValueError, IndexError):
        return 0.0


def kill_pids(pids, what: str, sig=signal.SIGTERM, wait_s: float = 10.0) -> None:
    """Stop these pids (ours), politely first, then with SIGKILL."""
    pids = [p for p in set(pids) if p and pid_alive(p)]
    for p in pids:
        log(f"stopping leftover {what} {p}: {proc_cmd(p)[:90]}")
        try:
            os.kill(p, sig)
        except OSError:
            pass
    deadline = time.time() + wait_s
    while time.time() < deadline and any(pid_alive(p) for p in pids):
        time.sleep(0.2)
    for p in pids:
        if pid_alive(p):
            try:
                os.kill(p, signal.SIGKILL)
            except OSError:
                pass


def pids_of_uid(uid: int) -> list[int]:
    return [int(d) for d in os.listdir("/proc") if d.isdigit() and proc_uid(d) == uid]


# --- the run: folder, accounts, teaching repository --------------------------------------------------------


class Run:
    """Everything one test run makes, and its undoing."""

    def __init__(self, mode: str | None = None):
        self.mode = mode or MODE
        if self.mode == "system" and not IS_ROOT:
            raise RuntimeError("CLASSROOM_MODE=system (one Unix account per student) needs root")
        if not (VENV / "bin" / "jupyterhub").exists() or not CHP.exists():
            raise RuntimeError(f"no hub venv or proxy in {CLASSROOM_DIR}: run `make classroom`")
        self.id = secrets.token_hex(2)
        self.dir = CLASSROOM_DIR / "runs" / self.id
        self.runtime = Path(f"/tmp/kgc-rt-{self.id}")  # short: kernel socket paths must stay < 108 chars
        self.homes = self.dir / "homes"
        self.state = self.dir / "hub"
        self.users: list[str] = []
        self.port_lo = 20000 + 500 * secrets.randbelow(24)  # students' servers: 500 ports in 20000-31999
        self.pids: dict[int, str] = {}  # processes seen started for this run (servers, kernels, services)
        self.cleaned = False
        sweep_stale_runs()
        for d in (self.dir, self.homes, self.state, self.runtime):
            d.mkdir(parents=True, exist_ok=True)
        for d in (CLASSROOM_DIR / "runs", self.dir, self.homes):
            os.chmod(d, 0o755)
        os.chmod(self.runtime, 0o1777)
        (self.dir / "owner.pid").write_text(str(os.getpid()))
        self.repo_url = self._make_repo()

    def user(self, name: str) -> str:
        """A student account: a Unix user in system mode (its home under the run folder)."""
        if self.mode == "system":
            try:
                pwd.getpwnam(name)
                raise RuntimeError(f"user {name} exists already; not touching it")
            except KeyError:
                pass
            self._record_user(name)
            subprocess.run(["useradd", "--create-home", "--home-dir", str(self.homes / name), "--shell",
                            "/bin/bash", "--user-group", "--no-log-init", name], check=True)
        else:
            self._record_user(name)
            (self.homes / name).mkdir(parents=True, exist_ok=True)
        (self.runtime / name).mkdir(exist_ok=True)
        if self.mode == "system":
            entry = pwd.getpwnam(name)
            os.chown(self.runtime / name, entry.pw_uid, entry.pw_gid)
        os.chmod(self.runtime / name, 0o700)
        return name

    def _record_user(self, name: str) -> None:
        self.users.append(name)
        with open(self.dir / "users.txt", "a") as fh:
            fh.write(name + "\n")

    def remember(self, pids) -> None:
        for p in pids:
            self.pids.setdefault(p, proc_cmd(p))

    def alive(self) -> list[int]:
        """The remembered processes still running (the same program: a pid reused by another is not ours)."""
        return [p for p, cmd in self.pids.items() if cmd and proc_cmd(p) == cmd]

    def home(self, name: str) -> Path:
        return Path(pwd.getpwnam(name).pw_dir) if self.mode == "system" else self.homes / name

    def uid(self, name: str) -> int:
        return pwd.getpwnam(name).pw_uid if self.mode == "system" else os.getuid()

    def _make_repo(self) -> str:
        """The teaching repository: the working tree committed in a fresh repo, cloned bare (file://)."""
        src, bare = self.dir / "repo-src", self.dir / "module.git"
        snapshot(src)
        env = {**os.environ, "GIT_CONFIG_GLOBAL": "/dev/null", "GIT_CONFIG_NOSYSTEM": "1"}
        g = ["git", "-c", "user.name=Instructor", "-c", "user.email=instructor@example.invalid"]
        subprocess.run(["git", "init", "-q", "-b", "main", str(src)], check=True, env=env)
        subprocess.run(g + ["-C", str(src), "add", "-A"], check=True, env=env)
        subprocess.run(g + ["-C", str(src), "commit", "-q", "-m", "the module"], check=True, env=env)
        subprocess.run(["git", "clone", "-q", "--bare", str(src), str(bare)], check=True, env=env)
        subprocess.run(["chmod", "-R", "a+rX", str(bare)], check=True)
        self.gitconfig = self.dir / "student-gitconfig"
        self.gitconfig.write_text(f"[safe]\n\tdirectory = {bare}\n")
        os.chmod(self.gitconfig, 0o644)
        shutil.rmtree(src)
        return f"file://{bare}"

    def cleanup(self) -> None:
        if self.cleaned:
            return
        self.cleaned = True
        leftovers = self.alive()
        if self.mode == "system":
            for name in self.users:
                try:
                    leftovers += pids_of_uid(pwd.getpwnam(name).pw_uid)
                except KeyError:
                    pass
        kill_pids(leftovers, "process")
        if self.mode == "system":
            for name in self.users:
                subprocess.run(["userdel", "--remove", name], capture_output=True)
        shutil.rmtree(self.runtime, ignore_errors=True)
        shutil.rmtree(self.dir, ignore_errors=True)


def sweep_stale_runs() -> None:
    """Undo what an earlier run left when it was killed (its owner process is gone): its accounts,
    processes of those accounts, and its folder. Runs whose owner is alive (a parallel run) are left alone."""
    runs = CLASSROOM_DIR / "runs"
    if not runs.is_dir():
        return
    for d in runs.iterdir():
        try:
            owner = int((d / "owner.pid").read_text())
        except (OSError, ValueError):
            owner = None
        if owner and pid_alive(owner) and "python" in proc_cmd(owner):
            continue
        log(f"cleaning up an earlier run that was stopped: {d}")
        names = (d / "users.txt").read_text().split() if (d / "users.txt").exists() else []
        for name in names:
            try:
                entry = pwd.getpwnam(name)
            except KeyError:
                continue
            if Path(entry.pw_dir).is_relative_to(d):  # only accounts this run made
                kill_pids(pids_of_uid(entry.pw_uid), "process")
                subprocess.run(["userdel", "--remove", name], capture_output=True)
        for pidfile in (d / "hub" / "jupyterhub.pid", d / "proxy.pid"):
            try:
                pid = int(pidfile.read_text())
            except (OSError, ValueError):
                continue
            if str(d) in proc_cmd(pid) or "configurable-http-proxy" in proc_cmd(pid):
                kill_pids([pid], "hub/proxy")
        shutil.rmtree(Path(f"/tmp/kgc-rt-{d.name}"), ignore_errors=True)
        shutil.rmtree(d, ignore_errors=True)


# --- proxy and hub ------------------------------------------------------------------------------------------


class Proxy:
    def __init__(self, run: Run):
        self.run = run
        self.port, self.api_port, self.hub_port = free_port(), free_port(), free_port()
        self.token = secrets.token_hex(32)
        self.proc = None

    def start(self) -> None:
        env = {**os.environ, "CONFIGPROXY_AUTH_TOKEN": self.token}
        self.logf = open(self.run.dir / "proxy.log", "w")
        self.proc = subprocess.Popen(
            [str(CHP), "--ip", "127.0.0.1", "--port", str(self.port), "--api-ip", "127.0.0.1",
             "--api-port", str(self.api_port), "--error-target", f"http://127.0.0.1:{self.hub_port}/hub/error",
             "--default-target", f"http://127.0.0.1:{self.hub_port}"],
            env=env, stdout=self.logf, stderr=subprocess.STDOUT, start_new_session=True)
        (self.run.dir / "proxy.pid").write_text(str(self.proc.pid))
        deadline = time.time() + 30
        while time.time() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"proxy exited: {(self.run.dir / 'proxy.log').read_text()[-2000:]}")
            try:
                requests.get(f"http://127.0.0.1:{self.api_port}/api/routes", timeout=2,
                             headers={"Authorization": f"token {self.token}"}).raise_for_status()
                return
            except requests.RequestException:
                time.sleep(0.2)
        raise RuntimeError("proxy did not come up")

    def stop(self) -> None:
        if self.proc and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(5)


class Hub:
    def __init__(self, run: Run, proxy: Proxy, cull_timeout: int = 0):
        self.run, self.proxy = run, proxy
        self.port, self.hub_port = proxy.port, proxy.hub_port
        self.token = secrets.token_hex(32)
        self.base = f"http://127.0.0.1:{self.port}"
        self.api = f"{self.base}/hub/api"
        self.cull_timeout = cull_timeout
        self.classview_port = free_port()  # the class view service (course/classview/), started by the hub
        self.classview = f"{self.base}/services/classview/"  # through the proxy, as a browser reaches it
        self.instructor = ""  # a member of the hub's "instructors" group (load_groups), if any
        self.proc = None
        self.starts = 0
        self.s = requests.Session()
        self.s.headers["Authorization"] = f"token {self.token}"
        self.s.mount("http://", requests.adapters.HTTPAdapter(pool_connections=4, pool_maxsize=64))

    def start(self) -> float:
        env = {k: v for k, v in os.environ.items() if not k.startswith(("COURSE_", "JUPYTER", "PYTEST"))}
        env.update(
            CLASSROOM_MODE=self.run.mode, CLASSROOM_VENV=str(VENV), CLASSROOM_STATE=str(self.run.state),
            CLASSROOM_HOMES=str(self.run.homes), CLASSROOM_RUNTIME=str(self.run.runtime),
            CLASSROOM_GITCONFIG=str(self.run.gitconfig), CLASSROOM_PORT=str(self.port),
            CLASSROOM_HUB_PORT=str(self.hub_port), CLASSROOM_PROXY_API=str(self.proxy.api_port),
            CONFIGPROXY_AUTH_TOKEN=self.proxy.token, CLASSROOM_SERVICE_TOKEN=self.token,
            CLASSROOM_PASSWORD=PASSWORD, CLASSROOM_CULL_TIMEOUT=str(self.cull_timeout),
            CLASSROOM_DEFAULT_URL=course_cli("hub-link", "--default-url", "--repo", self.run.repo_url),
            CLASSROOM_PORT_LO=str(self.run.port_lo), CLASSROOM_PORT_HI=str(self.run.port_lo + 500),
            CLASSROOM_CLASSVIEW_PORT=str(self.classview_port), CLASSROOM_INSTRUCTOR=self.instructor,
            PATH=f"{VENV}/bin:" + env.get("PATH", "/usr/bin:/bin"),
        )
        self.starts += 1
        self.logf = open(self.run.state / f"jupyterhub-{self.starts}.log", "w")
        t0 = time.time()
        self.proc = subprocess.Popen(
            [str(VENV / "bin" / "jupyterhub"), "-f", str(HERE / "jupyterhub_config.py")],
            cwd=self.run.state, env=env, stdout=self.logf, stderr=subprocess.STDOUT, start_new_session=True)
        while time.time() - t0 < 120:
            if self.proc.poll() is not None:
                raise RuntimeError(f"hub exited: {self.log_tail()}")
            try:
                if self.s.get(f"{self.api}/", timeout=2).ok:
                    break
            except requests.RequestException:
                pass
            time.sleep(0.2)
        else:
            raise RuntimeError(f"hub did not come up: {self.log_tail()}")
        took = time.time() - t0
        log(f"hub pid={self.proc.pid} up in {took:.1f}s at {self.base}")
        return took

    def wait_running(self, timeout: float = 120) -> float:
        """Wait until this start of the hub has started its services (JupyterHub says "is now running"); a
        managed service that dies before then makes the hub exit."""
        t0 = time.time()
        while "JupyterHub is now running" not in self.log_tail(10**7):
            if self.proc.poll() is not None or time.time() - t0 > timeout:
                raise RuntimeError(f"the hub did not finish starting: {self.log_tail()}")
            time.sleep(0.5)
        # its services (idle culler, class view) are cleaned up with the run even if the hub dies first
        self.run.remember(proc_tree(self.proc.pid)[1:])
        return time.time() - t0

    def log_tail(self, chars: int = 3000) -> str:
        try:
            return (self.run.state / f"jupyterhub-{self.starts}.log").read_text()[-chars:]
        except OSError:
            return ""

    def service_pids(self, module: str = "course.classview") -> list[int]:
        """The hub's managed service processes running `module` (the class view by default)."""
        if not self.proc or self.proc.poll() is not None:
            return []
        pids = [p for p in proc_tree(self.proc.pid)[1:] if f"-m {module}" in proc_cmd(p)]
        self.run.remember(pids)
        return pids

    def stop(self) -> None:
        """Stop the hub and the services it started (the idle culler, the class view) at once, as systemd stops
        TLJH's hub unit and Kubernetes the hub's pod; cleanup_servers is off, so the students' servers keep
        running."""
        services = []
        if self.proc and self.proc.poll() is None:
            services = [p for p in proc_tree(self.proc.pid)[1:]
                        if "jupyterhub_idle_culler" in proc_cmd(p) or "course.classview" in proc_cmd(p)]
            self.run.remember(services)
            for p in services:
                os.kill(p, signal.SIGTERM)
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(30)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(5)
        kill_pids([p for p in services if p in self.run.alive()], "hub service")
        if self.proc:
            self.logf.close()

    def server(self, name: str) -> dict | None:
        return self.s.get(f"{self.api}/users/{name}", timeout=60).json().get("servers", {}).get("")

    def stop_all_servers(self, names, timeout: float = 90) -> None:
        for name in names:
            try:
                self.s.delete(f"{self.api}/users/{name}/server", timeout=60)
            except requests.RequestException:
                pass
        deadline = time.time() + timeout
        while time.time() < deadline:
            try:
                if not any(self.server(n) for n in names):
                    return
            except (requests.RequestException, ValueError):
                return
            time.sleep(0.5)


# --- one student -------------------------------------------------------------------------------------------

ANSWER_CODE = r'''
import json as _j, os as _o
import course as _course
from course import paths as _paths
from course.quiz.bank import banks_dir as _banks_dir, bank_paths as _bank_paths, load_bank as _load_bank
from course.quiz.model import QuestionSession as _QS
from course.quiz.progress import store as _store
_proof = "kgc-proof-" + _o.environ["JUPYTERHUB_USER"]
_nb = {notebook!r}
_bank = next(b for b in map(_load_bank, _bank_paths()) if b.path.stem == _nb)
_s, _done = _store(), []
for _q in _bank.questions:
    _sess = _QS(_q, previous=_s.attempts(_nb, _q.id))
    if _q.kind == "single":
        _tries = [c.text for c in _q.choices if not c.correct][:1] + [_q.answer_text()]
    elif _q.kind == "reflection":
        _tries = [_proof + ": the article is one source among several."]
    elif _q.kind == "numeric":
        _tries = [_q.answer_text()]
    else:
        _tries = []
    for _raw in _tries:
        _fb = _sess.submit(_raw)
        if _fb.result is not None:
            _r = _fb.result
            _s.record(_q.notebook, _q.id, answer=_r.answer, correct=_r.correct, score=_r.score, attempt=_fb.attempt)
            _done.append([_q.id, _fb.status])
print(_j.dumps({{"answered": _done, "progress": str(_s.path), "stored": len(_s.attempts()),
                "banks": str(_banks_dir()), "data": str(_paths.data_dir()), "package": _course.__file__,
                "cwd": _o.getcwd(), "uid": _o.getuid(), "home": _o.path.expanduser("~")}}))
'''

SNOOP_CODE = r'''
import json as _j, os as _o
_res = {{}}
for _path in {paths!r}:
    try:
        if _path.endswith(".json"):
            with open(_path) as _fh:
                _fh.read(1)
        else:
            _o.listdir(_path)
        _res[_path] = "READ"
    except PermissionError:
        _res[_path] = "denied"
    except OSError as _err:
        _res[_path] = repr(_err)
print(_j.dumps(_res))
'''

KEYSTROKES_CODE = r'''
import time as _t
from course.quiz.progress import store as _store
for _i in range(100000):
    _store().record("00_start_here", "kgc-keystrokes", answer="keystroke %d" % _i)
    _t.sleep(0.005)
'''


class CellError(RuntimeError):
    pass


def _output(msg_type: str, content: dict) -> dict:
    """A notebook output (nbformat 4) from an iopub message."""
    if msg_type == "stream":
        return {"output_type": "stream", "name": content["name"], "text": content["text"]}
    if msg_type == "error":
        return {"output_type": "error", **{x: content[x] for x in ("ename", "evalue", "traceback")}}
    out = {"output_type": msg_type, "data": content["data"], "metadata": content.get("metadata", {})}
    if msg_type == "execute_result":
        out["execution_count"] = content.get("execution_count")
    return out


class KernelConnection:
    """A kernel's websocket, read all the time by a thread (as a browser does): pings are answered, so the
    server keeps the connection open while the student does something else, and messages wait in a queue."""

    def __init__(self, url: str, authorization: str):
        self.ws = websocket.create_connection(url, header=[f"Authorization: {authorization}"], timeout=300)
        self.ws.settimeout(1.0)
        self.queue: queue.Queue = queue.Queue()
        self.stopped = False
        self.thread = threading.Thread(target=self._read, daemon=True)
        self.thread.start()

    def _read(self) -> None:
        while not self.stopped:
            try:
                raw = self.ws.recv()
            except websocket.WebSocketTimeoutException:
                continue
            except Exception as err:  # noqa: BLE001 - handed to whoever waits for a message
                self.queue.put(err)
                return
            if raw == "":  # closed by the server
                self.queue.put(ConnectionError("the kernel's websocket was closed"))
                return
            if isinstance(raw, str):
                self.queue.put(json.loads(raw))

    def send(self, msg: dict) -> None:
        self.ws.send(json.dumps(msg))

    def get(self, timeout: float) -> dict | None:
        try:
            item = self.queue.get(timeout=max(0.1, timeout))
        except queue.Empty:
            return None
        if isinstance(item, Exception):
            self.queue.put(item)
            raise item
        return item

    def close(self) -> None:
        self.stopped = True
        try:
            self.ws.close()
        except Exception:  # noqa: BLE001 - closing what may be gone already
            pass
        self.thread.join(5)


class Student:
    def __init__(self, hub: Hub, name: str, link: str):
        self.hub, self.name, self.link = hub, name, link
        self.r: dict = {"user": name, "ok": False, "notebooks": {}}
        self.browser = requests.Session()  # the student's browser: cookies only
        self.api = requests.Session()  # what JupyterLab does on the student's behalf: their own token
        self.server_pid = None
        self.kernels: dict[str, dict] = {}

    @property
    def url(self) -> str:
        return f"{self.hub.base}/user/{self.name}"

    # -- hub: log in (which starts the server), wait until it is ready
    def login(self) -> None:
        t0 = time.time()
        b = self.browser
        b.get(f"{self.hub.base}/hub/login", timeout=60).raise_for_status()
        r = b.post(f"{self.hub.base}/hub/login", timeout=300, allow_redirects=True,
                   data={"username": self.name, "password": PASSWORD, "_xsrf": b.cookies.get("_xsrf", "")})
        r.raise_for_status()
        if "/hub/login" in r.url:
            raise RuntimeError(f"{self.name}: login refused ({r.url})")
        while True:
            srv = self.hub.server(self.name)
            if srv and srv.get("ready"):
                break
            if time.time() - t0 > 300:
                raise RuntimeError(f"{self.name}: server not ready after 300 s")
            time.sleep(0.25)
        self.r["spawn_s"] = time.time() - t0
        self.server_pid = (srv.get("state") or {}).get("pid")
        # the hub's front page now leads to the default URL: the nbgitpuller page for the module
        landing = b.get(f"{self.hub.base}/hub/", timeout=120)
        self.r["landing"] = {"status": landing.status_code, "url": landing.url,
                             "nbgitpuller": "nbgitpuller" in landing.text.lower()}
        tok = self.hub.s.post(f"{self.hub.api}/users/{self.name}/tokens", timeout=60,
                              json={"note": "classroom test", "expires_in": 7200}).json()
        self.api.headers["Authorization"] = f"token {tok['token']}"
        status = self.api.get(f"{self.url}/api/status", timeout=120)
        if status.status_code != 200:  # the hub counts any non-5xx answer as "up" (see jupyterhub_config.py)
            raise RuntimeError(f"{self.name}: server 'ready' but {self.url}/api/status answered "
                               f"{status.status_code}: another program answers on its port?")

    # -- the link: the nbgitpuller page, then what its JavaScript does (an event stream)
    def follow_link(self) -> None:
        t0 = time.time()
        r = self.browser.get(self.link, timeout=300)
        r.raise_for_status()
        if "nbgitpuller" not in r.text.lower() or f"/user/{self.name}/git-pull" not in r.url:
            raise RuntimeError(f"{self.name}: the link did not reach nbgitpuller ({r.status_code} {r.url})")
        q = {k: v[0] for k, v in parse_qs(urlsplit(r.url).query).items()}
        self.r["link_query"] = q
        params = {k: q[k] for k in ("repo", "branch", "targetpath") if k in q}
        stream = self.browser.get(f"{self.url}/git-pull/api", params=params, stream=True, timeout=300)
        stream.raise_for_status()
        phase, lines = None, []
        for line in stream.iter_lines(decode_unicode=True):
            if not line or not line.startswith("data:"):
                continue
            d = json.loads(line[5:])
            phase = d.get("phase")
            lines += [x for x in (d.get("output"), d.get("message")) if x]
            if phase in ("finished", "error"):
                break
        stream.close()
        if phase != "finished":
            raise RuntimeError(f"{self.name}: nbgitpuller {phase}: {lines[-3:]}")
        # the page then opens urlpath: JupyterLab on the first notebook
        lab = self.browser.get(f"{self.hub.base}/user/{self.name}/{q['urlpath']}", timeout=120)
        lab.raise_for_status()
        self.r["pull_s"] = time.time() - t0

    # -- kernels, through the server's REST API and websocket (what JupyterLab does)
    def open_kernel(self, path: str) -> dict:
        sess = self.api.post(f"{self.url}/api/sessions", timeout=300, json={
            "path": path, "name": os.path.basename(path), "type": "notebook", "kernel": {"name": "python3"}})
        sess.raise_for_status()
        sess = sess.json()
        k = {"session_id": sess["id"], "kernel_id": sess["kernel"]["id"], "key": uuid.uuid4().hex, "path": path}
        self._connect(k)
        self.kernels[path] = k
        self.execute(k, "", timeout=300)  # first round trip: the kernel is up
        self.hub.run.remember(self.server_tree())
        return k

    def _connect(self, k: dict) -> None:
        ws_url = (f"ws://127.0.0.1:{self.hub.port}/user/{self.name}/api/kernels/{k['kernel_id']}/channels"
                  f"?session_id={k['key']}")
        k["conn"] = KernelConnection(ws_url, self.api.headers["Authorization"])

    def send(self, k: dict, code: str) -> str:
        """Send an execute request over the kernel's websocket; its message id."""
        msg_id = uuid.uuid4().hex
        msg = {"header": {"msg_id": msg_id, "username": self.name, "session": k["key"], "msg_type": "execute_request",
                          "version": "5.3", "date": datetime.datetime.now(datetime.timezone.utc).isoformat()},
               "parent_header": {}, "metadata": {}, "channel": "shell", "buffers": [],
               "content": {"code": code, "silent": False, "store_history": True, "user_expressions": {},
                           "allow_stdin": False, "stop_on_error": True}}
        k["conn"].send(msg)
        return msg_id

    def execute(self, k: dict, code: str, timeout: float = 600) -> tuple[dict, list]:
        """Run code in the kernel; the reply and the outputs. A failing cell raises CellError."""
        msg_id = self.send(k, code)
        outputs, reply, idle = [], None, False
        deadline = time.time() + timeout
        while not (reply is not None and idle):
            m = k["conn"].get(deadline - time.time())
            if m is None:
                raise TimeoutError(f"{self.name}: no reply from the kernel in {timeout} s")
            if m.get("parent_header", {}).get("msg_id") != msg_id:
                continue
            t = m["header"]["msg_type"]
            if m["channel"] == "iopub":
                if t == "status":
                    idle = m["content"]["execution_state"] == "idle"
                elif t in ("stream", "display_data", "execute_result", "error"):
                    outputs.append(_output(t, m["content"]))
                elif t == "clear_output":
                    outputs.clear()
            elif t == "execute_reply":
                reply = m["content"]
        if reply.get("status") != "ok":
            raise CellError(f"{self.name}: {reply.get('ename')}: {reply.get('evalue')}")
        return reply, outputs

    def run_json(self, k: dict, code: str, timeout: float = 300) -> dict:
        _, outputs = self.execute(k, code, timeout)
        text = "".join(o.get("text", "") for o in outputs if o["output_type"] == "stream" and o["name"] == "stdout")
        return json.loads(text.strip().splitlines()[-1])

    def run_notebook(self, name: str) -> dict:
        """Open a pulled notebook, run every code cell in a fresh kernel, save it with its outputs."""
        path = f"{FOLDER}/notebooks/{name}.ipynb"
        t0 = time.time()
        model = self.api.get(f"{self.url}/api/contents/{path}", params={"content": 1}, timeout=120)
        model.raise_for_status()
        nb = model.json()["content"]
        k = self.open_kernel(path)
        t1 = time.time()
        count = 0
        for cell in nb["cells"]:
            if cell["cell_type"] != "code":
                continue
            reply, outputs = self.execute(k, cell["source"])
            count += 1
            cell["outputs"], cell["execution_count"] = outputs, reply.get("execution_count")
        t2 = time.time()
        self.save(path, nb)
        t3 = time.time()
        res = {"kernel_start_s": t1 - t0, "exec_s": t2 - t1, "save_s": t3 - t2, "notebook_s": t3 - t0,
               "code_cells": count}
        self.r["notebooks"][name] = res
        return res

    def save(self, path: str, nb: dict) -> None:
        r = self.api.put(f"{self.url}/api/contents/{path}", timeout=120,
                         json={"type": "notebook", "format": "json", "content": nb})
        r.raise_for_status()

    def answer(self, k: dict, notebook: str) -> dict:
        return self.run_json(k, ANSWER_CODE.format(notebook=notebook))

    def kernel_pid(self, k: dict) -> int | None:
        for pid in proc_tree(self.server_pid)[1:]:
            if k["kernel_id"] in proc_cmd(pid):
                return pid
        return None

    def server_tree(self) -> list[int]:
        return proc_tree(self.server_pid) if self.server_pid else []

    def close(self) -> None:
        for k in self.kernels.values():
            k["conn"].close()


# --- memory of a student's processes -----------------------------------------------------------------------


def student_memory(st: Student) -> dict:
    tree = st.server_tree()
    tot = {"rss": 0, "pss": 0, "uss": 0}
    peak_kernel = 0
    for pid in tree:
        m = proc_mem_kb(pid)
        for key in tot:
            tot[key] += m[key]
        if "ipykernel" in proc_cmd(pid):
            peak_kernel = max(peak_kernel, m["hwm"])
    server = proc_mem_kb(st.server_pid) if st.server_pid else {"rss": 0, "hwm": 0}
    return {"procs": len(tree), "rss_mb": tot["rss"] / 1024, "pss_mb": tot["pss"] / 1024, "uss_mb": tot["uss"] / 1024,
            "server_peak_mb": server["hwm"] / 1024, "kernel_peak_mb": peak_kernel / 1024,
            "cpu_s": sum(proc_cpu_s(p) for p in tree)}


def course_cli(*args: str) -> str:
    """`python -m course ...` with the package installed in the hub venv, run outside any copy of the module."""
    out = subprocess.run([str(VENV / "bin" / "python"), "-m", "course", *args], capture_output=True, text=True,
                         cwd="/", check=True)
    return out.stdout.strip()


def hub_link(hub: Hub, repo_url: str) -> str:
    """The link exactly as an instructor makes it: `python -m course hub-link`."""
    link = course_cli("hub-link", "--hub", hub.base, "--repo", repo_url, "--branch", "main")
    if not re.fullmatch(r"http://127\.0\.0\.1:\d+/hub/user-redirect/git-pull\?\S+", link):
        raise RuntimeError(f"unexpected hub-link output: {link!r}")
    return link


def meminfo_kb(key: str = "MemAvailable") -> int:
    for line in Path("/proc/meminfo").read_text().splitlines():
        if line.startswith(key + ":"):
            return int(line.split()[1])
    return 0


def notebooks_in_repo() -> list[str]:
    return sorted(p.stem for p in (REPO / "notebooks").glob("[0-9][0-9]_*.ipynb"))

"""JupyterHub configuration of the classroom test (tests/classroom/). Loopback only; not for production.

deploy/ holds the configurations for real hubs (TLJH, Zero to JupyterHub); the choices they share with
this file are marked "same as deploy/". Everything here is set by hubsim.py through these variables:

  CLASSROOM_MODE          system: one Unix account per student (LocalProcessSpawner; needs root)
                          simple: every student runs as the hub's user, with a HOME of their own
                                  (SimpleLocalProcessSpawner; for non-root runs; no isolation)
  CLASSROOM_VENV          the venv with jupyterhub-singleuser, the kernel and the installed module
  CLASSROOM_STATE         folder for the hub's database, cookie secret and pid file
  CLASSROOM_HOMES         folder of the students' homes (simple mode)
  CLASSROOM_RUNTIME       short folder for per-student Jupyter runtime dirs (kernel Unix sockets)
  CLASSROOM_GITCONFIG     git config that marks the local teaching repository as a safe.directory
  CLASSROOM_PORT, CLASSROOM_HUB_PORT, CLASSROOM_PROXY_API   ports on 127.0.0.1
  CONFIGPROXY_AUTH_TOKEN  shared with the proxy, which hubsim.py starts itself (as TLJH and Z2JH run it
                          apart from the hub), so that restarting the hub does not cut students off
  CLASSROOM_SERVICE_TOKEN API token of the test driver
  CLASSROOM_PASSWORD      the class's shared password
  CLASSROOM_DEFAULT_URL   where a student lands after logging in (`python -m course hub-link --default-url`)
  CLASSROOM_CULL_TIMEOUT  idle culler timeout in seconds (0: no culler)
  CLASSROOM_PORT_LO, CLASSROOM_PORT_HI   the range the students' servers' ports are taken from
  CLASSROOM_CLASSVIEW_PORT  port of the live class view service (course/classview/), as in deploy/
  CLASSROOM_INSTRUCTOR    a user put in the "instructors" group, who sees the class view
"""

import os
import pwd
import random
import socket
import sys

env = os.environ
VENV = env["CLASSROOM_VENV"]
STATE = env["CLASSROOM_STATE"]
MODE = env.get("CLASSROOM_MODE", "system")
RUNTIME = env["CLASSROOM_RUNTIME"]

c = get_config()  # noqa: F821 - provided by JupyterHub

# --- network: loopback only; the proxy runs on its own -----------------------------------------------
c.JupyterHub.ip = "127.0.0.1"
c.JupyterHub.port = int(env["CLASSROOM_PORT"])
c.JupyterHub.hub_ip = "127.0.0.1"
c.JupyterHub.hub_port = int(env["CLASSROOM_HUB_PORT"])
c.ConfigurableHTTPProxy.should_start = False
c.ConfigurableHTTPProxy.api_url = f"http://127.0.0.1:{env['CLASSROOM_PROXY_API']}"

# --- state --------------------------------------------------------------------------------------------
c.JupyterHub.db_url = f"sqlite:///{STATE}/jupyterhub.sqlite"
c.JupyterHub.cookie_secret_file = f"{STATE}/jupyterhub_cookie_secret"
c.JupyterHub.pid_file = f"{STATE}/jupyterhub.pid"
# Same as deploy/: a restarted hub finds the students' servers still running and keeps them.
c.JupyterHub.cleanup_servers = False
c.JupyterHub.concurrent_spawn_limit = 200
c.JupyterHub.active_server_limit = 0

# --- log in: any name, one class password -------------------------------------------------------------
c.JupyterHub.authenticator_class = "shared-password"
c.SharedPasswordAuthenticator.user_password = env["CLASSROOM_PASSWORD"]
c.Authenticator.allow_all = True

# --- the students' servers -----------------------------------------------------------------------------
c.Spawner.cmd = [f"{VENV}/bin/jupyterhub-singleuser"]
# Same as deploy/: logging in at the front page pulls the module (nbgitpuller) and opens the first notebook;
# the value is what `python -m course hub-link --default-url --repo ...` prints.
c.Spawner.default_url = env["CLASSROOM_DEFAULT_URL"]
c.Spawner.start_timeout = 300
c.Spawner.http_timeout = 300
c.Spawner.environment = {
    "PATH": f"{VENV}/bin:/usr/local/bin:/usr/bin:/bin",
    "NBGITPULLER_APP": "lab",
    # The teaching repository is a local bare repo owned by root; git refuses it to other users
    # ("dubious ownership") unless a system config lists it as safe.
    "GIT_CONFIG_SYSTEM": env["CLASSROOM_GITCONFIG"],
    # Many servers on one host: kernels talk over Unix sockets in a per-student runtime dir, not TCP ports
    # (two servers picking the same free port at the same moment hung a kernel). Socket paths must stay
    # under 108 characters, hence a short folder.
    "JUPYTER_RUNTIME_DIR": lambda spawner: f"{RUNTIME}/{spawner.user.name}",
}
c.Spawner.args = ["--KernelManager.transport=ipc"]


def private_home(spawner):
    """Same as deploy/: a student's home (and so their progress file) is theirs alone (mode 0700)."""
    try:
        entry = pwd.getpwnam(spawner.user.name)
    except KeyError:
        return
    home = entry.pw_dir
    if os.path.isdir(home) and os.stat(home).st_uid == entry.pw_uid:
        os.chmod(home, 0o700)


# Each server's port, from a range outside the kernel's ephemeral ports (32768-60999 here), unique among the
# servers this hub started. JupyterHub's own choice (bind to port 0, close, hand the number over) can give a
# port that another program takes before the server binds it; the server then fails, but the hub's check gets
# an answer from whatever holds the port (any non-5xx counts as up), so the student's URL leads to someone
# else's server: a 404 (jupyterhub issue #3005). Seen once in ~120 spawns, 20 students at a time, here.
PORTS = range(int(env.get("CLASSROOM_PORT_LO", "20000")), int(env.get("CLASSROOM_PORT_HI", "30000")))
_handed_out = {}  # "user/server" -> port


def _free(port):
    with socket.socket() as s:
        try:
            s.bind(("127.0.0.1", port))
            return True
        except OSError:
            return False


def unique_port(spawner):
    key = f"{spawner.user.name}/{spawner.name}"
    taken = {p for k, p in _handed_out.items() if k != key}
    start = random.randrange(len(PORTS))
    for i in range(len(PORTS)):
        port = PORTS[(start + i) % len(PORTS)]
        if port not in taken and _free(port):
            _handed_out[key] = spawner.port = port
            return
    raise RuntimeError(f"no free port in {PORTS}")


def before_spawn(spawner):
    unique_port(spawner)
    if MODE == "system":
        private_home(spawner)


c.Spawner.pre_spawn_hook = before_spawn

if MODE == "system":
    c.JupyterHub.spawner_class = "localprocess"
    c.Spawner.notebook_dir = "~"
elif MODE == "simple":
    c.JupyterHub.spawner_class = "simple"
    c.SimpleLocalProcessSpawner.home_dir_template = f"{env['CLASSROOM_HOMES']}/{{username}}"
    c.Spawner.notebook_dir = f"{env['CLASSROOM_HOMES']}/{{username}}"
    if os.getuid() == 0:
        c.Spawner.args.append("--allow-root")
else:
    raise ValueError(f"CLASSROOM_MODE must be system or simple, not {MODE!r}")

# --- the test driver ----------------------------------------------------------------------------------
c.JupyterHub.services = [{"name": "classroom-test", "api_token": env["CLASSROOM_SERVICE_TOKEN"]}]
c.JupyterHub.load_roles = [
    {
        "name": "classroom-test",
        "services": ["classroom-test"],
        "scopes": ["admin:users", "admin:servers", "tokens", "access:servers", "read:users:activity"],
    }
]

# --- idle culler: same as deploy/, with the timeout the test asks for -----------------------------------
cull = int(env.get("CLASSROOM_CULL_TIMEOUT", "0"))
if cull:
    c.JupyterHub.services.append({
        "name": "idle-culler",
        "command": [sys.executable, "-m", "jupyterhub_idle_culler", f"--timeout={cull}",
                    f"--cull-every={max(5, min(cull // 2, 600))}"],
    })
    c.JupyterHub.load_roles.append({
        "name": "idle-culler",
        "services": ["idle-culler"],
        "scopes": ["list:users", "read:users:activity", "read:servers", "delete:servers"],
    })

# --- the live class view: same as deploy/ (course/classview/; deploy/README.md) -----------------------------
# A managed service: the hub starts it (and starts it again if it dies) with its own API token; its database
# sits with the hub's state. Students' kernels send each attempt to it with their server's token, which
# therefore carries the service's access scope; members of "instructors" (and admins) see the class view.
CLASSVIEW = f"http://127.0.0.1:{env['CLASSROOM_CLASSVIEW_PORT']}"
c.JupyterHub.services.append({
    "name": "classview",
    "url": CLASSVIEW,
    "oauth_no_confirm": True,
    "command": [sys.executable, "-m", "course.classview", "--db", f"{STATE}/classview.sqlite",
                "--group", "instructors", "--poll", "2"],
})
c.JupyterHub.load_roles.append({"name": "user", "scopes": ["self", "access:services!service=classview"]})
c.Spawner.server_token_scopes = ["users:activity!user", "access:servers!server", "access:services!service=classview"]
c.Spawner.environment["COURSE_CLASSVIEW_URL"] = f"{CLASSVIEW}/services/classview/"
if env.get("CLASSROOM_INSTRUCTOR"):
    c.JupyterHub.load_groups = {"instructors": {"users": [env["CLASSROOM_INSTRUCTOR"]]}}

c.JupyterHub.log_level = "INFO"

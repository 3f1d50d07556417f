# The Littlest JupyterHub: the module's additions to the hub's configuration.
# deploy/tljh/install.sh copies this file to /opt/tljh/config/jupyterhub_config.d/ and fills in REPO;
# `sudo tljh-config reload` applies it. The same choices are tested by `make classroom`
# (tests/classroom/jupyterhub_config.py) on a real local hub.
import os
import pwd
import subprocess

c = get_config()  # noqa: F821 - provided by JupyterHub

#: The public git address of the module that students pull (set by install.sh).
REPO = "https://github.com/OWNER/REPO"
BRANCH = "main"
USER_PYTHON = "/opt/tljh/user/bin/python"


def _default_url():
    """Logging in at the hub's front page pulls the module (nbgitpuller) into ~/kg-russia-module, or updates
    it, and opens notebooks/00_start_here.ipynb: the same as the link `python -m course hub-link` prints."""
    try:
        return subprocess.check_output([USER_PYTHON, "-m", "course", "hub-link", "--default-url", "--repo", REPO,
                                        "--branch", BRANCH], text=True, cwd="/", timeout=60).strip()
    except (OSError, subprocess.SubprocessError):
        return "/lab"  # the module is not installed in the user environment yet: plain JupyterLab


c.Spawner.default_url = _default_url()


def private_home(spawner):
    """A student's home, and so their quiz progress (~/.local/share/kg-russia-module/progress.json), is
    theirs alone. TLJH makes homes 0750 with a group of their own; this makes sure no other student can
    read them even if the group or the system's defaults change."""
    try:
        entry = pwd.getpwnam(f"jupyter-{spawner.user.name}")  # TLJH's Unix name for a hub user
    except KeyError:
        return  # first login: TLJH creates the account (and its private home) itself
    if os.path.isdir(entry.pw_dir) and os.stat(entry.pw_dir).st_uid == entry.pw_uid:
        os.chmod(entry.pw_dir, 0o700)


c.Spawner.pre_spawn_hook = private_home

# A restarted hub (`tljh-config reload`) keeps the students' servers and kernels running (TLJH's default).
c.JupyterHub.cleanup_servers = False

# --- The live class view (course/classview/; deploy/README.md, "The live class view") ----------------------
# A JupyterHub managed service: the hub starts it (and starts it again if it stops), and the proxy serves it
# at /services/classview/. Students' kernels send each attempt to it with their own server's token; the
# hub's admins and the members of the "instructors" group see the class. install.sh sets INSTRUCTORS and
# makes the service's Unix account and folder. Tested by `make classroom` (tests/classroom/jupyterhub_config.py).
INSTRUCTORS = []  # hub user names in the "instructors" group (set by install.sh); admins see the view anyway
CLASSVIEW_PORT = 10101
CLASSVIEW_USER = "kg-classview"  # a system account of its own: the service does not run as root
CLASSVIEW_DB = "/var/lib/kg-russia-module-classview/classview.sqlite"

try:
    pwd.getpwnam(CLASSVIEW_USER)
    _classview = os.path.isdir(os.path.dirname(CLASSVIEW_DB))
except KeyError:
    _classview = False  # install.sh has not run yet: no class view

if _classview:
    c.JupyterHub.services.append({
        "name": "classview",
        "url": f"http://127.0.0.1:{CLASSVIEW_PORT}",
        "user": CLASSVIEW_USER,
        "cwd": os.path.dirname(CLASSVIEW_DB),
        "oauth_no_confirm": True,
        "command": [USER_PYTHON, "-m", "course.classview", "--db", CLASSVIEW_DB, "--group", "instructors"],
    })
    # every user may reach the service (it decides what each may see), and so may the token in their kernels
    c.JupyterHub.load_roles.append({"name": "user", "scopes": ["self", "access:services!service=classview"]})
    c.Spawner.server_token_scopes = ["users:activity!user", "access:servers!server",
                                     "access:services!service=classview"]
    c.Spawner.environment.update({"COURSE_CLASSVIEW_URL": f"http://127.0.0.1:{CLASSVIEW_PORT}/services/classview/"})
    c.JupyterHub.load_groups = {"instructors": {"users": INSTRUCTORS}}

# Settings for every student's kernel (docs/instructor-guide.md, "Settings for a class"); new servers get them:
# c.Spawner.environment.update({"COURSE_LANG": "ru", "COURSE_VARIANTS": "off", "COURSE_REVEAL": "off"})

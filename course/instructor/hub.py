"""The one link students click on a JupyterHub (nbgitpuller): it pulls the class's repository into
``~/kg-russia-module`` and opens the first notebook. See deploy/README.md for the whole recipe.

The repository must be an address the hub's servers can reach (https://, git://, ssh, or file:// on the hub's
own server): a path on the instructor's computer is refused. Linking the instructor's own source (the
repository this copy was cloned from, when this copy is not a student edition) gives a warning: students
would get the instructor's copy instead of a student edition made with ``python -m course release``.
"""

from __future__ import annotations

import configparser
import re
from pathlib import Path
from urllib.parse import quote, urlsplit

#: The folder nbgitpuller creates in each student's home (its ``targetpath``): the module's name.
HUB_FOLDER = "kg-russia-module"
#: The notebook the link opens.
HUB_NOTEBOOK = "notebooks/00_start_here.ipynb"

_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*://")
_SCP = re.compile(r"^[\w.-]+@([\w.-]+):(?!//)(.+)$")  # git@github.com:owner/repo.git


def _hub_base(hub: str) -> str:
    """``https://hub.example.edu`` from what an instructor may paste (a trailing slash, ``/hub/home``)."""
    hub = hub.strip()
    parts = urlsplit(hub)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise ValueError(f"--hub must be the hub's address, like https://hub.example.edu (got {hub!r})")
    path = parts.path
    cut = (path + "/").find("/hub/")  # https://x/hub/home, https://x/base/hub/login -> the part before /hub
    if cut >= 0:
        path = path[:cut]
    return f"{parts.scheme}://{parts.netloc}{path.rstrip('/')}"


def check_repo(repo: str) -> str | None:
    """Refuse (ValueError) a repository that is a path on this computer; return a note for a file:// address."""
    repo = repo.strip()
    if not repo:
        raise ValueError("--repo must be the git address students pull from")
    if _SCHEME.match(repo):
        if repo.lower().startswith("file://"):
            return (f"note: {repo} is a folder on the hub's own server; the students' servers must be able to "
                    "read it there")
        return None
    if _SCP.match(repo):
        return None
    raise ValueError(f"--repo {repo!r} is a path on this computer, which the students' servers cannot reach. "
                     "Push the student edition to a repository they can reach and give its address, e.g. "
                     "--repo https://github.com/OWNER/REPO (or file:///path for a folder on the hub's server)")


def _pull_query(repo: str, branch: str, notebook: str, folder: str) -> str:
    check_repo(repo)
    if not branch.strip():
        raise ValueError("--branch must not be empty")
    q = lambda value: quote(value, safe="")  # noqa: E731 - like JavaScript's encodeURIComponent
    return (f"repo={q(repo.strip())}&urlpath={q(f'lab/tree/{folder}/{notebook}')}"
            f"&branch={q(branch.strip())}&targetpath={q(folder)}")


def hub_link(hub: str, repo: str, branch: str = "main", notebook: str = HUB_NOTEBOOK,
             folder: str = HUB_FOLDER) -> str:
    """The nbgitpuller link that pulls ``repo`` into ``~/<folder>`` and opens ``notebook`` in JupyterLab."""
    return f"{_hub_base(hub)}/hub/user-redirect/git-pull?{_pull_query(repo, branch, notebook, folder)}"


def hub_default_url(repo: str, branch: str = "main", notebook: str = HUB_NOTEBOOK, folder: str = HUB_FOLDER) -> str:
    """The same pull as a server-relative URL, for the hub's default URL (``c.Spawner.default_url``,
    Z2JH's ``singleuser.defaultUrl``): logging in at the hub's front page pulls the module and opens it."""
    return f"/git-pull?{_pull_query(repo, branch, notebook, folder)}"


def _copies() -> list[Path]:
    from ..paths import REPO, checkout_root

    return [root for root in (checkout_root(), REPO) if root is not None]


def _origin_of(root: Path) -> str | None:
    if not (root / ".git" / "config").is_file():
        return None
    config = configparser.ConfigParser(strict=False, interpolation=None)
    try:
        config.read(root / ".git" / "config", encoding="utf-8")
        url = config.get('remote "origin"', "url", fallback="").strip()
    except (configparser.Error, OSError, UnicodeDecodeError):
        return None
    scp = _SCP.match(url)
    if scp:
        url = f"https://{scp.group(1)}/{scp.group(2)}"
    return url or None


def origin_url() -> str | None:
    """The ``origin`` remote of the copy this command runs in (read from .git/config), as an https URL."""
    for root in _copies():
        url = _origin_of(root)
        if url:
            return url
    return None


def _same_repo(a: str, b: str) -> bool:
    def norm(url: str) -> str:
        scp = _SCP.match(url.strip())
        if scp:
            url = f"https://{scp.group(1)}/{scp.group(2)}"
        parts = urlsplit(url.strip())
        path = parts.path.rstrip("/").removesuffix(".git").rstrip("/")
        return f"{parts.netloc.lower().rpartition('@')[2]}{path}" if parts.netloc else url.strip().rstrip("/")

    return norm(a) == norm(b)


def source_warning(repo: str) -> str | None:
    """A warning when ``repo`` is where this instructor's copy came from, and this copy is not a student
    edition: the link would hand students the instructor's source, not an edition made for them."""
    from .editions import EDITION_MARKER

    for root in _copies():
        origin = _origin_of(root)
        if origin and _same_repo(origin, repo) and not (root / EDITION_MARKER).is_file():
            return (f"warning: {repo} is the repository of your own copy of the module ({root}), not a student "
                    "edition. Students would get your source, its history and its tests. Make the edition with "
                    "`python -m course release DIR` (or --branch), push it to the class's repository, and link "
                    "that (deploy/README.md, 'Publishing to a class').")
    return None

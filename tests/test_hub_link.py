"""`python -m course hub-link`: the one link students click on a JupyterHub, in its exact form; and the
deployment files that must agree with it (deploy/, binder/, the README's Binder link)."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
import yaml

from course.__main__ import main
from course.instructor.editions import EDITION_MARKER
from course.instructor.hub import hub_default_url, hub_link

REPO = Path(__file__).resolve().parent.parent
GH = "https://github.com/example/kg-russia-module"
QUERY = ("repo=https%3A%2F%2Fgithub.com%2Fexample%2Fkg-russia-module"
         "&urlpath=lab%2Ftree%2Fkg-russia-module%2Fnotebooks%2F00_start_here.ipynb"
         "&branch=main&targetpath=kg-russia-module")


def test_the_link_has_its_exact_form():
    assert hub_link("https://hub.example.edu", GH) == f"https://hub.example.edu/hub/user-redirect/git-pull?{QUERY}"


@pytest.mark.parametrize("hub", [
    "https://hub.example.edu/", "https://hub.example.edu/hub", "https://hub.example.edu/hub/",
    "https://hub.example.edu/hub/home", " https://hub.example.edu/hub/login?next=%2Fhub%2F ",
])
def test_what_an_instructor_pastes_as_the_hub_address_is_tidied(hub):
    assert hub_link(hub, GH) == f"https://hub.example.edu/hub/user-redirect/git-pull?{QUERY}"


def test_a_hub_under_a_base_path_keeps_it():
    link = hub_link("https://example.edu/jupyter/hub/home", GH)
    assert link == f"https://example.edu/jupyter/hub/user-redirect/git-pull?{QUERY}"


def test_branch_and_repository_are_encoded():
    link = hub_link("http://127.0.0.1:8000", "file:///srv/repos/module.git", branch="fall-2026/week 1")
    q = parse_qs(urlsplit(link).query)
    assert q == {"repo": ["file:///srv/repos/module.git"], "branch": ["fall-2026/week 1"],
                 "urlpath": ["lab/tree/kg-russia-module/notebooks/00_start_here.ipynb"],
                 "targetpath": ["kg-russia-module"]}
    assert "&branch=fall-2026%2Fweek%201&" in link


def test_the_default_url_is_the_same_pull_relative_to_the_student_s_server():
    assert hub_default_url(GH) == f"/git-pull?{QUERY}"


@pytest.mark.parametrize("hub", ["hub.example.edu", "ftp://hub.example.edu", "https://", ""])
def test_a_hub_address_that_is_not_a_web_address_is_refused(hub):
    with pytest.raises(ValueError, match="--hub"):
        hub_link(hub, GH)


def test_the_command_prints_the_link_and_nothing_else(capsys):
    assert main(["hub-link", "--hub", "https://hub.example.edu", "--repo", GH, "--branch", "main"]) == 0
    out = capsys.readouterr()
    assert out.out == f"https://hub.example.edu/hub/user-redirect/git-pull?{QUERY}\n"
    assert out.err == ""


def test_the_command_runs_as_a_module():
    done = subprocess.run([sys.executable, "-m", "course", "hub-link", "--hub", "https://hub.example.edu",
                           "--repo", GH], capture_output=True, text=True, cwd=REPO, timeout=60)
    assert done.returncode == 0, done.stderr
    assert done.stdout == f"https://hub.example.edu/hub/user-redirect/git-pull?{QUERY}\n"


def test_the_command_prints_the_default_url(capsys):
    assert main(["hub-link", "--default-url", "--repo", GH]) == 0
    assert capsys.readouterr().out == f"/git-pull?{QUERY}\n"


@pytest.mark.parametrize("args", [["--hub", "nonsense", "--repo", GH], ["--repo", GH],
                                  ["--hub", "https://h.example", "--repo", GH, "--branch", " "]])
def test_bad_arguments_exit_2_with_a_message(capsys, args):
    assert main(["hub-link", *args]) == 2
    err = capsys.readouterr()
    assert err.out == ""
    assert err.err.strip()


def make_copy(folder: Path, origin: str, edition: bool = False) -> Path:
    """A copy of the module (what paths.checkout_root recognises) cloned from ``origin``."""
    (folder / "course").mkdir(parents=True)
    (folder / "course" / "__init__.py").write_text("")
    (folder / "data").mkdir()
    (folder / "data" / "datapackage.json").write_text("{}")
    (folder / ".git").mkdir()
    (folder / ".git" / "config").write_text(f'[core]\n\tbare = false\n[remote "origin"]\n\turl = {origin}\n'
                                            '\tfetch = +refs/heads/*:refs/remotes/origin/*\n')
    if edition:
        (folder / EDITION_MARKER).write_text('{"edition": "student"}')
    return folder


@pytest.mark.parametrize("origin, expected", [
    ("https://github.com/example/kg-russia-module.git", "https://github.com/example/kg-russia-module.git"),
    ("git@github.com:example/kg-russia-module.git", "https://github.com/example/kg-russia-module.git"),
])
def test_without_repo_the_origin_of_a_student_edition_is_used(monkeypatch, tmp_path, capsys, origin, expected):
    monkeypatch.chdir(make_copy(tmp_path, origin, edition=True))
    assert main(["hub-link", "--hub", "https://hub.example.edu"]) == 0
    out = capsys.readouterr()
    assert parse_qs(urlsplit(out.out.strip()).query)["repo"] == [expected]
    assert "origin" in out.err
    assert "warning" not in out.err


@pytest.mark.parametrize("repo", ["git@github.com:example/kg-russia-module.git", GH, GH + ".git", GH + "/"])
def test_linking_the_instructor_s_own_source_gives_a_warning(monkeypatch, tmp_path, capsys, repo):
    monkeypatch.chdir(make_copy(tmp_path, "git@github.com:example/kg-russia-module.git"))
    assert main(["hub-link", "--hub", "https://hub.example.edu", "--repo", repo]) == 0
    out = capsys.readouterr()
    assert out.out.startswith("https://hub.example.edu/hub/user-redirect/git-pull?")
    assert "warning" in out.err
    assert "not a student edition" in out.err
    assert "python -m course release" in out.err


def test_another_repository_gives_no_warning(monkeypatch, tmp_path, capsys):
    monkeypatch.chdir(make_copy(tmp_path, GH))
    assert main(["hub-link", "--hub", "https://hub.example.edu", "--repo", GH + "-class-2026"]) == 0
    assert capsys.readouterr().err == ""


@pytest.mark.parametrize("repo", ["/home/me/kg-russia-module", "../student-edition", "~/class", "C:\\Users\\me\\x",
                                  "kg-russia-module"])
def test_a_path_on_this_computer_is_refused(capsys, repo):
    assert main(["hub-link", "--hub", "https://hub.example.edu", "--repo", repo]) == 2
    err = capsys.readouterr()
    assert err.out == ""
    assert "path on this computer" in err.err
    assert "https://" in err.err


def test_a_local_origin_is_refused_too(monkeypatch, tmp_path, capsys):
    monkeypatch.chdir(make_copy(tmp_path, "/home/me/source-of-the-module"))
    assert main(["hub-link", "--hub", "https://hub.example.edu"]) == 2
    assert "path on this computer" in capsys.readouterr().err


def test_a_file_url_on_the_hub_s_server_is_accepted_with_a_note(capsys):
    assert main(["hub-link", "--hub", "https://hub.example.edu", "--repo", "file:///srv/class.git"]) == 0
    out = capsys.readouterr()
    assert "repo=file%3A%2F%2F%2Fsrv%2Fclass.git" in out.out
    assert "hub's own server" in out.err


def test_without_repo_and_without_an_origin_the_command_says_what_to_do(monkeypatch, tmp_path, capsys):
    import course.instructor.hub as hub

    monkeypatch.setattr(hub, "origin_url", lambda: None)
    assert main(["hub-link", "--hub", "https://hub.example.edu"]) == 2
    assert "--repo" in capsys.readouterr().err


# --- the deployment files agree with the link ------------------------------------------------------------------


def test_the_z2jh_config_is_sized_culled_and_opens_the_module():
    cfg = yaml.safe_load((REPO / "deploy" / "z2jh" / "config.yaml").read_text(encoding="utf-8"))
    single = cfg["singleuser"]
    assert single["image"]["name"]
    assert str(single["image"]["tag"]) not in ("", "latest")
    mem = single["memory"]
    assert re.fullmatch(r"\d+[MG]", mem["guarantee"])
    assert re.fullmatch(r"\d+[MG]", mem["limit"])
    to_mb = lambda v: int(v[:-1]) * (1024 if v.endswith("G") else 1)  # noqa: E731
    assert to_mb(mem["guarantee"]) <= to_mb(mem["limit"])
    assert cfg["cull"]["enabled"] is True
    assert cfg["cull"]["timeout"] > 0
    url = single["defaultUrl"]
    assert url.startswith("/git-pull?")
    assert url.endswith(
        "&urlpath=lab%2Ftree%2Fkg-russia-module%2Fnotebooks%2F00_start_here.ipynb&branch=main"
        "&targetpath=kg-russia-module")


def test_the_tljh_config_sets_the_default_url_private_homes_and_keeps_servers():
    from traitlets.config import Config

    text = (REPO / "deploy" / "tljh" / "jupyterhub_config.d" / "kg-russia-module.py").read_text(encoding="utf-8")
    text = text.replace('USER_PYTHON = "/opt/tljh/user/bin/python"', f"USER_PYTHON = {sys.executable!r}")
    text = text.replace('REPO = "https://github.com/OWNER/REPO"', f"REPO = {GH!r}")  # as install.sh does
    c = Config()
    exec(compile(text, "kg-russia-module.py", "exec"), {"get_config": lambda: c})
    assert c.Spawner.default_url == hub_default_url(GH)
    assert c.JupyterHub.cleanup_servers is False
    assert callable(c.Spawner.pre_spawn_hook)
    assert "0o700" in text


def test_binder_installs_every_dependency_of_the_package():
    tomllib = pytest.importorskip("tomllib")  # Python 3.11+
    deps = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["project"]["dependencies"]
    names = {re.split(r"[<>=!~; \[]", d, maxsplit=1)[0].lower() for d in deps}
    lines = [line.split("#")[0].strip() for line in (REPO / "binder" / "requirements.txt").read_text().splitlines()]
    listed = {re.split(r"[<>=!~; \[]", line, maxsplit=1)[0].lower() for line in lines if line and line[0] != "-"}
    assert names <= listed, f"binder/requirements.txt misses {sorted(names - listed)}"
    assert "-c ../constraints.txt" in lines
    post = (REPO / "binder" / "postBuild").read_text()
    assert "pip install" in post
    assert " ." in post


def test_the_readme_launches_binder_on_the_first_notebook():
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    quick = readme.split("## Quick start", 1)[1].split("\n## ", 1)[0]
    links = re.findall(r"https://mybinder\.org/v2/gh/[^)\s]+", quick)
    assert links, "no Binder link in the Quick start"
    assert all(link.endswith("/main?urlpath=lab/tree/notebooks/00_start_here.ipynb") for link in links)
    assert "## Classroom deployment" in readme
    assert "python -m course hub-link" in readme

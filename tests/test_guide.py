"""The instructor guide and deploy/README.md say what the tools do: every `python -m course` subcommand they name
exists, each class setting is explained with where to set it on TLJH and Zero to JupyterHub, and the publishing
recipe has its five steps."""

from __future__ import annotations

import re
from pathlib import Path

from course.__main__ import build_parser

ROOT = Path(__file__).resolve().parent.parent
GUIDE = (ROOT / "docs" / "instructor-guide.md").read_text(encoding="utf-8")
DEPLOY = (ROOT / "deploy" / "README.md").read_text(encoding="utf-8")


def subcommands() -> set[str]:
    import argparse

    parser = build_parser()
    return set(next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction)).choices)


def test_every_command_the_documents_name_exists():
    known = subcommands()
    named = set(re.findall(r"python -m course ([a-z][a-z-]*)", GUIDE + DEPLOY))
    assert {"release", "nbgrader-source", "gradebook", "hub-link", "handout", "export-progress"} <= named
    assert named <= known, f"not a subcommand: {sorted(named - known)}"


def test_each_class_setting_is_explained_with_where_to_set_it():
    settings = GUIDE.split("## Settings for a class", 1)[1].split("\n## ", 1)[0]
    for name in ("COURSE_LANG", "COURSE_VARIANTS", "COURSE_STUDENT", "COURSE_REVEAL"):
        assert f"`{name}`" in settings, name
    assert "c.Spawner.environment.update" in settings
    assert "tljh-config reload" in settings
    assert "extraEnv" in settings
    assert "helm upgrade" in settings
    tljh = (ROOT / "deploy" / "tljh" / "jupyterhub_config.d" / "kg-russia-module.py").read_text(encoding="utf-8")
    z2jh = (ROOT / "deploy" / "z2jh" / "config.yaml").read_text(encoding="utf-8")
    assert "COURSE_REVEAL" in tljh
    assert "extraEnv" in z2jh
    assert "COURSE_REVEAL" in z2jh


def test_the_guide_documents_narrow_commands_nbgrader_and_the_gradebook():
    assert "tools/execute_notebooks.py notebooks/" in GUIDE
    assert "-m pytest notebooks/" in GUIDE
    assert "make help" in GUIDE
    assert "make nbgrader" in GUIDE
    for step in ("nbgrader generate_assignment", "nbgrader autograde"):
        assert step in GUIDE
    for name in ("students.csv", "answers.csv", "items.csv", "--continue", "discrimination"):
        assert name in GUIDE


def test_the_deploy_recipe_has_every_step_in_order():
    recipe = DEPLOY.split("## Publishing to a class: the whole recipe", 1)[1].split("\n## ", 1)[0]
    steps = ["python -m course release", "git push", "python -m course hub-link", "Students click", "Update later"]
    positions = [recipe.index(step) for step in steps]
    assert positions == sorted(positions)

"""Tools for instructors, each a subcommand of ``python -m course`` (see ``python -m course --help``):

- ``editions``: the student edition (``release``: into a folder, an existing git checkout, or a branch) and the
  nbgrader source (``nbgrader-source``);
- ``handouts``: printable questions and answer keys (with the exercises' model solutions);
- ``export``: a student's progress export (the command and the Export button of notebook 06);
- ``gradebook``: collected exports combined: per student, per answer, and an item analysis per question;
- ``hub``: the nbgitpuller link students click on a JupyterHub.

Only the standard library is imported here; the Export button (``course.instructor.button``) loads anywidget.
"""

from __future__ import annotations


class InstructorError(Exception):
    """A problem with an instructor command's input; the message says what and where."""


from .editions import (  # noqa: E402 - InstructorError must exist before the submodules import it
    BEGIN,
    END,
    exercise_solutions,
    nbgrader_source,
    release,
    release_branch,
    release_notebook,
    strip_solutions,
)
from .export import EXPORT_FORMAT, EXPORT_VERSION, export_message, export_progress, student_name  # noqa: E402
from .gradebook import Gradebook, gradebook, item_analysis, write_gradebook  # noqa: E402
from .handouts import handout_markdown, handouts  # noqa: E402
from .hub import hub_default_url, hub_link  # noqa: E402

__all__ = ["BEGIN", "END", "EXPORT_FORMAT", "EXPORT_VERSION", "Gradebook", "InstructorError", "exercise_solutions",
           "export_message", "export_progress", "gradebook", "handout_markdown", "handouts", "hub_default_url",
           "hub_link", "item_analysis", "nbgrader_source", "release", "release_branch", "release_notebook",
           "strip_solutions", "student_name", "write_gradebook"]

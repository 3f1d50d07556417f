"""The live class view: each attempt a student makes reaches the instructor while the class is at work.

Three parts, each in its own module:

- ``sender``: runs in the student's kernel (standard library only). When ``$COURSE_CLASSVIEW_URL`` is set,
  ``course.quiz.progress`` hands it every attempt; it posts them in a background thread with the student's
  own JupyterHub API token. Attempts that could not be sent stay marked in the student's progress file and go
  out later. It never blocks or breaks a quiz.
- ``store``: the service's SQLite database (WAL) and what the class view shows: per question, per student,
  who is stuck, and the gradebook's long form for download.
- ``service``: a JupyterHub managed service (tornado, ``jupyterhub.services.auth.HubOAuth``):
  ``python -m course.classview``. Instructors (members of a configured group, and admins) see the class view;
  a student can post attempts as themselves and read their own record, nothing else.

Only ``service`` needs JupyterHub and tornado; importing this package does not load them.
"""

from __future__ import annotations

__all__ = ["ENV_URL", "SERVICE_NAME"]

#: Where the kernel sends attempts (the service's address, ending in ``/services/<name>/``).
ENV_URL = "COURSE_CLASSVIEW_URL"
#: The service's name in ``c.JupyterHub.services`` by default (its pages are at ``/services/classview/``).
SERVICE_NAME = "classview"

"""The class view as a JupyterHub managed service: ``python -m course.classview`` (see ``__main__``).

Who may do what (each request's user comes from the hub, through ``jupyterhub.services.auth.HubOAuth``: a
browser's OAuth cookie, or an ``Authorization: token ...`` header; never from the request's body):

=====================  ==================================================  =====================================
path (under prefix)    what                                                who
=====================  ==================================================  =====================================
``""`` (the page)      the class view                                      instructors; others get 403
``api/class``          the class view's data (JSON, polled by the page)    instructors
``gradebook.csv``      the gradebook's long form                           instructors
``attempts.csv``       every attempt                                       instructors
``api/attempts`` POST  a student's kernel sends attempts (as that student)  users (not services)
``api/me``             the caller's own attempts                           any user
=====================  ==================================================  =====================================

Instructors are the hub's admins and the members of the configured groups (``--group``, default
``instructors``). Every user also needs the hub's ``access:services!service=<name>`` scope (the deploy
configurations give it to the ``user`` role and to the servers' tokens).

Safety: bodies are JSON of at most ``MAX_BODY`` bytes and ``MAX_BATCH`` attempts, each validated
(``store.validate``); a token bucket per student (``rate`` requests a second, ``burst`` at once) answers 429
with Retry-After; a student's attempts are capped (``max_per_student``); cookie-authenticated requests other
than page loads need JupyterHub's XSRF token (HubOAuth checks it); the page escapes everything (tornado's
template autoescape, and the browser code sets text only, never HTML); a strict Content-Security-Policy.
"""

from __future__ import annotations

import json
import logging
import os
import re
import secrets
import time
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from jupyterhub.services.auth import HubOAuth, HubOAuthCallbackHandler, HubOAuthenticated, UserNotAllowed
from jupyterhub.utils import url_path_join
from tornado import web

from .store import ATTEMPT_FIELDS, GRADEBOOK_FIELDS, InvalidAttempt, Store, to_csv, validate

log = logging.getLogger("course.classview")
HERE = Path(__file__).resolve().parent
MAX_BODY = 256 * 1024  # bytes in one POST
MAX_BATCH = 100  # attempts in one POST
CSP = ("default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; connect-src 'self'; "
       "base-uri 'none'; form-action 'self'; frame-ancestors 'none'")


@dataclass
class Context:
    """What every handler shares."""

    store: Store
    hub_auth: HubOAuth
    groups: frozenset[str] = frozenset({"instructors"})
    questions: dict[tuple[str, str], dict[str, Any]] = field(default_factory=dict)
    rate: float = 5.0  # requests a second per student, on average
    burst: float = 20.0  # requests at once
    max_per_student: int = 20_000
    poll_s: int = 5
    service_name: str = "classview"
    _buckets: dict[str, tuple[float, float]] = field(default_factory=dict)
    _encoded: tuple[Any, bytes] = (None, b"")

    def allow(self, student: str, now: float | None = None) -> float:
        """Take one request from the student's bucket: 0 if allowed, else seconds to wait."""
        now = time.monotonic() if now is None else now
        tokens, last = self._buckets.get(student, (self.burst, now))
        tokens = min(self.burst, tokens + (now - last) * self.rate)
        if tokens < 1:
            self._buckets[student] = (tokens, now)
            return (1 - tokens) / self.rate
        self._buckets[student] = (tokens - 1, now)
        return 0.0

    def is_instructor(self, user: dict[str, Any] | None) -> bool:
        if not user or user.get("kind", "user") != "user":
            return False
        return bool(user.get("admin")) or bool(self.groups & set(user.get("groups") or ()))


class Base(HubOAuthenticated, web.RequestHandler):
    api = False

    def initialize(self, ctx: Context) -> None:
        self.ctx = ctx
        self.hub_auth = ctx.hub_auth

    def set_default_headers(self) -> None:
        self.set_header("Content-Security-Policy", CSP)
        self.set_header("X-Content-Type-Options", "nosniff")
        self.set_header("Referrer-Policy", "same-origin")
        self.set_header("Cache-Control", "no-store")

    async def prepare(self) -> None:
        """Ask the hub who this is, without blocking the server (HubAuth caches the answer for a while)."""
        model = await self.hub_auth.get_user(self, sync=False)
        if model:
            try:
                model = self.check_hub_user(model)
            except UserNotAllowed:  # identified, but without this service's access scope
                raise web.HTTPError(403, "Your account may not use the class view.") from None
        self._hub_auth_user_cache = model or None

    def get_login_url(self) -> str:
        if self.api:  # an API call never redirects to a login page
            raise web.HTTPError(403, "Log in through the hub first.")
        return super().get_login_url()

    def instructor(self) -> dict[str, Any]:
        if not self.ctx.is_instructor(self.current_user):
            raise web.HTTPError(403, "Only instructors see the class view.")
        return self.current_user

    def write_error(self, status_code: int, **kwargs: Any) -> None:
        reason = self._reason
        exc = kwargs.get("exc_info", (None, None, None))[1]
        if isinstance(exc, web.HTTPError) and exc.log_message:
            reason = exc.log_message
        if getattr(self, "retry_after", None):
            self.set_header("Retry-After", str(self.retry_after))
        if self.api:
            self.set_header("Content-Type", "application/json")
            self.finish(json.dumps({"error": reason, "status": status_code}))
        else:
            self.set_header("Content-Type", "text/html; charset=utf-8")
            self.finish(self.render_string("error.html", status=status_code, reason=reason))

    def get_template_path(self) -> str:
        return str(HERE / "templates")


class PageHandler(Base):
    @web.authenticated
    def get(self) -> None:
        user = self.instructor()
        projector = self.get_argument("projector", "0") == "1"
        token = self.xsrf_token
        self.render("page.html", user=user["name"], xsrf=token.decode() if isinstance(token, bytes) else token,
                    poll_s=self.ctx.poll_s, projector=projector, static=self.static_url,
                    groups=", ".join(sorted(self.ctx.groups)))


class ClassDataHandler(Base):
    api = True

    @web.authenticated
    def get(self) -> None:
        self.instructor()
        data = self.ctx.store.summary(self.ctx.questions)
        if self.ctx._encoded[0] is not data:  # the same summary (no new attempt): the same bytes
            self.ctx._encoded = (data, json.dumps(data, ensure_ascii=False).encode("utf-8"))
        self.set_header("Content-Type", "application/json; charset=utf-8")
        self.finish(self.ctx._encoded[1])


class CSVHandler(Base):
    def initialize(self, ctx: Context, kind: str) -> None:
        super().initialize(ctx)
        self.kind = kind

    @web.authenticated
    def get(self) -> None:
        self.instructor()
        if self.kind == "gradebook":
            text = to_csv(self.ctx.store.gradebook_rows(), GRADEBOOK_FIELDS)
        else:
            text = to_csv(self.ctx.store.attempt_rows(), ATTEMPT_FIELDS)
        day = datetime.now(timezone.utc).strftime("%Y-%m-%d")
        self.set_header("Content-Type", "text/csv; charset=utf-8")
        self.set_header("Content-Disposition", f'attachment; filename="classview-{self.kind}-{day}.csv"')
        self.finish(text.encode("utf-8"))


class MeHandler(Base):
    api = True

    @web.authenticated
    def get(self) -> None:
        user = self.current_user
        if user.get("kind", "user") != "user":
            raise web.HTTPError(403, "Only a user has a record here.")
        self.finish({"student": user["name"], "attempts": self.ctx.store.student_record(user["name"])})


class AttemptsHandler(Base):
    api = True

    @web.authenticated
    def post(self) -> None:
        user = self.current_user
        if user.get("kind", "user") != "user":
            raise web.HTTPError(403, "Only a student's own token can send attempts.")
        student = user["name"]  # from the hub: never from the body
        wait = self.ctx.allow(student)
        if wait:
            self.retry_after = max(1, round(wait + 0.5))  # set in write_error: send_error clears headers
            raise web.HTTPError(429, "Too many requests: wait a moment.")
        if len(self.request.body) > MAX_BODY:
            raise web.HTTPError(413, f"A request may carry at most {MAX_BODY} bytes.")
        if not self.request.headers.get("Content-Type", "").startswith("application/json"):
            raise web.HTTPError(415, "Send JSON (Content-Type: application/json).")
        try:
            body = json.loads(self.request.body)
        except (ValueError, RecursionError):
            raise web.HTTPError(400, "The body is not valid JSON.") from None
        items = body.get("attempts") if isinstance(body, dict) else None
        if not isinstance(items, list) or not 1 <= len(items) <= MAX_BATCH:
            raise web.HTTPError(400, f'Send {{"attempts": [...]}} with 1 to {MAX_BATCH} attempts.')
        if self.ctx.store.count(student) + len(items) > self.ctx.max_per_student:
            raise web.HTTPError(413, f"This class view keeps at most {self.ctx.max_per_student} attempts a student.")
        good, rejected = [], []
        for item in items:
            try:
                good.append(validate(item))
            except InvalidAttempt as err:
                uid = item.get("id") if isinstance(item, dict) and isinstance(item.get("id"), str) else None
                rejected.append({"id": uid if uid and len(uid) <= 64 else None, "error": str(err)})
        new, duplicates = self.ctx.store.add(student, good) if good else (0, 0)
        self.set_header("Content-Type", "application/json")
        self.finish({"student": student, "stored": [g["uid"] for g in good], "new": new, "duplicates": duplicates,
                     "rejected": rejected})


class Unavailable(web.RequestHandler):
    """Every request, when the service could not start properly: 503 and the reason (kernels try again later)."""

    def initialize(self, reason: str) -> None:
        self.reason = reason

    def prepare(self) -> None:
        self.set_status(503)
        self.set_header("Retry-After", "60")
        self.finish({"error": self.reason, "status": 503})


class CallbackHandler(HubOAuthCallbackHandler):
    """The end of the hub's OAuth login: sets the service's cookie, back to the page."""

    def initialize(self, ctx: Context) -> None:
        self.hub_auth = ctx.hub_auth


def plain(markdown: str) -> str:
    """A question's prompt as one paragraph of plain text: Markdown's emphasis and code marks dropped."""
    text = re.sub(r"(\*\*|__|`)", "", markdown)
    text = re.sub(r"(?<![\w*])\*(?!\s)([^*]+?)\*(?!\w)", r"\1", text)
    return " ".join(text.split())


def load_questions(directory: Path | None = None) -> dict[tuple[str, str], dict[str, Any]]:
    """(notebook, question id) -> the question's text, number, kind and order, from the question banks (the
    installed copy, or ``$COURSE_QUIZZES_DIR``). A bank that does not load is left out, with a warning."""
    from ..quiz.bank import BankError, bank_paths, load_bank

    out: dict[tuple[str, str], dict[str, Any]] = {}
    for path in bank_paths(directory):
        try:
            bank = load_bank(path)
        except (BankError, OSError, ValueError) as err:
            log.warning("question bank %s left out of the class view: %s", path, err)
            continue
        for i, q in enumerate(bank.questions):
            out[(bank.notebook, q.id)] = {"text": plain(q.prompt), "label": q.label, "kind": q.kind, "order": i,
                                          "title": bank.title}
    return out


def _log_request(handler: web.RequestHandler) -> None:
    """Errors and slow requests only: hundreds of students' attempts a minute would drown the hub's log."""
    status = handler.get_status()
    ms = 1000.0 * handler.request.request_time()
    if status >= 500:
        log.error("%d %s %s %.1fms", status, handler.request.method, handler.request.path, ms)
    elif status >= 400 or ms > 500:
        log.warning("%d %s %s %.1fms", status, handler.request.method, handler.request.path, ms)


def make_app(ctx: Context, prefix: str, cookie_secret: bytes) -> web.Application:
    prefix = "/" + prefix.strip("/") + "/" if prefix.strip("/") else "/"
    routes = [
        (prefix, PageHandler, {"ctx": ctx}),
        (prefix.rstrip("/") or "/", web.RedirectHandler, {"url": prefix}),
        (url_path_join(prefix, "api/class"), ClassDataHandler, {"ctx": ctx}),
        (url_path_join(prefix, "api/me"), MeHandler, {"ctx": ctx}),
        (url_path_join(prefix, "api/attempts"), AttemptsHandler, {"ctx": ctx}),
        (url_path_join(prefix, "gradebook.csv"), CSVHandler, {"ctx": ctx, "kind": "gradebook"}),
        (url_path_join(prefix, "attempts.csv"), CSVHandler, {"ctx": ctx, "kind": "attempts"}),
        (url_path_join(prefix, "oauth_callback"), CallbackHandler, {"ctx": ctx}),
    ]
    return web.Application(
        routes,
        cookie_secret=cookie_secret,
        static_path=str(HERE / "static"),
        static_url_prefix=url_path_join(prefix, "static/"),
        template_path=str(HERE / "templates"),
        xsrf_cookies=False,  # HubOAuth checks JupyterHub's XSRF token itself (cookie-authenticated requests)
        log_function=_log_request,
        hub_auth=ctx.hub_auth,
    )


def cookie_secret(path: Path) -> bytes:
    """The secret that signs the login cookie, kept beside the database (mode 0600) so that a restarted service
    does not log every instructor out."""
    try:
        data = path.read_bytes()
        if len(data) >= 32:
            return data
    except FileNotFoundError:
        pass
    data = secrets.token_bytes(32)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "wb") as fh:
        fh.write(data)
    return data

"""A stand-in for the hub, for the class view's tests and benchmark only: it lives in tests/, not in the package.

It answers the one hub API call the service makes, ``GET /hub/api/user`` with ``Authorization: token ...``
(who owns this token, with its scopes and groups), from a table of made-up tokens. ``ServiceThread`` runs it
and the real class view service (``service.make_app``, ``HubOAuth``, the SQLite store) on 127.0.0.1 in a
thread of their own, so that a test or a load generator can talk HTTP to them as kernels and browsers do.
"""

from __future__ import annotations

import asyncio
import re
import secrets
import socket
import threading
from pathlib import Path
from typing import Any

from tornado import web

SERVICE = "classview"
ACCESS = f"access:services!service={SERVICE}"
PREFIX = f"/services/{SERVICE}/"


def user(name: str, *, groups: tuple[str, ...] = (), admin: bool = False, scopes: tuple[str, ...] = (ACCESS,),
         kind: str = "user") -> dict[str, Any]:
    """The model the hub's /api/user gives for a token (JupyterHub 5-6: name, groups, admin, scopes)."""
    return {"kind": kind, "name": name, "admin": admin, "groups": list(groups), "scopes": list(scopes),
            "session_id": None, "token_id": None}


class _Who(web.RequestHandler):
    def initialize(self, users: dict[str, dict[str, Any]], calls: list[str]) -> None:
        self.users, self.calls = users, calls

    def get(self) -> None:
        m = re.fullmatch(r"(?:token|bearer)\s+(\S+)", self.request.headers.get("Authorization", ""), re.I)
        model = self.users.get(m.group(1)) if m else None
        self.calls.append(m.group(1) if m else "")
        if model is None:
            raise web.HTTPError(403)
        self.finish(model)


def hub_app(users: dict[str, dict[str, Any]], calls: list[str] | None = None) -> web.Application:
    return web.Application([(r"/hub/api/user", _Who, {"users": users, "calls": [] if calls is None else calls})])


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def hub_auth(api_url: str, **extra: Any) -> Any:
    from jupyterhub.services.auth import HubOAuth

    return HubOAuth(api_url=api_url, api_token=secrets.token_hex(16), oauth_client_id=f"service-{SERVICE}",
                    base_url=PREFIX, hub_prefix="/hub/", access_scopes={ACCESS}, **extra)


class ServiceThread:
    """The fake hub and the real service on 127.0.0.1, in a thread: ``with ServiceThread(users, db) as s: ...``."""

    def __init__(self, users: dict[str, dict[str, Any]], db: Path | str, **context: Any):
        self.users, self.db, self.context = users, db, context
        self.hub_port, self.port = free_port(), free_port()
        self.url = f"http://127.0.0.1:{self.port}{PREFIX}"
        self.hub_calls: list[str] = []
        self._ready = threading.Event()
        self._error: BaseException | None = None
        self.ctx: Any = None
        self._loop: asyncio.AbstractEventLoop | None = None
        self._stop: asyncio.Event | None = None
        self.thread = threading.Thread(target=self._run, name="classview-test-service", daemon=True)

    def __enter__(self) -> ServiceThread:
        self.thread.start()
        self._ready.wait(30)
        if self._error is not None:
            raise RuntimeError("the class view service did not start") from self._error
        return self

    def __exit__(self, *exc: Any) -> None:
        self.stop()

    def stop(self) -> None:
        if self._loop is not None and self._stop is not None and self.thread.is_alive():
            self._loop.call_soon_threadsafe(self._stop.set)
            self.thread.join(30)

    def _run(self) -> None:
        try:
            asyncio.run(self._main())
        except BaseException as err:  # noqa: BLE001 - reported to the thread that waits for the start
            self._error = err
            self._ready.set()

    async def _main(self) -> None:
        from course.classview.service import Context, make_app
        from course.classview.store import Store

        self._loop = asyncio.get_running_loop()
        self._stop = asyncio.Event()
        hub = hub_app(self.users, self.hub_calls).listen(self.hub_port, "127.0.0.1")
        store = Store(self.db, stuck_after=self.context.pop("stuck_after", 3))
        self.ctx = Context(store=store, hub_auth=hub_auth(f"http://127.0.0.1:{self.hub_port}/hub/api"),
                           **self.context)
        server = make_app(self.ctx, PREFIX, secrets.token_bytes(32)).listen(self.port, "127.0.0.1")
        self._ready.set()
        await self._stop.wait()
        server.stop()
        hub.stop()
        store.close()


def main(argv: list[str] | None = None) -> None:
    """``python -m course.classview.fakehub PORT TOKENS.json``: serve /hub/api/user on 127.0.0.1:PORT for the
    tokens in the file ({token: user model}), until stopped. For the benchmark (bench/classview_bench.py)."""
    import json
    import signal
    import sys

    args = sys.argv[1:] if argv is None else argv
    if len(args) != 2:
        sys.exit(main.__doc__)
    users = json.loads(Path(args[1]).read_text())

    async def serve() -> None:
        server = hub_app(users).listen(int(args[0]), "127.0.0.1")
        stop = asyncio.Event()
        for sig in (signal.SIGTERM, signal.SIGINT):
            asyncio.get_running_loop().add_signal_handler(sig, stop.set)
        await stop.wait()
        server.stop()

    asyncio.run(serve())


if __name__ == "__main__":
    main()

"""Run the class view as a JupyterHub managed service:

    c.JupyterHub.services.append({
        "name": "classview", "url": "http://127.0.0.1:10101", "oauth_no_confirm": True,
        "command": [sys.executable, "-m", "course.classview", "--db", "/srv/classview/classview.sqlite"],
    })

JupyterHub starts it (and starts it again if it stops) with its address, prefix and API token in the
environment (JUPYTERHUB_SERVICE_URL, JUPYTERHUB_SERVICE_PREFIX, JUPYTERHUB_API_TOKEN ...). deploy/README.md
shows the whole configuration (roles, the students' servers' environment).
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import os
import signal
from pathlib import Path
from urllib.parse import urlparse


def parse(argv: list[str] | None = None) -> argparse.Namespace:
    env = os.environ
    p = argparse.ArgumentParser(prog="python -m course.classview", description=__doc__,
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--db", default=env.get("CLASSVIEW_DB", "classview.sqlite"),
                   help="the SQLite file (WAL) of the attempts (default $CLASSVIEW_DB or ./classview.sqlite)")
    p.add_argument("--group", action="append", default=None,
                   help="a hub group whose members see the class view (repeat for more; default $CLASSVIEW_GROUPS, "
                        "comma-separated, or 'instructors'); the hub's admins always do")
    p.add_argument("--stuck-after", type=int, default=int(env.get("CLASSVIEW_STUCK_AFTER", "3")),
                   help="tries at a graded question with none right that make a student 'stuck' (default 3)")
    p.add_argument("--poll", type=int, default=5, help="seconds between the page's updates (default 5)")
    p.add_argument("--rate", type=float, default=5.0, help="requests a second per student, on average (default 5)")
    p.add_argument("--burst", type=float, default=20.0, help="requests a student may send at once (default 20)")
    p.add_argument("--max-per-student", type=int, default=20_000, help="attempts kept per student (default 20000)")
    p.add_argument("--url", default=env.get("JUPYTERHUB_SERVICE_URL", "http://127.0.0.1:10101"),
                   help="where to listen (default $JUPYTERHUB_SERVICE_URL)")
    p.add_argument("--ip", default=env.get("CLASSVIEW_IP", ""),
                   help="the address to listen on, if not the host of --url (e.g. 0.0.0.0 in a hub's container)")
    p.add_argument("--prefix", default=env.get("JUPYTERHUB_SERVICE_PREFIX", "/services/classview/"),
                   help="the path the proxy forwards (default $JUPYTERHUB_SERVICE_PREFIX)")
    args = p.parse_args(argv)
    if args.group is None:
        args.group = [g.strip() for g in env.get("CLASSVIEW_GROUPS", "instructors").split(",") if g.strip()]
    if args.stuck_after < 1 or args.poll < 1 or args.rate <= 0 or args.burst < 1 or args.max_per_student < 1:
        p.error("--stuck-after, --poll, --burst and --max-per-student must be at least 1, --rate above 0")
    return args


async def serve(args: argparse.Namespace) -> None:
    """Listen at once (the hub stops itself if a managed service is not up in time), then load the banks. A
    database that cannot be opened does not stop the service (nor, so, the hub): every request gets 503 with
    the reason, and the students' kernels keep their attempts until it is fixed."""
    from jupyterhub.services.auth import HubOAuth
    from tornado import web

    from .service import Context, Unavailable, cookie_secret, load_questions, make_app
    from .store import Store

    log = logging.getLogger("course.classview")
    db = Path(args.db).expanduser().resolve()
    url = urlparse(args.url)
    try:
        store = Store(db, stuck_after=args.stuck_after)
        ctx = Context(store=store, hub_auth=HubOAuth(), groups=frozenset(args.group), rate=args.rate,
                      burst=args.burst, max_per_student=args.max_per_student, poll_s=args.poll,
                      service_name=os.environ.get("JUPYTERHUB_SERVICE_NAME", "classview"))
        app = make_app(ctx, args.prefix, cookie_secret(db.with_name(db.name + ".cookie_secret")))
    except Exception as err:  # noqa: BLE001 - said on every request and in the hub's log
        store = None
        reason = f"The class view cannot open its database {db}: {err}"
        log.critical(reason)
        app = web.Application([(r".*", Unavailable, {"reason": reason})])
    server = app.listen(url.port or 80, args.ip or url.hostname or "127.0.0.1", xheaders=True,
                        max_body_size=1024 * 1024)
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, stop.set)
    if store is not None:
        ctx.questions = await loop.run_in_executor(None, load_questions)
        log.info("class view on %s%s: %d attempts in %s (%s), %d questions known, instructors: admins and "
                 "group(s) %s", args.url.rstrip("/"), args.prefix, store.count(), db, store.journal_mode,
                 len(ctx.questions), ", ".join(sorted(ctx.groups)))
    await stop.wait()
    server.stop()
    if store is not None:
        store.close()


def main(argv: list[str] | None = None) -> None:
    logging.basicConfig(level=logging.WARNING, format="[%(levelname).1s %(asctime)s classview] %(message)s")
    logging.getLogger("course.classview").setLevel(logging.INFO)
    asyncio.run(serve(parse(argv)))


if __name__ == "__main__":
    main()

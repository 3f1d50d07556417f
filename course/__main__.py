"""Command line: ``python -m course check`` (and more subcommands as the module grows)."""

from __future__ import annotations

import argparse
import sys


def cmd_check(args: argparse.Namespace) -> int:
    """Validate every question bank, the notebooks' question labels and the data package; one line per bank.
    Exit 1 if anything is broken; cues that give a key away are warnings."""
    from pathlib import Path

    from .quiz.bank import bank_paths, banks_dir, check_all

    directory = Path(args.dir) if args.dir else banks_dir()
    if not bank_paths(directory):
        print(f"No question banks (NN_name.yaml) found in {directory}", file=sys.stderr)
        return 1
    from .quiz.cues import bank_cues

    banks, errors = check_all(directory)
    cues = 0
    for bank in banks:
        kinds = sorted({q.kind for q in bank.questions})
        print(f"ok     {bank.path.name}: {len(bank.questions)} questions ({', '.join(kinds)})")
        for cue in bank_cues(bank.questions):  # a warning: the instructor judges whether the cue is real
            print(f"WARN   {bank.path.name}: {cue}")
            cues += 1
    for err in errors:
        print(f"ERROR  {err}", file=sys.stderr)
    broken = len({err.path for err in errors})
    print(f"{len(banks)} bank(s) valid, {broken} with errors ({len(errors)} error(s)), {cues} warning(s) about cues "
          "to the key")
    if args.dir:  # a folder of banks only
        return 1 if errors else 0
    from .quiz.numbering import check_notebooks, notebooks_dir

    folder = notebooks_dir()
    notebooks = sorted(folder.glob("[0-9][0-9]_*.ipynb"))
    numbering = check_notebooks(notebooks, banks)
    for problem in numbering:
        print(f"ERROR  {problem}", file=sys.stderr)
    print(f"notebooks: {len(notebooks)} checked in {folder}, {len(numbering)} question label(s) out of step")
    from . import data

    problems = data.validate()
    for problem in problems:
        print(f"ERROR  {problem}", file=sys.stderr)
    print(f"data: {len(data.tables())} table(s) checked, {len(problems)} problem(s)")
    from . import alone
    from .lessons import LESSONS

    solo = alone.validate([lesson.stem for lesson in LESSONS])
    for problem in solo:
        print(f"ERROR  {problem}", file=sys.stderr)
    count = len(alone.activities()) if not solo else 0
    print(f"working alone: {count} solo activities checked, {len(solo)} problem(s)")
    return 1 if errors or problems or numbering or solo else 0


def cmd_progress(args: argparse.Namespace) -> int:
    from .quiz.progress import store

    s = store()
    if args.reset:
        backup = s.reset()
        print(f"Progress reset. Old answers kept in {backup}" if backup else "There was no progress to reset.")
        return 0
    attempts = s.attempts()
    print(f"Progress file: {s.path}")
    print(f"{len(attempts)} attempt(s) recorded")
    return 0


def _instructor(func):
    """Run an instructor command; its input problems are one line on stderr and exit 1, not a traceback."""

    def run(args: argparse.Namespace) -> int:
        from .instructor import InstructorError

        try:
            return func(args)
        except InstructorError as err:
            print(f"ERROR  {err}", file=sys.stderr)
            return 1

    return run


@_instructor
def cmd_release(args: argparse.Namespace) -> int:
    from pathlib import Path

    from .instructor import release

    written = release(Path(args.dir))
    print(f"Student edition written to {args.dir}: {len(written)} notebook(s), solutions replaced by stubs.")
    return 0


@_instructor
def cmd_handout(args: argparse.Namespace) -> int:
    from pathlib import Path

    from .instructor import handouts

    written = handouts(Path(args.out), key=args.key, pdf=args.pdf)
    for path in written:
        print(f"wrote {path}")
    return 0


@_instructor
def cmd_export_progress(args: argparse.Namespace) -> int:
    from pathlib import Path

    from .instructor import export_progress

    out = export_progress(Path(args.out) if args.out else None, args.student)
    print(f"Your progress was exported to {out}. Hand this file to your instructor.")
    return 0


@_instructor
def cmd_gradebook(args: argparse.Namespace) -> int:
    from pathlib import Path

    from .instructor import InstructorError, gradebook, hardest, write_gradebook

    files: list[Path] = []
    for name in args.files:
        path = Path(name)
        files += sorted(path.glob("*.json")) if path.is_dir() else [path]
    if not files:
        raise InstructorError("no export files given (or the folder holds no .json files)")
    book = gradebook(files)
    for problem in book.skipped:
        print(f"SKIPPED  {problem}", file=sys.stderr)
    write_gradebook(book, Path(args.out) if args.out else None)
    report = sys.stderr if not args.out else sys.stdout
    print(f"{len(book.students)} student(s), {len(book.rows)} row(s); {len(book.skipped)} file(s) skipped.",
          file=report)
    ranked = hardest(book)
    if ranked:
        print("Hardest questions (share of students right, mean attempts):", file=report)
        for question, right, tried, mean in ranked:
            print(f"  {question:32} {right}/{tried} right, {mean:.1f} attempts", file=report)
    return 1 if not book.students else 0


# --- hub-link: the one link students click on a JupyterHub (see deploy/README.md) -------------------------

#: The folder nbgitpuller creates in each student's home (its ``targetpath``): the module's name.
HUB_FOLDER = "kg-russia-module"
#: The notebook the link opens.
HUB_NOTEBOOK = "notebooks/00_start_here.ipynb"


def _hub_base(hub: str) -> str:
    """``https://hub.example.edu`` from what an instructor may paste (a trailing slash, ``/hub/home``)."""
    from urllib.parse import urlsplit

    hub = hub.strip()
    parts = urlsplit(hub)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise ValueError(f"--hub must be the hub's address, like https://hub.example.edu (got {hub!r})")
    path = parts.path
    cut = (path + "/").find("/hub/")  # https://x/hub/home, https://x/base/hub/login -> the part before /hub
    if cut >= 0:
        path = path[:cut]
    return f"{parts.scheme}://{parts.netloc}{path.rstrip('/')}"


def _pull_query(repo: str, branch: str, notebook: str, folder: str) -> str:
    from urllib.parse import quote

    if not repo.strip():
        raise ValueError("--repo must be the git address students pull from")
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


def _origin_url() -> str | None:
    """The ``origin`` remote of the clone this command runs in (read from .git/config), as an https URL."""
    import configparser
    import re

    from .paths import REPO, checkout_root

    for root in (checkout_root(), REPO):
        if root is None or not (root / ".git" / "config").is_file():
            continue
        config = configparser.ConfigParser(strict=False, interpolation=None)
        try:
            config.read(root / ".git" / "config", encoding="utf-8")
            url = config.get('remote "origin"', "url", fallback="").strip()
        except (configparser.Error, OSError, UnicodeDecodeError):
            continue
        scp = re.fullmatch(r"[\w.-]+@([\w.-]+):(?!//)(.+)", url)  # git@github.com:owner/repo.git
        if scp:
            url = f"https://{scp.group(1)}/{scp.group(2)}"
        if url:
            return url
    return None


def cmd_hub_link(args: argparse.Namespace) -> int:
    repo = args.repo or _origin_url()
    if not repo:
        print("No --repo given, and this copy has no 'origin' remote to take it from. Give the public git "
              "address students pull from, e.g. --repo https://github.com/OWNER/REPO", file=sys.stderr)
        return 2
    if not args.hub and not args.default_url:
        print("Give --hub (the hub's address), or --default-url for the hub's configuration", file=sys.stderr)
        return 2
    try:
        link = hub_default_url(repo, args.branch) if args.default_url else hub_link(args.hub, repo, args.branch)
    except ValueError as err:
        print(err, file=sys.stderr)
        return 2
    if not args.repo:
        print(f"(repository: {repo}, the 'origin' of this copy; --repo to change it)", file=sys.stderr)
    print(link)
    return 0


def cmd_where(args: argparse.Namespace) -> int:
    """Which copies of the data and question banks this Python uses, and where progress is kept."""
    from . import paths
    from .quiz.bank import banks_dir
    from .quiz.progress import default_path

    print(f"package:   {paths.PACKAGE}")
    print(f"checkout:  {paths.checkout_root() or '(none: the current folder is not in a copy of the module)'}")
    print(f"data:      {paths.data_dir()}")
    print(f"banks:     {banks_dir()}")
    print(f"progress:  {default_path()}")
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m course", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)
    p = sub.add_parser("check", help="validate every question bank and the data tables")
    p.add_argument("--dir", help="folder of banks (default: course/banks)")
    p.set_defaults(func=cmd_check)
    p = sub.add_parser("progress", help="where your quiz progress is kept; --reset to start afresh")
    p.add_argument("--reset", action="store_true", help="start afresh (the old file is kept as a backup)")
    p.set_defaults(func=cmd_progress)
    p = sub.add_parser("release", help="write a student edition (solutions replaced by stubs) into DIR")
    p.add_argument("dir", help="a new or empty folder")
    p.set_defaults(func=cmd_release)
    p = sub.add_parser("handout", help="printable questions (Markdown + HTML) of every notebook; --key for answers")
    p.add_argument("--key", action="store_true", help="include the answers and explanations")
    p.add_argument("--pdf", action="store_true", help="also print each handout to PDF with Chromium")
    p.add_argument("--out", default="handouts", help="folder to write to (default: handouts)")
    p.set_defaults(func=cmd_handout)
    p = sub.add_parser("export-progress", help="save your quiz progress to a file for your instructor")
    p.add_argument("--out", help="file to write (default: progress-<name>.json here)")
    p.add_argument("--student", help="your name or id (default: your JupyterHub or login name)")
    p.set_defaults(func=cmd_export_progress)
    p = sub.add_parser("gradebook", help="combine students' progress exports into one CSV")
    p.add_argument("files", nargs="+", help="export files, or folders of them")
    p.add_argument("--out", help="CSV file to write (default: print to the screen)")
    p.set_defaults(func=cmd_gradebook)
    p = sub.add_parser("hub-link", help="the nbgitpuller link that opens the module on a JupyterHub")
    p.add_argument("--hub", help="the hub's address, e.g. https://hub.example.edu")
    p.add_argument("--default-url", action="store_true",
                   help="print the server-relative URL for the hub's default URL instead (deploy/README.md)")
    p.add_argument("--repo", help="git address students pull from (default: this clone's 'origin')")
    p.add_argument("--branch", default="main", help="branch to pull (default: main)")
    p.set_defaults(func=cmd_hub_link)
    p = sub.add_parser("where", help="which copy of the data and question banks is used, and where progress goes")
    p.set_defaults(func=cmd_where)
    args = parser.parse_args(argv)
    return args.func(args)


if __name__ == "__main__":
    sys.exit(main())

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
    if not problems:
        stale = data.stale()
        for line in stale:
            print(f"WARN   {line}")
        print(f"facts: {len(stale)} plan(s) whose day has passed without a recorded outcome "
              f"(last review: {data.reviewed() or 'not recorded'}); update them with what happened, sourced")
    from . import alone
    from .lessons import LESSONS

    solo = alone.validate([lesson.stem for lesson in LESSONS])
    for problem in solo:
        print(f"ERROR  {problem}", file=sys.stderr)
    count = len(alone.activities()) if not solo else 0
    print(f"working alone: {count} solo activities checked, {len(solo)} problem(s)")
    return 1 if errors or problems or numbering or solo else 0


def cmd_sync_sources(args: argparse.Namespace) -> int:
    """Rewrite each table's list of sources in data/datapackage.json from the rows that cite them."""
    from . import data

    try:
        changed = data.sync_sources()
    except data.DataError as err:
        print(f"ERROR  {err}", file=sys.stderr)
        return 1
    print(f"sources rewritten for: {', '.join(changed)}" if changed else "every table's sources were up to date")
    return 0


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

    from .instructor import InstructorError, release, release_branch

    if bool(args.dir) == bool(args.branch):
        raise InstructorError("give a folder (new, empty, or a git checkout of the class's repository) or "
                              "--branch NAME, not both")
    if args.branch:
        commit = release_branch(args.branch)
        if commit is None:
            print(f"The branch {args.branch!r} already holds this student edition: nothing to commit.")
        else:
            print(f"Student edition committed to the branch {args.branch!r} ({commit[:12]}); your working tree "
                  f"was not touched. Publish it with: git push <class-remote> {args.branch}:main")
        return 0
    out = Path(args.dir)
    is_checkout = (out / ".git").exists()
    written = release(out, force=args.force)
    print(f"Student edition written to {out}: {len(written)} notebook(s), README for students, no instructor "
          "material.")
    if is_checkout:
        print(f"Publish it: cd {out} && git add --all && git commit -m 'Student edition' && git push")
    return 0


@_instructor
def cmd_nbgrader_source(args: argparse.Namespace) -> int:
    from pathlib import Path

    from .instructor import nbgrader_source

    written = nbgrader_source(Path(args.dir), assignment=args.assignment, points=args.points)
    for path, points in written:
        print(f"wrote {path} ({points} point{'s' if points != 1 else ''})")
    print(f"nbgrader course directory: {args.dir}. Next: cd {args.dir} && nbgrader generate_assignment "
          f"{args.assignment}")
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

    from .instructor import InstructorError, gradebook, write_gradebook
    from .instructor.gradebook import hardest

    files: list[Path] = []
    for name in args.files:
        path = Path(name)
        if not path.exists():
            raise InstructorError(f"{path} does not exist")
        files += sorted(path.glob("*.json")) if path.is_dir() else [path]
    if not files:
        raise InstructorError("no export files given (or the folder holds no .json files)")
    book = gradebook(files)
    for problem in book.skipped:
        print(f"SKIPPED  {problem}", file=sys.stderr)
    for note in book.notes:
        print(f"NOTE     {note}", file=sys.stderr)
    if book.skipped and not args.keep_going:
        print(f"{len(book.skipped)} file(s) could not be counted, so no gradebook was written. Fix or remove "
              "them, or give --continue to grade the others.", file=sys.stderr)
        return 1
    written = write_gradebook(book, Path(args.out) if args.out else None)
    report = sys.stderr if not args.out else sys.stdout
    for path in written:
        print(f"wrote {path}", file=report)
    print(f"{len(book.students)} student(s), {len(book.items)} question(s) and exercise(s); "
          f"{len(book.skipped)} file(s) skipped.", file=report)
    ranked = hardest(book)
    if ranked:
        print("Hardest (share right first time of those who tried, mean score):", file=report)
        for r in ranked:
            print(f"  {r['question']:32} {r['right_first_time']:>5} right first time, mean {r['mean_score']}",
                  file=report)
    return 1 if not book.students else 0


def cmd_hub_link(args: argparse.Namespace) -> int:
    """The nbgitpuller link (course/instructor/hub.py): refuses a path on this computer, warns when the
    repository is the instructor's own source rather than a student edition."""
    from .instructor.hub import check_repo, hub_default_url, hub_link, origin_url, source_warning

    repo = args.repo or origin_url()
    if not repo:
        print("No --repo given, and this copy has no 'origin' remote to take it from. Give the public git "
              "address students pull from, e.g. --repo https://github.com/OWNER/REPO", file=sys.stderr)
        return 2
    if not args.hub and not args.default_url:
        print("Give --hub (the hub's address), or --default-url for the hub's configuration", file=sys.stderr)
        return 2
    try:
        note = check_repo(repo)
        link = hub_default_url(repo, args.branch) if args.default_url else hub_link(args.hub, repo, args.branch)
    except ValueError as err:
        print(err, file=sys.stderr)
        return 2
    if not args.repo:
        print(f"(repository: {repo}, the 'origin' of this copy; --repo to change it)", file=sys.stderr)
    for message in (note, source_warning(repo)):
        if message:
            print(message, file=sys.stderr)
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


def build_parser() -> argparse.ArgumentParser:
    """The command line's parser, every subcommand with its options."""
    parser = argparse.ArgumentParser(prog="python -m course", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)
    p = sub.add_parser("check", help="validate every question bank and the data tables")
    p.add_argument("--dir", help="folder of banks (default: course/banks)")
    p.set_defaults(func=cmd_check)
    p = sub.add_parser("sync-sources", help="list in data/datapackage.json the sources each table's rows cite")
    p.set_defaults(func=cmd_sync_sources)
    p = sub.add_parser("progress", help="where your quiz progress is kept; --reset to start afresh")
    p.add_argument("--reset", action="store_true", help="start afresh (the old file is kept as a backup)")
    p.set_defaults(func=cmd_progress)
    p = sub.add_parser("release", help="write a student edition into DIR (new, empty, or a git checkout), "
                       "or commit it to a branch")
    p.add_argument("dir", nargs="?", help="a new or empty folder, or a clone of the class's repository (its files "
                   "are replaced, its .git kept)")
    p.add_argument("--branch", help="instead of a folder: commit the edition to this branch of this repository "
                   "(created if needed; the working tree is not touched)")
    p.add_argument("--force", action="store_true", help="replace uncommitted changes in the git checkout DIR")
    p.set_defaults(func=cmd_release)
    p = sub.add_parser("nbgrader-source", help="write an nbgrader course directory (source/<assignment>/) in DIR")
    p.add_argument("dir", help="a new or empty folder")
    p.add_argument("--assignment", default="kg-russia-module", help="assignment name (default: kg-russia-module)")
    p.add_argument("--points", type=int, default=1, help="points per exercise (default: 1)")
    p.set_defaults(func=cmd_nbgrader_source)
    p = sub.add_parser("handout", help="printable questions (Markdown + HTML) of every notebook; --key for answers")
    p.add_argument("--key", action="store_true", help="include the answers and explanations")
    p.add_argument("--pdf", action="store_true", help="also print each handout to PDF with Chromium")
    p.add_argument("--out", default="handouts", help="folder to write to (default: handouts)")
    p.set_defaults(func=cmd_handout)
    p = sub.add_parser("export-progress", help="save your quiz progress to a file for your instructor")
    p.add_argument("--out", help="file to write (default: progress-<name>.json here)")
    p.add_argument("--student", help="your name (default: $COURSE_STUDENT, else your JupyterHub or login name; "
                   "a shared login such as jovyan is refused)")
    p.set_defaults(func=cmd_export_progress)
    p = sub.add_parser("gradebook", help="combine students' progress exports: per student, per answer, per question")
    p.add_argument("files", nargs="+", help="export files, or folders of them")
    p.add_argument("--out", help="folder for students.csv, answers.csv and items.csv (default: print the students' "
                   "table)")
    p.add_argument("--continue", dest="keep_going", action="store_true",
                   help="grade the other files when some cannot be counted (default: stop, exit 1)")
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
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    return args.func(args)


if __name__ == "__main__":
    sys.exit(main())

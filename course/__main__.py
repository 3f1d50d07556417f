"""Command line: ``python -m course check`` (and more subcommands as the module grows)."""

from __future__ import annotations

import argparse
import sys


def cmd_check(args: argparse.Namespace) -> int:
    """Validate every question bank and the data package; one line per bank. Exit 1 if anything is broken."""
    from pathlib import Path

    from .quiz.bank import bank_paths, banks_dir, check_all

    directory = Path(args.dir) if args.dir else banks_dir()
    if not bank_paths(directory):
        print(f"No question banks (NN_name.yaml) found in {directory}", file=sys.stderr)
        return 1
    banks, errors = check_all(directory)
    for bank in banks:
        kinds = sorted({q.kind for q in bank.questions})
        print(f"ok     {bank.path.name}: {len(bank.questions)} questions ({', '.join(kinds)})")
    for err in errors:
        print(f"ERROR  {err}", file=sys.stderr)
    print(f"{len(banks)} bank(s) valid, {len(errors)} with errors")
    if args.dir:  # a folder of banks only
        return 1 if errors else 0
    from . import data

    problems = data.validate()
    for problem in problems:
        print(f"ERROR  {problem}", file=sys.stderr)
    print(f"data: {len(data.tables())} table(s) checked, {len(problems)} problem(s)")
    return 1 if errors or problems else 0


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


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m course", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)
    p = sub.add_parser("check", help="validate every question bank and the data tables")
    p.add_argument("--dir", help="folder of banks (default: course/quizzes)")
    p.set_defaults(func=cmd_check)
    p = sub.add_parser("progress", help="where your quiz progress is kept; --reset to start afresh")
    p.add_argument("--reset", action="store_true", help="start afresh (the old file is kept as a backup)")
    p.set_defaults(func=cmd_progress)
    args = parser.parse_args(argv)
    return args.func(args)


if __name__ == "__main__":
    sys.exit(main())

"""Copy this repository's working tree (what `git add -A` would take) into a new folder.

    python tests/classroom/snapshot.py DEST

`make classroom` installs the module from such a copy (a non-editable install, as on a hub) and the
classroom test commits another copy into a local bare repository for nbgitpuller to pull from. A copy,
not `git clone` of the repository: the test must check the files as they are now, committed or not, and
building a wheel in place would leave build/ in the working tree.

Left out: .git, and whatever .gitignore names (simple patterns: a name, a `dir/` or a glob).
"""

from __future__ import annotations

import fnmatch
import shutil
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
ALWAYS_SKIP = {".git", ".venv", "node_modules", "__pycache__", ".hypothesis", ".classroom"}


def ignore_patterns(repo: Path = REPO) -> list[str]:
    gitignore = repo / ".gitignore"
    if not gitignore.is_file():
        return []
    lines = (line.strip() for line in gitignore.read_text(encoding="utf-8").splitlines())
    return [line.rstrip("/") for line in lines if line and not line.startswith(("#", "!"))]


def snapshot(dest: Path, repo: Path = REPO) -> Path:
    patterns = ignore_patterns(repo)

    def skip(folder: str, names: list[str]) -> set[str]:
        rel = Path(folder).resolve().relative_to(repo.resolve())
        out = set()
        for name in names:
            path = (rel / name).as_posix()
            if name in ALWAYS_SKIP or any(
                fnmatch.fnmatch(name, p) or fnmatch.fnmatch(path, p.lstrip("/")) for p in patterns
            ):
                out.add(name)
        return out

    dest = Path(dest)
    if dest.exists():
        shutil.rmtree(dest)
    shutil.copytree(repo, dest, ignore=skip, symlinks=True)
    return dest


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    print(snapshot(Path(sys.argv[1])))

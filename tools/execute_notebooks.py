"""Run notebooks top to bottom and store their outputs, as nbval expects them.

    python tools/execute_notebooks.py [notebooks/NN_name.ipynb ...]   (default: every notebook)

Each notebook runs in a fresh kernel with an empty, temporary progress folder, so the stored outputs are
what a new student sees. Widget state is not stored (it is large, and it would freeze the widgets in a
snapshot): without a kernel, each quiz shows its static text instead ("run the notebook to answer").
Run it after changing a notebook or a question bank, then `make test`.
"""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def execute(path: Path) -> None:
    import nbformat
    from nbclient import NotebookClient

    nb = nbformat.read(path, as_version=4)
    with tempfile.TemporaryDirectory() as progress:
        os.environ["COURSE_PROGRESS_DIR"] = progress
        NotebookClient(nb, timeout=300, kernel_name="python3", resources={"metadata": {"path": str(path.parent)}},
                       store_widget_state=False).execute()
    nb.metadata.pop("widgets", None)
    for cell in nb.cells:
        cell.metadata.pop("execution", None)
    nbformat.write(nb, path)
    print(f"executed {path.relative_to(ROOT)}")


def main(argv: list[str]) -> int:
    paths = [Path(a).resolve() for a in argv] or sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))
    for path in paths:
        execute(path)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

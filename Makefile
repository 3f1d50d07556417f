# Two commands for everyone:   make lab   (set up and open JupyterLab)   make test   (set up and run every test)
# Setup happens once: a virtual environment in .venv with the pinned versions in constraints.txt.

PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
PORT   ?= 8888

.PHONY: lab test unit notebooks browser check bench lint lock clean help

help:
	@echo "make lab     set up (once) and open JupyterLab on the first notebook"
	@echo "make test    set up (once) and run every test: banks, unit, notebooks (nbval), real browser"
	@echo "make bench   measure notebook run time, kernel memory and import time"
	@echo "make lock    refresh the pinned versions in constraints.txt"

$(STAMP): pyproject.toml constraints.txt course/quiz/keyboard.py
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 10) else "Python 3.10 or newer is needed; this is " + sys.version.split()[0] + ". Try: make PYTHON=python3.12 ...")'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -c constraints.txt -e ".[dev]"
	$(BIN)/python -c "import matplotlib.pyplot"   # build matplotlib's font cache once, not inside a lesson
	$(BIN)/jupyter labextension list 2>&1 | grep -q jupyterlab_widgets || { echo "ipywidgets' JupyterLab extension is missing"; exit 1; }
	$(BIN)/jupyter labextension list 2>&1 | grep -q anywidget || { echo "anywidget's JupyterLab extension is missing"; exit 1; }
	$(BIN)/python -m course.quiz.keyboard   # arrow keys work inside quiz controls (JupyterLab settings override)
	@touch $(STAMP)

ROOT_FLAG := $(if $(filter 0,$(shell id -u 2>/dev/null)),--allow-root)

lab: $(STAMP)
	$(BIN)/jupyter lab --ServerApp.root_dir=. --port=$(PORT) $(ROOT_FLAG) notebooks/00_start_here.ipynb

check: $(STAMP)
	$(BIN)/python -m course check

test: $(STAMP)
	$(BIN)/python -m course check
	$(BIN)/python -m pytest

unit: $(STAMP)
	$(BIN)/python -m pytest tests -m "not browser"

notebooks: $(STAMP)
	$(BIN)/python -m pytest notebooks

browser: $(STAMP)
	$(BIN)/python -m pytest tests/browser

lint: $(STAMP)
	$(BIN)/ruff check course tests bench

bench: $(STAMP)
	$(BIN)/python bench/bench.py

lock: $(STAMP)
	$(BIN)/python -m pip install --quiet uv
	$(BIN)/uv pip compile pyproject.toml --extra dev --universal --python-version 3.10 --no-annotate \
		--custom-compile-command "make lock" -o constraints.txt
	@echo "constraints.txt refreshed: run 'make test', then commit it."

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache build *.egg-info

outputs: $(STAMP)   ## re-run every notebook and store its outputs (after editing a notebook or a bank)
	$(BIN)/python tools/execute_notebooks.py

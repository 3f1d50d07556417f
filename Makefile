# Two commands for everyone:   make lab   (set up and open JupyterLab)   make test   (set up and run every test)
# Setup happens once: a virtual environment in .venv with the pinned versions in constraints.txt.

PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
PORT   ?= 8888

.PHONY: lab test unit notebooks browser check bench lint lock clean help outputs

help:
	@echo "Everyone:"
	@echo "  make lab         set up (once) and open JupyterLab on the first notebook (PORT=8888)"
	@echo "  make test        set up (once) and run every test: banks, unit, notebooks (nbval), real browser"
	@echo "Narrower (docs/instructor-guide.md):"
	@echo "  make check       validate the question banks and the data tables"
	@echo "  make unit        the unit tests only (no notebooks, no browser)"
	@echo "  make notebooks   nbval on every notebook (one: .venv/bin/python -m pytest notebooks/NN_name.ipynb)"
	@echo "  make browser     the real-browser tests (Chromium)"
	@echo "  make lint        ruff on course/, tests/, bench/"
	@echo "  make outputs     re-run every notebook and store its outputs (one: tools/execute_notebooks.py FILE)"
	@echo "Instructors and maintainers:"
	@echo "  make nbgrader    nbgrader itself grades the nbgrader source (own venv in NBGRADER_DIR, outside the repo)"
	@echo "  make classroom   a real JupyterHub with CLASSROOM_N simulated students (root; deploy/README.md)"
	@echo "  make classroom-install  (re)install the module into the classroom hub's venv (make classroom does it)"
	@echo "  make classroom-measure  spawn/notebook time and memory for 1, 5, 10, 20 students"
	@echo "  make classroom-demo   a hub on 127.0.0.1 with the live class view and simulated answers (Ctrl-C stops)"
	@echo "  make classview-bench  the live class view's service under 200 students x 60 attempts (measured)"
	@echo "  make bench       measure notebook run time, kernel memory and import time"
	@echo "  make lock        refresh the pinned versions in constraints.txt"
	@echo "  make clean       remove .venv and build leftovers"
	@echo "  make help        this list"

# The pinned install uses uv where it can be had: the uv on PATH, or else uv installed into the venv with pip
# (seconds instead of a minute). It falls back to pip (same pins, same result) if uv cannot be had or cannot
# install. SETUP_WITH=pip forces pip.
SETUP_WITH ?= uv
LABEXT     := $(VENV)/share/jupyter/labextensions

$(STAMP): pyproject.toml constraints.txt course/quiz/keyboard.py
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 10) else "Python 3.10 or newer is needed; this is " + sys.version.split()[0] + ". Try: make PYTHON=python3.12 ...")'
	@if [ "$(SETUP_WITH)" = uv ] && command -v uv >/dev/null 2>&1; then \
		uv venv --quiet --allow-existing --seed --python $(PYTHON) $(VENV); \
	else \
		$(PYTHON) -m venv $(VENV); \
	fi
	@if [ "$(SETUP_WITH)" = uv ] && { command -v uv >/dev/null 2>&1 || $(BIN)/python -m pip install --quiet uv >/dev/null 2>&1; }; then \
		echo "Setting up $(VENV) with uv: the pinned versions in constraints.txt (once; about 20 s)..."; \
		$$(command -v uv || echo $(BIN)/uv) pip install --quiet --compile-bytecode --python $(BIN)/python -c constraints.txt -e ".[dev]" \
		|| { echo "uv could not install; trying again with pip (about a minute)..."; \
		     $(BIN)/python -m pip install --quiet -c constraints.txt -e ".[dev]"; }; \
	else \
		echo "Setting up $(VENV) with pip: the pinned versions in constraints.txt (once; about a minute)..."; \
		$(BIN)/python -m pip install --quiet -c constraints.txt -e ".[dev]"; \
	fi
	@$(BIN)/python -c "import matplotlib.pyplot"   # build matplotlib's font cache once, not inside a lesson
	@$(BIN)/python -m compileall -q course >/dev/null   # bytecode now: where PYTHONDONTWRITEBYTECODE is set (as in many containers) every kernel would compile course/ again
	@test -d $(LABEXT)/@jupyter-widgets/jupyterlab-manager || { echo "ipywidgets' JupyterLab extension is missing"; exit 1; }
	@test -d $(LABEXT)/anywidget || { echo "anywidget's JupyterLab extension is missing"; exit 1; }
	@$(BIN)/python -m course.quiz.keyboard >/dev/null   # arrow keys work inside quiz controls (JupyterLab settings override)
	@$(BIN)/python -m course check >/dev/null 2>&1 || true   # the banks checked once here, not in each new kernel
	@touch $(STAMP)
	@echo "Set up: $(VENV) is ready."

ROOT_FLAG := $(if $(filter 0,$(shell id -u 2>/dev/null)),--allow-root)

# Kernels talk to the server over Unix sockets (ipc), not TCP: local only, and no "running over TCP without
# encryption" warning from every kernel on the student's terminal.
lab: $(STAMP)
	$(BIN)/jupyter lab --ServerApp.root_dir=. --port=$(PORT) --KernelManager.transport=ipc $(ROOT_FLAG) \
		notebooks/00_start_here.ipynb

check: $(STAMP)
	$(BIN)/python -m course check

test: $(STAMP)
	$(BIN)/python -m course check
	$(BIN)/python -m pytest

# Fast: no notebook kernel, no wheel build, no browser (those tests are marked slow or browser).
unit: $(STAMP)
	$(BIN)/python -m pytest tests -m "not slow and not browser" -o addopts= -p no:cacheprovider

notebooks: $(STAMP)
	$(BIN)/python -m pytest notebooks

browser: $(STAMP)
	$(BIN)/python -m pytest tests/browser

lint: $(STAMP)
	$(BIN)/ruff check course tests bench

bench: $(STAMP)
	$(BIN)/python bench/bench.py

lock: $(STAMP)
	@$(BIN)/uv --version >/dev/null 2>&1 || $(BIN)/python -m pip install --quiet uv
	$(BIN)/uv pip compile pyproject.toml --extra dev --universal --python-version 3.10 --no-annotate \
		--custom-compile-command "make lock" -o constraints.txt
	@echo "constraints.txt refreshed: run 'make test', then commit it."

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache build *.egg-info

outputs: $(STAMP)   ## re-run every notebook and store its outputs (after editing a notebook or a bank)
	$(BIN)/python tools/execute_notebooks.py

# --- make classroom: a real JupyterHub on 127.0.0.1 with simulated students (tests/classroom/, deploy/) ---
# Everything it installs goes to CLASSROOM_DIR (outside the repository: the students' Unix accounts must be
# able to run the hub's Python, so it is built from /usr/bin/python3, not from a Python under /root).
CLASSROOM_DIR    ?= /tmp/kg-classroom-$(shell printf '%s' "$(CURDIR)" | cksum | cut -d' ' -f1)
CLASSROOM_PYTHON ?= /usr/bin/python3
CLASSROOM_N      ?= 10
HUB_VENV         := $(CLASSROOM_DIR)/venv
HUB_STAMP        := $(HUB_VENV)/.installed
HUB_PIN          := -c constraints.txt -c tests/classroom/constraints.txt
CLASSROOM_PYTEST := $(HUB_VENV)/bin/python -m pytest -p no:cacheprovider -o addopts= --confcutdir=tests/classroom

.PHONY: classroom classroom-install classroom-measure classroom-demo classview-bench

$(HUB_STAMP): constraints.txt tests/classroom/constraints.txt tests/classroom/package-lock.json pyproject.toml
	@test -x $(CLASSROOM_PYTHON) || { echo "make classroom needs $(CLASSROOM_PYTHON) (a Python every user can run)"; exit 1; }
	@command -v npm >/dev/null || { echo "make classroom needs node and npm (apt-get install nodejs npm)"; exit 1; }
	rm -rf $(HUB_VENV) $(CLASSROOM_DIR)/node
	mkdir -p $(CLASSROOM_DIR) && chmod 755 $(CLASSROOM_DIR)
	$(CLASSROOM_PYTHON) -m venv $(HUB_VENV)
	$(HUB_VENV)/bin/python tests/classroom/snapshot.py $(CLASSROOM_DIR)/src >/dev/null
	$(HUB_VENV)/bin/python -m pip install --quiet $(HUB_PIN) \
		jupyterhub nbgitpuller jupyterhub-idle-culler pytest requests websocket-client playwright $(CLASSROOM_DIR)/src
	mkdir -p $(CLASSROOM_DIR)/node
	cp tests/classroom/package.json tests/classroom/package-lock.json $(CLASSROOM_DIR)/node/
	npm ci --prefix $(CLASSROOM_DIR)/node --no-audit --no-fund --loglevel=error
	$(CLASSROOM_DIR)/node/node_modules/.bin/configurable-http-proxy --version
	chmod -R a+rX $(CLASSROOM_DIR)
	@touch $(HUB_STAMP)

# The module is installed afresh (not editable) from a copy of the working tree on every run.
classroom-install: $(HUB_STAMP)
	$(HUB_VENV)/bin/python tests/classroom/snapshot.py $(CLASSROOM_DIR)/src >/dev/null
	$(HUB_VENV)/bin/python -m pip install --quiet --no-deps --force-reinstall $(CLASSROOM_DIR)/src
	rm -rf $(CLASSROOM_DIR)/src
	$(HUB_VENV)/bin/python -c "import playwright" 2>/dev/null || $(HUB_VENV)/bin/python -m pip install --quiet $(HUB_PIN) playwright   # the instructor's browser (class view)
	chmod -R a+rX $(HUB_VENV)

classroom: classroom-install   ## a real hub, CLASSROOM_N simulated students (default 10), fault cases
	CLASSROOM_RUN=1 CLASSROOM_DIR=$(CLASSROOM_DIR) CLASSROOM_N=$(CLASSROOM_N) $(CLASSROOM_PYTEST) tests/classroom -v -rs

classroom-measure: classroom-install   ## spawn/notebook time and memory for N = 1, 5, 10, 20 students
	CLASSROOM_DIR=$(CLASSROOM_DIR) $(HUB_VENV)/bin/python tests/classroom/measure.py $(MEASURE_ARGS)

classroom-demo: classroom-install   ## a hub on 127.0.0.1 with the live class view and simulated answers; Ctrl-C stops it
	CLASSROOM_DIR=$(CLASSROOM_DIR) $(HUB_VENV)/bin/python tests/classroom/demo.py $(DEMO_ARGS)

# --- the live class view's service under load (course/classview/; deploy/README.md): measured, not asserted ---
classview-bench: $(STAMP)
	$(BIN)/python bench/classview_bench.py $(BENCH_ARGS)

# --- make nbgrader: nbgrader grades the module's nbgrader source (tests/nbgrader/, docs/instructor-guide.md) -------
# nbgrader and the module are installed in a venv of their own under NBGRADER_DIR (outside the repository, as
# make classroom does for JupyterHub); the module afresh (not editable) from a copy of the working tree each run.
NBGRADER_DIR   ?= /tmp/kg-nbgrader-$(shell printf '%s' "$(CURDIR)" | cksum | cut -d' ' -f1)
NBGRADER_VENV  := $(NBGRADER_DIR)/venv
NBGRADER_STAMP := $(NBGRADER_VENV)/.installed
NBGRADER_PIN   := -c constraints.txt -c tests/nbgrader/constraints.txt

.PHONY: nbgrader

$(NBGRADER_STAMP): constraints.txt tests/nbgrader/constraints.txt pyproject.toml
	rm -rf $(NBGRADER_VENV)
	mkdir -p $(NBGRADER_DIR)
	$(PYTHON) -m venv $(NBGRADER_VENV)
	$(NBGRADER_VENV)/bin/python tests/classroom/snapshot.py $(NBGRADER_DIR)/src >/dev/null
	@echo "Installing nbgrader and the module into $(NBGRADER_VENV) (a few minutes, once)"
	$(NBGRADER_VENV)/bin/python -m pip install --quiet $(NBGRADER_PIN) nbgrader ipykernel $(NBGRADER_DIR)/src
	@touch $(NBGRADER_STAMP)

nbgrader: $(NBGRADER_STAMP)   ## nbgrader generate_assignment + autograde: untouched scores 0, solved full marks
	$(NBGRADER_VENV)/bin/python tests/classroom/snapshot.py $(NBGRADER_DIR)/src >/dev/null
	$(NBGRADER_VENV)/bin/python -m pip install --quiet --no-deps --force-reinstall $(NBGRADER_DIR)/src
	rm -rf $(NBGRADER_DIR)/src
	$(NBGRADER_VENV)/bin/python tests/nbgrader/run.py $(NBGRADER_DIR)/course

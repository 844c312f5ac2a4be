# The two commands a fresh machine needs (see README.md):
#   make book   execute every chapter (quick profile) and build the HTML into _build/html
#   make test   unit tests + doctests, workflow lint, strict nbval on stored outputs, book build from
#               stored outputs, browser, accessibility and link checks of the built book
# Both create .venv and install the pinned environment (requirements-lock.txt) first.

PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
CHAPTERS := $(sort $(wildcard lessons/[0-9][0-9]_*.ipynb))
NB ?= $(CHAPTERS)

export COURSE_PROFILE ?= quick
export COURSE_DATA ?= offline
export TF_CPP_MIN_LOG_LEVEL ?= 3
export TF_ENABLE_ONEDNN_OPTS ?= 0
export PYTHONHASHSEED ?= 0
export PYDEVD_DISABLE_FILE_VALIDATION ?= 1

.PHONY: help venv book book-stored test test-unit test-notebooks test-built lint-workflows browser-deps assign execute bench clean lock

help:
	@sed -n '1,6p' Makefile

$(STAMP): requirements-lock.txt pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade "pip>=24"
	$(BIN)/python -m pip install --quiet -r requirements-lock.txt
	$(BIN)/python -m pip install --quiet --no-deps --no-build-isolation -e .
	touch $(STAMP)

venv: $(STAMP)

book: $(STAMP) assign
	$(BIN)/python tools/build_book.py

book-stored: $(STAMP) assign
	$(BIN)/python tools/build_book.py --stored

# Student notebooks and autograder zips from the master notebooks in exercises/ (not committed);
# made again only when a file of exercises/ or course_lib changed, so that a `make book` with
# nothing changed stays quick.
ASSIGNED := exercises/_build/.assigned
ASSIGN_INPUTS := $(shell find exercises course_lib -path exercises/_build -prune -o -type f ! -name '*.pyc' -print 2>/dev/null)
assign: $(ASSIGNED)

$(ASSIGNED): $(STAMP) $(ASSIGN_INPUTS)
	$(BIN)/course-grade assign --exercises exercises --build exercises/_build
	touch $@

test-unit: $(STAMP)
	$(BIN)/python -m pytest tests course_lib --ignore=tests/built

test-notebooks: $(STAMP)
	$(BIN)/python -m pytest --nbval $(CHAPTERS) --nbval-sanitize-with tests/nbval_sanitize.cfg -p no:cacheprovider

test-built: $(STAMP) browser-deps
	$(BIN)/python -m pytest tests/built -p no:cacheprovider

# Debian's Chromium for the browser tests of the built book (root, as on CI machines).
browser-deps:
	@command -v chromium >/dev/null || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium; }

# The GitHub workflows checked here, not after a push: actionlint (syntax, expressions, types)
# and zizmor (pinned actions, permissions, template injection), both pinned in the lock.
lint-workflows: $(STAMP)
	$(BIN)/actionlint .github/workflows/*.yml
	$(BIN)/zizmor --offline .github/workflows

test: test-unit lint-workflows test-notebooks book-stored test-built
	@echo "make test: all stages passed"

execute: $(STAMP)
	$(BIN)/python tools/execute_notebooks.py $(NB)

# benchmarks time TensorFlow's default CPU kernels (oneDNN on), what users get; the 0 above only
# keeps the stored notebook outputs reproducible
# bench_pages.py weighs the built book: a fresh clone builds it from stored outputs first.
bench: $(STAMP)
	@test -f _build/html/index.html || $(MAKE) book-stored
	for script in benchmarks/bench_*.py; do TF_ENABLE_ONEDNN_OPTS=1 $(BIN)/python $$script || exit 1; done

clean:
	rm -rf _build .pytest_cache

lock: $(STAMP)
	$(BIN)/python tools/lock.py

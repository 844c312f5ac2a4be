# The two commands a fresh machine needs (see README.md):
#   make book   execute every chapter (quick profile) and build the HTML into _build/html
#   make test   unit tests + doctests, workflow lint, strict nbval on stored outputs, book build from
#               stored outputs, browser, accessibility and link checks of the built book, the oldest
#               supported TensorFlow/Keras (test-compat), the full profile's code paths (test-full-smoke)
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
# The stored outputs are compared bit for bit (strict nbval), and they were computed on x86-64
# machines with AVX2 but no AVX-512. On a machine with AVX-512, NumPy's BLAS (OpenBLAS), NumPy's
# own SIMD loops and the oneDNN matrix products inside TensorFlow's CPU kernels each pick wider
# kernels that round differently, enough to move trained accuracies in the third decimal (an AMD
# EPYC with AVX-512: 19 cells of 5 chapters differed). Capping all three at AVX2 gives the same
# bits on both kinds of machine in all but 3 cells, whose trained numbers are not compared but
# followed by compared verdicts (CONTRIBUTING, step 10; tests/project/test_environment.py checks
# that the caps hold).
export OPENBLAS_CORETYPE ?= Haswell
export ONEDNN_MAX_CPU_ISA ?= AVX2
# (NumPy refuses, with a warning that the tests turn into an error, a name that its build does not
# dispatch to: the list is what the NumPy builds of both locks have. AVX512_SPR, a target of NumPy 2
# only, for Intel Sapphire Rapids and later, is not in it.)
export NPY_DISABLE_CPU_FEATURES ?= AVX512F AVX512CD AVX512_KNL AVX512_KNM AVX512_SKX AVX512_CLX AVX512_CNL \
	AVX512_ICL
# Python writes each module's bytecode when it is first imported (some machines set
# PYTHONDONTWRITEBYTECODE): compiling only what is imported, once, is quicker than compiling every
# installed file at install time (about 30 s) or every module in every process (7 s a kernel).
unexport PYTHONDONTWRITEBYTECODE

.PHONY: help venv compat-venv book book-stored test test-unit test-notebooks test-portable test-built test-compat test-full-smoke lint-workflows browser-deps assign execute bench clean lock publish

help:
	@sed -n '1,6p' Makefile

# The locks are installed by uv (pinned here, in a venv of its own so that it stays out of the
# lock): the same pins, so the same environment, installed in a fraction of pip's time (the
# installs stage of benchmarks/results/test-stages.md). pip stays in each venv for the
# editable install of course_lib and for `make lock`. The two installs may run at once (make
# test): the one that comes second waits on the lock and finds uv there.
UV_VERSION := 0.13.8
UV_VENV := .venv-uv
UV := $(UV_VENV)/bin/uv
$(UV):
	flock .uv-install.lock sh -c 'test -x $(UV) || { $(PYTHON) -m venv $(UV_VENV) && \
		$(UV_VENV)/bin/python -m pip install --quiet "uv==$(UV_VERSION)"; }'

$(STAMP): requirements-lock.txt pyproject.toml | $(UV)
	$(PYTHON) -m venv --without-pip $(VENV)
	$(UV) pip install --quiet --python $(BIN)/python "pip>=24" -r requirements-lock.txt
	flock .editable-install.lock $(BIN)/python -m pip install --quiet --no-deps --no-build-isolation -e .
	touch $(STAMP)

venv: $(STAMP)

# The oldest supported TensorFlow/Keras (course_lib.config.SUPPORTED), pinned in its own lock.
COMPAT_VENV := .venv-compat
COMPAT_STAMP := $(COMPAT_VENV)/.installed
$(COMPAT_STAMP): requirements-compat-lock.txt pyproject.toml | $(UV)
	$(PYTHON) -m venv --without-pip $(COMPAT_VENV)
	$(UV) pip install --quiet --python $(COMPAT_VENV)/bin/python "pip>=24" "setuptools>=77" \
		-r requirements-compat-lock.txt
	flock .editable-install.lock $(COMPAT_VENV)/bin/python -m pip install --quiet --no-deps --no-build-isolation -e .
	touch $(COMPAT_STAMP)

compat-venv: $(COMPAT_STAMP)

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
	$(BIN)/python -m pytest tests course_lib --ignore=tests/built -n 2

# Each chapter keeps about one core busy (Python between small TensorFlow steps), so two chapters
# run at once, each whole in one worker and one kernel (--dist loadfile), longest first
# (NBVAL_ORDER, by their quick-profile times recorded in benchmarks/results/test-stages.md) so that
# neither worker idles at the end.
NBVAL_ORDER := 06 05 08 07 09 03 04 10 02 01
NBVAL_CHAPTERS := $(foreach n,$(NBVAL_ORDER),$(filter lessons/$(n)_%,$(CHAPTERS))) \
	$(filter-out $(foreach n,$(NBVAL_ORDER),lessons/$(n)_%),$(CHAPTERS))
# tools/nbval_tolerance.py compares the numbers of a cell marked `# NBVAL_TOLERANCE: atol=...` within
# that tolerance (CONTRIBUTING: "Comparing notebook outputs across CPUs").
NBVAL := $(BIN)/python -m pytest --nbval --nbval-sanitize-with tests/nbval_sanitize.cfg -p tools.nbval_tolerance \
	-p no:cacheprovider
test-notebooks: $(STAMP)
	$(NBVAL) $(NBVAL_CHAPTERS) -n 2 --dist loadfile --no-loadscope-reorder

# The notebook stage on kernels that round differently from the AVX2 ones the outputs were stored
# with: OpenBLAS, NumPy's SIMD loops (every target above SSE4.2 that the NumPy builds of both locks
# dispatch to) and oneDNN capped below AVX2. It passes when every number that depends on the
# kernels is in a tolerance cell. Run weekly on every chapter (.github/workflows/test.yml);
# PORTABLE_CHAPTERS=lessons/NN_name.ipynb picks chapters.
PORTABLE_CAPS := OPENBLAS_CORETYPE=Nehalem ONEDNN_MAX_CPU_ISA=SSE41 \
	NPY_DISABLE_CPU_FEATURES="AVX F16C FMA3 AVX2 AVX512F AVX512CD AVX512_KNL AVX512_KNM AVX512_SKX AVX512_CLX AVX512_CNL AVX512_ICL"
PORTABLE_CHAPTERS ?= $(NBVAL_CHAPTERS)
test-portable: $(STAMP)
	$(PORTABLE_CAPS) $(MAKE) --no-print-directory test-notebooks NBVAL_CHAPTERS="$(PORTABLE_CHAPTERS)"

# The browser checks wait on page loads, MathJax and full-page screenshots more than they compute
# (about 0.75 of a core): four workers on the 2 cores took 82 s against 122-140 s for one. Each
# page is loaded once, its browser checks sharing one visit (tests/built/conftest.py).
test-built: $(STAMP) browser-deps
	$(BIN)/python -m pytest tests/built -p no:cacheprovider -n 4

# Debian's Chromium for the browser tests of the built book (root, as on CI machines).
browser-deps:
	@command -v chromium >/dev/null || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium; }

# Every shipped network loads in the oldest supported TensorFlow/Keras and gives the main
# environment's outputs (tests/compat); the Keras-touching unit tests pass there too.
COMPAT_TESTS := tests/compat tests/cnn tests/autoencoders tests/restoration tests/transfer tests/cam tests/batchnorm
test-compat: $(COMPAT_STAMP)
	$(COMPAT_VENV)/bin/python -m pytest $(COMPAT_TESTS) -p no:cacheprovider -q

# The chapters' full-profile branches, in the full profile against a local server of synthetic
# files in the real formats, sizes cut down (COURSE_SMOKE=1): tools/smoke_full.py. Listed
# chapters are every chapter with a full-profile branch (3-9), longest first: they run two at a time.
SMOKE_CHAPTERS := lessons/07_transfer_learning.ipynb lessons/03_keras_cnns.ipynb lessons/06_autoencoders.ipynb \
	lessons/08_segmentation.ipynb lessons/04_training.ipynb lessons/09_class_activation_maps.ipynb \
	lessons/05_batch_normalization.ipynb
test-full-smoke: $(STAMP)
	$(BIN)/python tools/smoke_full.py $(SMOKE_CHAPTERS)


# The GitHub workflows checked here, not after a push: actionlint (syntax, expressions, types)
# and zizmor (pinned actions, permissions, template injection), both pinned in the lock.
lint-workflows: $(STAMP)
	$(BIN)/actionlint .github/workflows/*.yml
	$(BIN)/zizmor --offline .github/workflows

# one stage after another, each timed (tools/run_stages.sh prints the table, also in
# _build/test-stages.md, and records it in benchmarks/results/ with the machine it ran on). Stages
# joined by + run at the same time, where one leaves a core idle: the installs (pip is mostly one
# core; the editable installs take turns, flock), the one-core Sphinx build beside the
# oldest-TensorFlow tests. (The browser checks beside the smoke chapters were measured slower than
# one after the other: 5 min 0 s against about 4 min 10 s.)
TEST_STAGES := venv+compat-venv+browser-deps test-unit lint-workflows test-notebooks book-stored+test-compat \
	test-built test-full-smoke
test:
	@MAKE="$(MAKE)" STAGES_RESULTS=benchmarks/results tools/run_stages.sh $(TEST_STAGES)
	@echo "make test: all stages passed"

execute: $(STAMP)
	$(BIN)/python tools/execute_notebooks.py $(NB)

# benchmarks time TensorFlow's default CPU kernels (oneDNN on, no cap on the instruction set), what
# users get; the settings above only keep the stored notebook outputs reproducible
# bench_pages.py weighs the built book: a fresh clone builds it from stored outputs first.
# Each script's output is recorded in benchmarks/results/ (BENCH_RESULTS, benchmarks/recorder.py)
# with the machine, date and commit; every script runs, and the target fails if one failed.
bench: $(STAMP)
	@test -f _build/html/index.html || $(MAKE) book-stored
	@failed=""; for script in benchmarks/bench_*.py; do echo "=== $$script"; \
		env -u OPENBLAS_CORETYPE -u ONEDNN_MAX_CPU_ISA -u NPY_DISABLE_CPU_FEATURES TF_ENABLE_ONEDNN_OPTS=1 \
		BENCH_RESULTS=benchmarks/results $(BIN)/python $$script || failed="$$failed $$script"; done; \
		test -z "$$failed" || { echo "make bench: failed:$$failed"; exit 1; }

clean:
	rm -rf _build .pytest_cache

lock: $(STAMP)
	$(BIN)/python tools/lock.py

# The public mirror (what students and the setup cell see): no masters, hidden tests or data scripts.
publish: $(STAMP)
	$(BIN)/python tools/publish.py $(or $(OUT),_build/public)

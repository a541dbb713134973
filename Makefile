# The quick-start commands (see README.md):
#   make editions   set up .venv and build every edition of the shipped essays
#   make test       set up .venv and run the whole test suite (what CI runs)
#   make check      the fast inner loop: every test but the slow ones (pytest -m "not slow")
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
SP     := $(BIN)/serge-publish

.PHONY: editions test check bench bench-pipeline clean

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --disable-pip-version-check -e '.[test]'
	touch $@

editions: $(VENV)/.installed
	$(SP) validate
	$(SP) extract
	$(SP) update
	$(SP) build

test: $(VENV)/.installed
	$(BIN)/python -m pytest -q

check: $(VENV)/.installed
	$(BIN)/python -m pytest -q -m "not slow"

bench: $(VENV)/.installed
	$(BIN)/python benchmarks/bench_segment.py

# The whole pipeline on a small synthetic project (larger: see benchmarks/PROFILE.md)
bench-pipeline: $(VENV)/.installed
	$(BIN)/python benchmarks/bench_pipeline.py --essays 2 --langs 3

clean:
	rm -rf build $(VENV)

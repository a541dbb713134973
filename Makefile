# The quick-start commands (see README.md):
#   make editions   set up .venv and build every edition of the shipped essays
#   make test       set up .venv (and chromium, as root) and run the whole test suite (CI)
#   make check      the fast inner loop: every test but the slow ones (pytest -m "not slow")
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
SP     := $(BIN)/serge-publish

.PHONY: editions test check lint bench bench-pipeline bench-anchors bench-scale bench-report clean browser

# The raster cover is drawn with DejaVu Serif (fonts-dejavu-core); the calibre conversion
# test needs calibre. Both come from Debian: installed when apt-get is there and we may
# (root, as CI runs), never failing the set-up otherwise (the cover then uses Pillow's own
# font; the calibre test is skipped, saying why).
SYSTEM_PACKAGES := fonts-dejavu-core calibre

$(VENV)/.installed: pyproject.toml
	@if command -v apt-get >/dev/null 2>&1 && [ "$$(id -u)" = 0 ] && \
	    ! dpkg -s $(SYSTEM_PACKAGES) >/dev/null 2>&1; then \
	  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
	    --no-install-recommends $(SYSTEM_PACKAGES) >/dev/null) || \
	  echo "warning: could not install $(SYSTEM_PACKAGES) (see the Makefile)"; \
	fi
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --disable-pip-version-check -e '.[test]'
	touch $@

editions: $(VENV)/.installed
	$(SP) validate
	$(SP) extract
	$(SP) update
	$(SP) build

# The browser test needs Debian's chromium: installed here when run as root with apt-get.
browser:
	@command -v chromium >/dev/null 2>&1 || command -v chromium-browser >/dev/null 2>&1 || \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium; \
	  else \
	    echo "chromium is missing: install it (apt-get install chromium) for the browser test" >&2; \
	  fi

test: $(VENV)/.installed browser
	$(BIN)/python -m pytest -q

check: $(VENV)/.installed
	$(BIN)/python -m pytest -q -m "not slow" -n 2

lint: $(VENV)/.installed
	$(BIN)/ruff check .
	$(BIN)/mypy

bench: $(VENV)/.installed
	$(BIN)/python benchmarks/bench_segment.py

# The whole pipeline on a small synthetic project (the README's performance section)
BENCH_OUT := benchmarks/results
bench-pipeline: $(VENV)/.installed
	mkdir -p $(BENCH_OUT)
	$(BIN)/python benchmarks/bench_pipeline.py --essays 2 --langs 3 --json $(BENCH_OUT)/n2.json

# The README's performance table: N=20/L=5 beside Sphinx + sphinx-intl and po4a + pandoc
# (pip extra "bench"; po4a and pandoc from Debian, installed here as root), then N=200/L=10.
ANCHOR_PACKAGES := po4a pandoc
bench-anchors: $(VENV)/.installed
	$(BIN)/pip install --quiet --disable-pip-version-check -e '.[test,bench]'
	@command -v po4a >/dev/null 2>&1 && command -v pandoc >/dev/null 2>&1 || \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
	      --no-install-recommends $(ANCHOR_PACKAGES) >/dev/null; \
	  else echo "po4a or pandoc is missing: that anchor is skipped" >&2; fi
	mkdir -p $(BENCH_OUT)
	$(BIN)/python benchmarks/bench_pipeline.py --essays 20 --langs 5 --anchors \
	  --json $(BENCH_OUT)/n20.json

bench-scale: $(VENV)/.installed
	mkdir -p $(BENCH_OUT)
	$(BIN)/python benchmarks/bench_pipeline.py --essays 200 --langs 10 --budget 1800 \
	  --json $(BENCH_OUT)/n200.json

# The README's performance tables from whichever of the three runs above are there
bench-report: $(VENV)/.installed
	$(BIN)/python benchmarks/report.py $(wildcard $(BENCH_OUT)/n2.json $(BENCH_OUT)/n20.json $(BENCH_OUT)/n200.json)

clean:
	rm -rf build $(VENV)

# The two commands a contributor needs: `make site` and `make test`.
# Both create .venv on first use and reinstall when pyproject.toml changes.

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
NODE_STAMP := node_modules/.installed

.PHONY: site test check audit bench clean

$(STAMP): pyproject.toml
	$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11) and "Python 3.11+ is required")'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --disable-pip-version-check -e '.[test]'
	$(BIN)/python -m compileall -q src  # as pip does for a regular install: no command compiles the package itself
	touch $(STAMP)

# The reference Mermaid renderer and the Nu HTML checker, for the tests. Without npm those
# tests are skipped (and fail under CI=true, where they must run).
$(NODE_STAMP): package.json package-lock.json
	@if command -v npm >/dev/null 2>&1; then \
		PUPPETEER_SKIP_DOWNLOAD=1 npm ci --no-audit --no-fund --loglevel=error && touch $@; \
	else echo "npm not found: skipping the Node tools (mermaid-cli, vnu)"; fi

site: $(STAMP)
	$(BIN)/glossary build . -o _site

check: $(STAMP)
	$(BIN)/glossary check . --strict

# On every core, each test module whole on one worker, in the order tests/conftest.py gives (pytest-xdist).
test: $(STAMP) $(NODE_STAMP)
	$(BIN)/pytest -n auto --dist loadfile --no-loadscope-reorder

# Lighthouse on the home page, a term page and a lesson page (mobile and desktop); scores go in docs/quality.md.
audit: $(STAMP) $(NODE_STAMP)
	$(BIN)/python tools/audit.py

# glossary-ssg against Hugo (Debian's hugo) and MkDocs at 1,000 and 10,000 terms; see docs/benchmarks.md.
BENCH_STAMP := $(VENV)/.bench-installed
$(BENCH_STAMP): $(STAMP)
	$(BIN)/pip install --quiet --disable-pip-version-check -e '.[test,bench]'
	touch $@

bench: $(BENCH_STAMP)
	@command -v hugo >/dev/null || { echo "hugo not found: apt-get install hugo"; exit 1; }
	cd bench && ../$(BIN)/python run.py --work work --out results.md

clean:
	rm -rf $(VENV) _site .pytest_cache node_modules .glossary-cache bench/work

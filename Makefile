# Every target sets itself up from a bare machine, without root: a .venv with coursekit and its
# extras. Pictures are laid out by graphviz-pure, a wheel of the notebook extra; a system Graphviz
# `dot` is used when there is one and never needed. Only the browser tests need a system package
# (Chromium), installed with apt-get when we are root, otherwise we say how.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
READY  := $(VENV)/.installed

BROWSER_READY := $(VENV)/.installed-browser
DOCS_READY    := $(VENV)/.installed-docs
LITE_READY    := $(VENV)/.installed-lite

.PHONY: setup demo test test-browser test-lite chromium bench docs lite npm clean

setup: $(READY)

$(READY): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $@

# $(call apt_install,COMMAND,DEBIAN_PACKAGE,HINT): install the package with apt-get when
# COMMAND is missing and we are root; otherwise print HINT and fail.
apt_install = command -v $(1) >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
	    echo "Installing $(2) with apt-get..."; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $(2) >/dev/null; \
	  else \
	    echo "$(3)"; \
	    exit 1; \
	  fi; }

NPM_HINT      := npm is missing (the browser course takes Pyodide and Graphviz from the npm registry). \
  Install it with: sudo apt-get install -y npm (or Node.js from nodejs.org, which brings npm)
CHROMIUM_HINT := Chromium is missing. Install it with: sudo apt-get install -y chromium \
  (or set COURSEKIT_CHROMIUM to a Chromium or Chrome binary)

demo: setup
	$(BIN)/coursekit demo

test: setup
	$(BIN)/ruff check .
	$(BIN)/python -m pytest

# Browser tests: the system Chromium driven by Playwright (no browser downloads).
test-browser: setup chromium $(BROWSER_READY)
	$(BIN)/python -m pytest tests/browser --ignore=tests/browser/lite

$(BROWSER_READY): pyproject.toml $(READY)
	$(BIN)/python -m pip install --quiet -e '.[dev,browser]'
	touch $@

chromium:
	@[ -n "$$COURSEKIT_CHROMIUM" ] || $(call apt_install,chromium,chromium,$(CHROMIUM_HINT))

npm:
	@$(call apt_install,npm,npm,$(NPM_HINT))

# The browser course in dist/lite/ (with the release's zips beside it): a static JupyterLite site
# built from pinned packages of PyPI and npm (coursekit.course.lite); then its test in Chromium.
lite: setup npm $(LITE_READY)
	$(BIN)/coursekit release --lite --out dist

test-lite: lite chromium $(BROWSER_READY)
	$(BIN)/python -m pytest tests/browser/lite

$(LITE_READY): pyproject.toml $(READY)
	$(BIN)/python -m pip install --quiet -e '.[dev,lite-build]'
	touch $@

# Each benchmark's table also goes to docs/benchmarks/, which the docs' benchmarks page includes.
# A failed run leaves the last table in place.
bench: setup
	@for script in bench/*.py; do echo "== $$script"; table=docs/benchmarks/$$(basename $$script .py).txt; \
	  $(BIN)/python $$script > $$table.new || { rm -f $$table.new; exit 1; }; mv $$table.new $$table; cat $$table; done

# The docs site in site/: the chapters executed from solutions/ and stripped of their answers
# (docs/course/, re-run only when a chapter or value.py changes), then MkDocs in strict mode,
# then the checks on what was built (tests/docs). No --quiet: it would hide the warnings that
# --strict turns into failures, and the build would pass.
CHAPTERS  := $(wildcard solutions/ch*.ipynb)
PUBLISHED := $(patsubst solutions/%,docs/course/%,$(CHAPTERS))

docs: export NO_MKDOCS_2_WARNING = 1  # Material prints an end-of-life banner on every build otherwise
docs: setup $(DOCS_READY) $(PUBLISHED)
	$(BIN)/mkdocs build --strict
	$(BIN)/python -m pytest tests/docs -q

docs/course/%.ipynb: solutions/%.ipynb solutions/value.py $(DOCS_READY)
	$(BIN)/python -m coursekit.course.publish $< $@

$(DOCS_READY): pyproject.toml $(READY)
	$(BIN)/python -m pip install --quiet -e '.[dev,docs]'
	touch $@

# Everything the targets above and the tests make, and nothing else.
clean:
	rm -rf $(VENV) demo-output gpt-output dist build site docs/course/*.ipynb test-artifacts .pytest_cache .hypothesis .ruff_cache
	find . -name __pycache__ -type d -prune -exec rm -rf {} +
	rm -rf *.egg-info

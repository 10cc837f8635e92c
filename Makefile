# Two commands on a fresh machine:
#   make demo   train the main example end to end
#   make test   run the whole test suite
# Each creates .venv and installs what it needs on first use.

PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python

.PHONY: help demo test bench lint docs notebooks graphviz clean

help:
	@echo "make demo    train the digits example end to end (installs what it needs)"
	@echo "make test    run the whole test suite (installs what it needs)"
	@echo "make bench   time the engine against NumPy by hand (and PyTorch if installed)"
	@echo "make docs    build the documentation site (make notebooks: the tutorials as Jupyter notebooks)"
	@echo "make lint    ruff and mypy;  make clean: remove .venv and everything the commands wrote"

# The demo needs the package and the examples' extras (figures, progress bar);
# everything else (tests, docs) installs the rest on top.
$(VENV)/.demo: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e ".[examples]"
	touch $@

$(VENV)/.installed: $(VENV)/.demo
	$(PY) -m pip install --quiet -e ".[dev,examples,docs]"
	touch $@

# The graph drawings need Graphviz's `dot` program (a system package, not a pip one).
graphviz:
	@command -v dot >/dev/null 2>&1 || { \
	  echo "Installing Graphviz (dot)..."; \
	  if [ "$$(id -u)" = 0 ]; then SUDO=; else SUDO=sudo; fi; \
	  if command -v apt-get >/dev/null 2>&1; then \
	    $$SUDO apt-get update -qq && $$SUDO apt-get install -y -qq graphviz >/dev/null; \
	  elif command -v brew >/dev/null 2>&1; then brew install graphviz; \
	  else echo "Please install Graphviz (https://graphviz.org/download/)"; exit 1; fi; }

demo: $(VENV)/.demo graphviz
	$(PY) examples/digits.py

test: $(VENV)/.installed graphviz
	$(PY) -m pytest

bench: $(VENV)/.installed
	$(PY) benchmarks/bench_core.py
	$(PY) benchmarks/bench_training.py

docs: $(VENV)/.installed
	NO_MKDOCS_2_WARNING=1 $(VENV)/bin/mkdocs build --strict

notebooks: $(VENV)/.installed
	$(PY) docs/make_notebooks.py

lint: $(VENV)/.installed
	$(VENV)/bin/ruff check tinygrad_edu tests examples benchmarks
	$(VENV)/bin/ruff format --check tinygrad_edu tests examples benchmarks
	$(VENV)/bin/mypy

clean:
	rm -rf $(VENV) .pytest_cache .hypothesis build *.egg-info out site

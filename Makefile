# One command opens the course (make lab); one runs every test (make test).
# Both create .venv with python3 -m venv on first use and install the project.

PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed

.PHONY: lab test e2e site notebooks homework bench clean help

help:
	@echo "make lab        open the course in JupyterLab"
	@echo "make test       every test: pytest (unit, property and doctests, nbval on every notebook,"
	@echo "                the Binder recipe check, the site build), then make e2e"
	@echo "make e2e        every notebook run in JupyterLab in headless Chromium: no errors, widgets"
	@echo "                render, a slider redraws; then the built site; screenshots in build/e2e/"
	@echo "make site       the course as static HTML, built offline, in build/site/"
	@echo "make notebooks  re-execute every notebook and homework master in place (after changing klteach)"
	@echo "make homework   autograded assignments (student and autograder copies) and the notebooks' student copies and answer keys, in homework/dist/"
	@echo "make bench      speed and accuracy against scipy"

$(PY):
	$(PYTHON) -m venv $(VENV) || { rm -rf $(VENV); \
	  echo "'$(PYTHON) -m venv' failed: on Debian or Ubuntu, install the venv module (apt-get install python3-venv)."; \
	  exit 1; }

$(STAMP): pyproject.toml constraints.txt | $(PY)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e ".[course,test,site,homework]" -c constraints.txt
	$(PY) -c "import matplotlib.pyplot"   # build the font cache now, not inside a notebook
	touch $(STAMP)

# Jupyter refuses to run as root (containers, CI) unless told it may.
ROOT_FLAG := $(if $(filter 0,$(shell id -u)),--allow-root)

lab: $(STAMP)
	$(VENV)/bin/jupyter lab $(ROOT_FLAG) notebooks/00_start_here.ipynb

test: $(STAMP)
	$(PY) -m pytest
	$(MAKE) --no-print-directory e2e

notebooks: $(STAMP)
	$(PY) tools/execute_notebooks.py notebooks/*.ipynb homework/hw*.ipynb

# Autograded assignments (otter-grader, from homework/hw*.ipynb) and the
# notebooks' own exercises, all in homework/dist/; see homework/README.md.
homework: $(STAMP)
	$(PY) tools/homework.py assign homework/hw*.ipynb --out homework/dist
	$(PY) tools/homework.py student notebooks/*.ipynb --out homework/dist/notebooks/student
	$(PY) tools/homework.py key notebooks/*.ipynb --out homework/dist/notebooks/key

bench: $(STAMP)
	for script in benchmarks/bench_*.py; do $(PY) $$script || exit 1; done

site: $(STAMP)
	$(PY) tools/site.py --out build/site notebooks/*.ipynb

BROWSER_STAMP := $(VENV)/.installed-browser
$(BROWSER_STAMP): $(STAMP)
	$(PY) -m pip install --quiet -e ".[browser]" -c constraints.txt
	touch $(BROWSER_STAMP)

# Debian's chromium (Playwright's own browser download is not used). As root it
# is installed here; otherwise say how.
CHROMIUM := /usr/bin/chromium
$(CHROMIUM):
	@if [ "$$(id -u)" = 0 ]; then \
	  echo "Installing Debian's chromium for make e2e (apt-get, about 30 s)"; \
	  export DEBIAN_FRONTEND=noninteractive; \
	  apt-get update -qq && apt-get install -y -qq chromium >/dev/null \
	    && test -x $(CHROMIUM) || { echo "apt-get did not install $(CHROMIUM)"; exit 1; }; \
	else \
	  echo "make e2e needs Debian's chromium at $(CHROMIUM) and apt-get needs root:"; \
	  echo "  sudo apt-get update && sudo apt-get install -y chromium"; \
	  echo "then run make e2e (or make test) again."; \
	  exit 1; \
	fi

e2e: $(BROWSER_STAMP) $(CHROMIUM) site
	$(PY) tools/e2e.py --shots build/e2e --site build/site notebooks/*.ipynb

clean:
	rm -rf $(VENV) .pytest_cache .hypothesis build *.egg-info homework/dist

# One command opens the course (make lab); one runs every test (make test).
# Both create .venv with python3 -m venv on first use and install the project.

PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed

.PHONY: lab test notebooks homework bench browser-check clean help

help:
	@echo "make lab        open the course in JupyterLab"
	@echo "make test       unit, property and doctests, plus nbval on every notebook"
	@echo "make notebooks  re-execute every notebook in place (after changing klteach)"
	@echo "make homework   autograded assignments (student and autograder copies) and the notebooks' student copies and answer keys, in homework/dist/"
	@echo "make bench      speed and accuracy against scipy"
	@echo "make browser-check  run every notebook in JupyterLab in headless Chromium and move its explorer"

$(PY):
	$(PYTHON) -m venv $(VENV) || { rm -rf $(VENV); \
	  echo "'$(PYTHON) -m venv' failed: on Debian or Ubuntu, install the venv module (apt-get install python3-venv)."; \
	  exit 1; }

$(STAMP): pyproject.toml constraints.txt | $(PY)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e ".[course,test,homework]" -c constraints.txt
	$(PY) -c "import matplotlib.pyplot"   # build the font cache now, not inside a notebook
	touch $(STAMP)

# Jupyter refuses to run as root (containers, CI) unless told it may.
ROOT_FLAG := $(if $(filter 0,$(shell id -u)),--allow-root)

lab: $(STAMP)
	$(VENV)/bin/jupyter lab $(ROOT_FLAG) notebooks/00_start_here.ipynb

test: $(STAMP)
	$(PY) -m pytest

notebooks: $(STAMP)
	$(PY) tools/execute_notebooks.py notebooks/*.ipynb

# Autograded assignments (otter-grader, from homework/hw*.ipynb) and the
# notebooks' own exercises, all in homework/dist/; see homework/README.md.
homework: $(STAMP)
	$(PY) tools/homework.py assign homework/hw*.ipynb --out homework/dist
	$(PY) tools/homework.py student notebooks/*.ipynb --out homework/dist/notebooks/student
	$(PY) tools/homework.py key notebooks/*.ipynb --out homework/dist/notebooks/key

bench: $(STAMP)
	for script in benchmarks/bench_*.py; do $(PY) $$script || exit 1; done

# Needs Debian's chromium (apt-get install chromium); Playwright's own browser
# download is not used.
browser-check: $(STAMP)
	$(PY) -m pip install --quiet -e ".[browser]" -c constraints.txt
	$(PY) tools/browser_check.py notebooks/*.ipynb

clean:
	rm -rf $(VENV) .pytest_cache .hypothesis build *.egg-info browser-shots homework/dist

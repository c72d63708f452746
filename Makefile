# One command opens the course (make lab); one runs every test (make test).
# Both create .venv with python3 -m venv on first use: make lab installs what the
# course needs, make test (and the other targets) the test, site and homework tools too.

PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
COURSE_STAMP := $(VENV)/.installed-course
STAMP := $(VENV)/.installed

.PHONY: lab lint check test test-oldest java e2e site notebooks homework student-release repoint bench clean help

help:
	@echo "make lab        open the course in JupyterLab"
	@echo "make lint       ruff on every Python file (pyproject.toml [tool.ruff]); make check and make test run it first"
	@echo "make check      the fast edit loop (under a minute): unit, property and doctests of klteach and"
	@echo "                its course layer; no notebooks, site, Binder check, homework grading or browser"
	@echo "make test       every test: pytest (unit, property and doctests, nbval on every notebook,"
	@echo "                the Binder recipe check, the site build), make test-oldest, then make e2e"
	@echo "make test-oldest the library's tests on the oldest numpy, scipy, matplotlib and ipywidgets"
	@echo "                that pyproject.toml declares (constraints-oldest.txt), in .venv-oldest"
	@echo "make e2e        every notebook run in JupyterLab in headless Chromium: no errors, widgets"
	@echo "                render, each slider moved by the keyboard redraws, axe-core finds no serious or critical"
	@echo "                WCAG 2.1 A/AA violation in the outputs; then the built site, each page through axe;"
	@echo "                screenshots in build/e2e/"
	@echo "make site       the course as static HTML, built offline, in build/site/"
	@echo "make notebooks  re-execute every notebook and homework master in place (after changing klteach)"
	@echo "make homework   autograded assignments (student and autograder copies) and the notebooks' student copies and answer keys, in homework/dist/"
	@echo "make student-release REPO=OWNER/NAME REF=TAG [ASSIGNMENTS=hw01_definition,hw02_coding]"
	@echo "                the public student repository, in build/student-release/: assignments' student copies,"
	@echo "                notebooks without solutions, klteach, binder/; links point at REPO at REF"
	@echo "make repoint TO=OWNER/NAME [BRANCH=main]"
	@echo "                point every Binder, Colab and install link, and the site, at a fork (the setting is"
	@echo "                repository: in site/_config.yml)"
	@echo "make bench      speed and accuracy against scipy"

# klteach needs Python 3.11 or newer (the tested versions in constraints.txt have no 3.10 builds):
# say so in one line before anything is installed.
NEED_PYTHON = $(PYTHON) -c "import sys; sys.exit(sys.version_info < (3, 11))" 2>/dev/null || { \
	  echo "klteach needs Python 3.11 or newer; '$(PYTHON)' is $$($(PYTHON) --version 2>/dev/null || echo missing)." \
	       "Run make with PYTHON=python3.11 (or newer)."; exit 1; }

$(PY):
	@$(NEED_PYTHON)
	@echo "Creating $(VENV) with $(PYTHON) -m venv"
	@$(PYTHON) -m venv $(VENV) || { rm -rf $(VENV); \
	  echo "'$(PYTHON) -m venv' failed: on Debian or Ubuntu, install the venv module (apt-get install python3-venv)."; \
	  exit 1; }

# pip's own notices (a newer pip, setuptools' editable-install warnings) are not ours: keep
# the install quiet unless it fails.
PIP_INSTALL = PIP_DISABLE_PIP_VERSION_CHECK=1 $(PY) -m pip install --quiet --quiet

# What the course needs: klteach and JupyterLab.
$(COURSE_STAMP): pyproject.toml constraints.txt | $(PY)
	$(PIP_INSTALL) -e ".[course]" -c constraints.txt
	$(PY) -c "import matplotlib.pyplot"   # build the font cache now, not inside a notebook
	touch $(COURSE_STAMP)

# Everything else: the test tools, the site builder, otter-grader and the SQL engines
# the drift counting is tested on (DuckDB, PySpark).
$(STAMP): pyproject.toml constraints.txt | $(PY)
	$(PIP_INSTALL) -e ".[course,test,site,homework,engines]" -c constraints.txt
	$(PY) -c "import matplotlib.pyplot"
	touch $(COURSE_STAMP) $(STAMP)

# Jupyter refuses to run as root (containers, CI) unless told it may.
ROOT_FLAG := $(if $(filter 0,$(shell id -u)),--allow-root)

# tools/lab.py prints the address that opens notebooks/00_start_here.ipynb; LAB_IP=0.0.0.0
# serves other machines too (a container with its port published, a remote machine).
LAB_IP ?= 127.0.0.1
lab: $(COURSE_STAMP)
	$(PY) tools/lab.py --ip $(LAB_IP) $(ROOT_FLAG)

# The edit loop: unit, property and doctests only, hypothesis at 10 examples (the check profile in
# tests/conftest.py), tests marked slow left out. make test runs everything.
CHECK_IGNORE := tests/homework tests/course/test_answer_keys.py tests/test_site.py tests/test_packaging.py \
  tests/test_tools.py tests/test_repository.py tests/test_notebook_conventions.py tests/test_readme.py
# ruff in about a second, before any test: a make target rather than a pytest test, so that it
# fails first and alone (one line per finding, fixable ones by `ruff check --fix`), and so that a
# targeted pytest run stays about behaviour.
lint: $(STAMP)
	$(PY) -m ruff check .

check: lint
	$(PY) -m pytest -q -p no:nbval -o addopts="-p no:cacheprovider --doctest-modules --strict-markers" \
	  -m "not slow" --hypothesis-profile=check klteach tests $(CHECK_IGNORE:%=--ignore=%)

test: lint java
	$(PY) -m pytest
	$(MAKE) --no-print-directory test-oldest
	$(MAKE) --no-print-directory e2e

# The oldest versions pyproject.toml declares, tested: the library's unit, property and
# doctests (not the notebooks, whose stored outputs come from the pinned versions).
OLD_VENV := .venv-oldest
OLD_PY := $(OLD_VENV)/bin/python
OLD_STAMP := $(OLD_VENV)/.installed
$(OLD_STAMP): pyproject.toml constraints-oldest.txt Makefile
	@$(NEED_PYTHON)
	rm -rf $(OLD_VENV) && $(PYTHON) -m venv $(OLD_VENV)
	PIP_DISABLE_PIP_VERSION_CHECK=1 $(OLD_PY) -m pip install --quiet --quiet -e . pytest hypothesis mpmath nbformat nbclient \
	  -c constraints-oldest.txt
	touch $(OLD_STAMP)

test-oldest: $(OLD_STAMP)
	$(OLD_PY) -m pytest -q -o addopts="-p no:cacheprovider --doctest-modules" klteach tests/drift tests/course \
	  --ignore=tests/course/test_answer_keys.py --ignore=tests/drift/test_sql.py \
	  $$(ls tests/test_*.py | grep -v -E "test_(packaging|site|notebook_conventions|notebook_template|readme)\.py")

notebooks: $(STAMP)
	$(PY) tools/execute_notebooks.py notebooks/*.ipynb homework/hw*.ipynb

# Autograded assignments (otter-grader, from homework/hw*.ipynb) and the
# notebooks' own exercises, all in homework/dist/; see homework/README.md.
homework: $(STAMP)
	$(PY) tools/homework.py assign homework/hw*.ipynb --out homework/dist
	$(PY) tools/homework.py student notebooks/*.ipynb --out homework/dist/notebooks/student
	$(PY) tools/homework.py key notebooks/*.ipynb --out homework/dist/notebooks/key

# The tree to push as the public student repository (homework/README.md, section 2):
# no master, no autograder, no solution. Links point at REPO at REF.
REPO ?= YOUR-GITHUB-ACCOUNT/klteach-students
REF ?= main
student-release: $(STAMP)
	$(PY) tools/release.py --out build/student-release --repo $(REPO) --ref $(REF) $(if $(ASSIGNMENTS),--assignments $(ASSIGNMENTS))

# The repository's name and branch live in site/_config.yml; this rewrites them there and in every link (stdlib only).
repoint:
	@test -n "$(TO)" || { echo "usage: make repoint TO=OWNER/NAME [BRANCH=main]"; exit 2; }
	@$(NEED_PYTHON)
	$(PYTHON) tools/repository.py set $(TO) $(if $(BRANCH),--branch $(BRANCH))

bench: $(STAMP) java
	for script in benchmarks/bench_*.py; do $(PY) $$script || exit 1; done

# Jupyter Book: every notebooks/NN_*.ipynb, in order (tools/site.py globs them), sources
# assembled in build/site-src.
site: $(STAMP)
	$(PY) tools/site.py --out build/site

# PySpark 4 (the engine tests in make test) needs a Java 17+ runtime: Debian's headless JRE.
# As root it is installed here; otherwise say how.
java:
	@if command -v java >/dev/null 2>&1 || { [ -n "$$JAVA_HOME" ] && [ -x "$$JAVA_HOME/bin/java" ]; }; then :; \
	elif [ "$$(id -u)" = 0 ]; then \
	  echo "Installing Debian's headless Java runtime for the Spark tests (apt-get, about a minute)"; \
	  export DEBIAN_FRONTEND=noninteractive; \
	  apt-get update -qq && apt-get install -y -qq default-jre-headless >/dev/null \
	    && command -v java >/dev/null || { echo "apt-get did not install java"; exit 1; }; \
	else \
	  echo "make test runs Spark, which needs a Java 17+ runtime, and apt-get needs root:"; \
	  echo "  sudo apt-get update && sudo apt-get install -y default-jre-headless"; \
	  echo "then run make test again."; \
	  exit 1; \
	fi

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
	rm -rf $(VENV) $(OLD_VENV) .pytest_cache .hypothesis build *.egg-info homework/dist

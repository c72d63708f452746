"""Test configuration: reproducible hypothesis runs in CI; tools/ importable as when run as scripts."""

import os
import sys
from pathlib import Path

from hypothesis import settings

# tools/*.py import their siblings (e.g. tools/extras.py) the way `python tools/x.py` allows.
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tools"))

# Locally, hypothesis explores new examples each run; in CI (CI=true) the
# examples are derandomized so a landing never depends on luck.
settings.register_profile("ci", derandomize=True, deadline=None, print_blob=True)
settings.register_profile("dev", deadline=None, print_blob=True)
# make check (the edit loop) runs each property on 10 examples: --hypothesis-profile=check.
settings.register_profile("check", max_examples=10, deadline=None, print_blob=True)
settings.load_profile("ci" if os.environ.get("CI") else "dev")

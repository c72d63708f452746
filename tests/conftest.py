"""Test configuration: reproducible hypothesis runs in CI."""

import os

from hypothesis import settings

# Locally, hypothesis explores new examples each run; in CI (CI=true) the
# examples are derandomized so a landing never depends on luck.
settings.register_profile("ci", derandomize=True, deadline=None, print_blob=True)
settings.register_profile("dev", deadline=None, print_blob=True)
settings.load_profile("ci" if os.environ.get("CI") else "dev")

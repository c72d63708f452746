"""Stop with one line naming the extra to install when a tool's dependency is missing.

The tools in this folder need more than klteach: the site builder needs the
``site`` extra, the homework tools ``homework``, the browser tests ``browser``.
Without it, a tool says which extra to install instead of ending in a
``ModuleNotFoundError`` traceback.
"""

from __future__ import annotations

import importlib
import sys


def require(extra: str, *modules: str, target: str) -> None:
    """Import ``modules`` or exit with the install command for ``extra`` (``make target`` does it)."""
    for name in modules:
        try:
            importlib.import_module(name)
        except ImportError:
            sys.exit(f"{sys.argv[0]}: {name} is missing; it comes with klteach's '{extra}' extra: "
                     f"python -m pip install -e \".[{extra}]\" -c constraints.txt (make {target} installs it).")

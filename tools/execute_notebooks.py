"""Execute notebooks top to bottom in a fresh kernel and store their outputs.

Usage: python tools/execute_notebooks.py notebooks/01_definition.ipynb [...]

Run it whenever klteach changes what a notebook shows; nbval then compares
the stored outputs with a fresh run. Cells tagged ``raises-exception`` may
raise; any other error stops with the notebook left unchanged.
"""

import sys
from pathlib import Path

import nbformat
from nbclient import NotebookClient


def execute(path: Path) -> None:
    nb = nbformat.read(path, as_version=4)
    # Cells take seconds; a short timeout also bounds nbclient's rare missed
    # wake-up for a reply that has arrived (see CELL_TIMEOUT in homework.py).
    client = NotebookClient(nb, timeout=120, kernel_name="python3",
                            resources={"metadata": {"path": str(path.parent)}})
    client.execute()
    nbformat.write(nb, path)
    print(f"executed {path}")


if __name__ == "__main__":
    for arg in sys.argv[1:]:
        execute(Path(arg))

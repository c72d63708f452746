"""Execute notebooks top to bottom in a fresh kernel and store their outputs.

Usage: python tools/execute_notebooks.py notebooks/01_definition.ipynb [...]

Run it whenever klteach changes what a notebook shows; nbval then compares
the stored outputs with a fresh run. Cells tagged ``raises-exception`` may
raise; any other error stops with the notebook left unchanged.

A re-run that shows the same thing writes the same file: no timing metadata
is recorded, and the random ids of widget models are replaced by ids derived
from the notebook's name and their order, and consecutive pieces of printed
text are joined into one output (the kernel sends them in pieces that depend
on timing), so a diff holds only what changed.
"""

import hashlib
import json
import sys
from pathlib import Path

import nbformat
from nbclient import NotebookClient

from kernels import kernel_config

WIDGET_STATE = "application/vnd.jupyter.widget-state+json"


def stable_widget_ids(nb, name: str):
    """``nb`` with each widget model id replaced by one derived from ``name`` and its order."""
    state = nb.metadata.get("widgets", {}).get(WIDGET_STATE, {}).get("state", {})
    if not state:
        return nb
    text = json.dumps(nb)
    for order, old in enumerate(list(state)):
        new = hashlib.sha256(f"{name}:{order}".encode()).hexdigest()[:32]
        text = text.replace(old, new)
    return nbformat.from_dict(json.loads(text))


def joined_streams(outputs: list) -> list:
    """``outputs`` with each run of consecutive stdout (or stderr) pieces joined into one output."""
    joined = []
    for output in outputs:
        if (output.get("output_type") == "stream" and joined
                and joined[-1].get("output_type") == "stream" and joined[-1]["name"] == output["name"]):
            joined[-1]["text"] += output["text"]
        else:
            joined.append(output)
    return joined


def execute(path: Path) -> None:
    nb = nbformat.read(path, as_version=4)
    # Cells take seconds; a short timeout also bounds nbclient's rare missed
    # wake-up for a reply that has arrived (see CELL_TIMEOUT in homework.py).
    client = NotebookClient(nb, timeout=120, kernel_name="python3", record_timing=False,
                            config=kernel_config(), resources={"metadata": {"path": str(path.parent)}})
    client.execute()
    for cell in nb.cells:
        cell.metadata.pop("execution", None)
        if cell.cell_type == "code":
            cell.outputs = joined_streams(cell.outputs)
    nbformat.write(stable_widget_ids(nb, path.name), path)
    print(f"executed {path}")


if __name__ == "__main__":
    for arg in sys.argv[1:]:
        execute(Path(arg))

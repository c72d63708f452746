"""The machinery of the notebooks' interactive explorers (ipywidgets).

Each explorer answers one question and is built on a plain function that
draws the same figure for fixed values, so a notebook can show a static
figure that nbval compares and that renders where widgets do not. The
explorers themselves live in each notebook's module (``klteach.course.nbNN_*``);
this module holds what they share (a slider that redraws on release, rows of
controls above an output). Shared internal API of :mod:`klteach.course`.
"""

from __future__ import annotations

import ipywidgets as widgets

__all__ = []


_STYLE = {"description_width": "initial"}   # show each control's label in full


def _slider(value, low, high, step, description):
    """A float slider that redraws when released, not at every step of a drag."""
    return widgets.FloatSlider(value=value, min=low, max=high, step=step, description=description,
                               style=_STYLE, continuous_update=False)


def _explorer(draw, controls, rows):
    """Rows of controls (lists of widgets) above the output of ``draw(**controls' values)``."""
    out = widgets.interactive_output(draw, controls)
    return widgets.VBox([*(widgets.HBox(row) for row in rows), out])

"""The course layer: what the notebooks draw, explore and check (needs matplotlib and ipywidgets).

The maths lives in :mod:`klteach` itself; nothing there imports this package. Here:

- :mod:`~klteach.course.style`: the house plot style (palette, hatches, markers, ``use_style``);
- :mod:`~klteach.course.feedback` and :mod:`~klteach.course.units`: the checks' shared machinery
  (``Feedback``, the precision policy, reading answers, ``check_number``, ``check_choice``,
  ``CHOICES``; log bases and wrong-base mistakes);
- :mod:`~klteach.course.explorer`: what the interactive explorers share;
- one module per notebook, ``nbNN_<notebook name>.py`` (``nb06_drift.py`` for
  ``notebooks/06_drift.ipynb``), holding that notebook's figures, explorers and exercise
  checks. A helper used by several notebooks lives in the module of the first notebook that
  uses it; each public helper's docstring names its notebooks in a "Used in" line.

Notebooks keep importing ``from klteach import exercises, plots, widgets``: those modules
re-export every public name here. A new notebook NN gets ``klteach/course/nbNN_<name>.py``
and ``tests/course/test_nbNN_<name>.py`` (tests/test_layout.py checks both exist). The
underscore helpers of the shared modules (style, feedback, units, explorer) are their internal
API for the notebook modules; no other module's private names are imported.
"""

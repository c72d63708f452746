"""The public API (``klteach.__all__``): every public function of a library module is exported
or listed below as deliberately module-level, and each exported function's docstring has what
CONTRIBUTING.md's recipe for a new divergence asks (parameters, returns, a doctested example;
for a divergence also its formula and See Also).
"""

from __future__ import annotations

import importlib
import inspect
import re
from pathlib import Path

import pytest

import klteach

ROOT = Path(__file__).resolve().parents[1]
# The re-export modules of the course layer (klteach/course/) are not the library.
FACADES = {"exercises", "plots", "widgets"}
LIBRARY = sorted(p.stem for p in (ROOT / "klteach").glob("[a-z]*.py") if p.stem not in FACADES)
# Public, and used as ``klteach.<module>.<name>``: helpers of one topic, not exported at the top.
MODULE_LEVEL = {
    "coding": {"encode", "decode"},
    "datasets": {"letter_frequencies", "iris", "us_macro", "pride_and_prejudice"},
    "fits": {"mixture_logpdf", "mixture_pdf"},
    "text": {"clean_text", "char_counts", "pair_counts", "fit_bigram", "sample_bigram"},
    "training": {"predict_proba"},
}
EXPORTED = [name for name in klteach.__all__ if inspect.isfunction(getattr(klteach, name))]
DIVERGENCE = re.compile(r"(divergence|_kl|_distance|entropy|total_variation|mutual_information"
                        r"|kl_contributions)$")


def test_the_library_modules_are_found():
    assert {"discrete", "gaussian", "symmetric"} <= set(LIBRARY)


@pytest.mark.parametrize("module", LIBRARY)
def test_every_public_function_is_exported_or_listed_as_module_level(module):
    mod = importlib.import_module(f"klteach.{module}")
    public = {name for name, obj in vars(mod).items()
              if inspect.isfunction(obj) and obj.__module__ == mod.__name__ and not name.startswith("_")}
    missing = public - set(klteach.__all__) - MODULE_LEVEL.get(module, set())
    assert not missing, (f"klteach/{module}.py: {sorted(missing)} not in klteach/__init__.py's imports "
                         f"and __all__ (or in MODULE_LEVEL here, if meant for klteach.{module}.<name>)")


@pytest.mark.parametrize("name", EXPORTED)
def test_every_exported_function_documents_its_parameters_result_and_an_example(name):
    doc = inspect.getdoc(getattr(klteach, name)) or ""
    for section in ("Parameters", "Returns", "Examples"):
        assert f"\n{section}\n{'-' * len(section)}\n" in doc, f"{name}: no {section} section"
    assert "\n>>> " in doc, f"{name}: the Examples section has no doctest"


@pytest.mark.parametrize("name", [n for n in EXPORTED if DIVERGENCE.search(n)])
def test_every_divergence_states_its_formula_and_its_relatives(name):
    doc = inspect.getdoc(getattr(klteach, name)) or ""
    assert "math:" in doc, f"{name}: no formula (.. math:: or :math:)"
    assert "\nSee Also\n--------\n" in doc, f"{name}: no See Also section"

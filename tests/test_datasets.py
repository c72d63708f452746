"""Tests of the letter-frequency and iris loaders (klteach.datasets, notebooks 02-04)."""

from __future__ import annotations

import numpy as np
import pytest

from klteach.datasets import iris, letter_frequencies


@pytest.mark.parametrize("language", ["english", "german", "spanish"])
def test_letter_frequencies_are_distributions_over_a_to_z(language):
    letters, p = letter_frequencies(language)
    assert letters == [chr(c) for c in range(ord("a"), ord("z") + 1)]
    assert p.shape == (26,) and np.all(p > 0)
    assert p.sum() == pytest.approx(1.0, abs=1e-15)
    assert letters[int(np.argmax(p))] == "e"   # the most common letter in all three


def test_letter_frequencies_match_published_tables_roughly():
    # Classic English letter tables (e.g. Lewand, "Cryptological Mathematics", 2000) give
    # e ~ 12.7 %, t ~ 9.1 %, z ~ 0.07 %; word-list based frequencies agree to a point or so.
    letters, p = letter_frequencies("english")
    f = dict(zip(letters, p))
    assert 0.11 < f["e"] < 0.135 and 0.08 < f["t"] < 0.10 and f["z"] < 0.002
    _, german = letter_frequencies("german")
    assert german[letters.index("z")] > 5 * f["z"]   # z is far more common in German


def test_unknown_language():
    with pytest.raises(ValueError, match="language must be one of.*'english'"):
        letter_frequencies("klingon")


def test_iris_matches_fishers_table():
    X, species, features, names = iris()
    assert X.shape == (150, 4) and features[0] == "sepal_length_cm"
    assert names == ["setosa", "versicolor", "virginica"]
    assert np.bincount(species).tolist() == [50, 50, 50]
    assert X[0].tolist() == [5.1, 3.5, 1.4, 0.2]
    # Means in Fisher (1936) / every iris summary: 5.843, 3.057, 3.758, 1.199 cm
    np.testing.assert_allclose(X.mean(axis=0), [5.8433, 3.0573, 3.7580, 1.1993], atol=5e-5)

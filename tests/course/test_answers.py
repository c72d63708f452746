"""klteach.course.answers: the form checks every homework public test calls first."""

import decimal
import fractions

import numpy as np
import pytest

from klteach.course.answers import require_array, require_number


@pytest.mark.parametrize("value, message", [
    (..., "set x: replace the ..."),
    (None, "set x: it is None"),
    (np.exp, "x is a function: call it"),
    ("0.25", "x is text"),
    (b"0.25", "x is text"),
    ([0.25], "not a list of shape (1,)"),
    (np.array([0.25, 0.5]), "not an array of shape (2,)"),
    (np.array(None, dtype=object), "not an object array"),
    (True, "the result of a comparison"),
    (np.bool_(False), "the result of a comparison"),
    (0.25 + 1j, "complex number"),
    (np.float32(0.25), "x is a numpy float32, which keeps fewer digits"),
    (np.float16(0.25), "float16"),
    (1, "not a whole number (int): did you round it"),
    (np.int64(1), "not a whole number (int64)"),
    (np.array(0.25), "convert it with float(...)"),
    (decimal.Decimal("0.25"), "convert it with float(...)"),
    (fractions.Fraction(1, 4), "convert it with float(...)"),
    ({"x": 0.25}, "a float, not a dict"),
    (np.timedelta64(1, "s"), "not a timedelta64"),
    (__import__("collections").namedtuple("Measures", "kl psi")(0.1, 0.2), "several named values (kl, psi)"),
    (__import__("collections").namedtuple("Measures", "kl x")(0.1, 0.2), "(result.x)"),   # the field named so
    ([[1.0], [1.0, 2.0]], "not a list: sum or pick"),   # a ragged list (numpy gives it no shape)
    (np.ma.masked, "masked value"),
    (np.ma.array(0.25, mask=False), "masked value"),
    (float("nan"), "x is nan (not a number): a 0 "),
    (float("inf"), "x is infinite"),
    (-float("inf"), "x is infinite"),
])
def test_require_number_names_each_wrong_form(value, message):
    with pytest.raises(AssertionError, match=message.replace("(", r"\(").replace(")", r"\)").replace(".", r"\.")):
        require_number("x", value)


def test_require_number_returns_a_float_and_takes_hints():
    assert require_number("x", 0.25) == 0.25 and type(require_number("x", np.float64(0.25))) is float
    assert require_number("x", float("inf"), finite=False) == float("inf")
    with pytest.raises(AssertionError, match="x is nan .*: from 0 / 0 here$"):
        require_number("x", float("nan"), finite=False, nan="from 0 / 0 here")
    with pytest.raises(AssertionError, match="^a zero means you rounded$"):
        require_number("x", 0.0, zero="a zero means you rounded")
    assert require_number("x", 0.0) == 0.0   # 0 is a number like any other unless the question says otherwise


@pytest.mark.parametrize("value, message", [
    (..., "set a: replace the ..."),
    ("0.5", "a is text"),
    ([0.5, 0.5], "should be a numpy array, not a list: wrap it in np.array"),
    (0.5, "should be a numpy array of shape (2,) (two halves), not a float"),
    (np.array(["0.5", "0.5"]), "a holds text, not numbers"),
    (np.array([0.5, None]), "should hold numbers, not object values"),
    (np.array([0.5, 0.25, 0.25]), "shape (2,), two halves; it has shape (3,)"),
    (np.array([0.5, 0.5], dtype=np.float32), "a is a float32 array, which keeps fewer digits"),
    (np.array([0.5, np.nan]), "a holds a nan (at position 1)"),
    (np.array([np.inf, 0.5]), "a holds an inf (at position 0)"),
])
def test_require_array_names_each_wrong_form(value, message):
    with pytest.raises(AssertionError) as raised:
        require_array("a", value, (2,), what="two halves")
    assert message in str(raised.value), str(raised.value)


def test_require_array_returns_float64():
    out = require_array("a", np.array([0.5, 0.25]), (2,), what="two halves")
    assert out.dtype == np.float64 and out.tolist() == [0.5, 0.25]


def test_require_array_refuses_whole_numbers_and_masks_and_names_each_non_finite_where_it_is():
    # from an expert's review: rounded (int) arrays passed, and a nan was placed at the inf's position
    with pytest.raises(AssertionError, match="holds whole numbers .*did you round them"):
        require_array("a", np.array([2, 3]), (2,), what="two lengths")
    with pytest.raises(AssertionError, match="masked array"):
        require_array("a", np.ma.array([0.5, 0.5]), (2,), what="two halves")
    with pytest.raises(AssertionError, match=r"a holds a nan \(at position 2\)"):
        require_array("a", np.array([0.2, 0.1, np.nan]), (3,), what="three")
    with pytest.raises(AssertionError, match=r"a holds an inf \(at position 0\)"):   # the first one named
        require_array("a", np.array([np.inf, 0.1, np.nan]), (3,), what="three")
    with pytest.raises(AssertionError, match="complex numbers, but the answer is real"):
        require_array("a", np.array([0.5 + 0j, 0.5]), (2,), what="two")
    if np.dtype(np.longdouble).itemsize > 8:   # (where long double is wider than float64)
        with pytest.raises(AssertionError, match="store it as float64"):
            require_array("a", np.array([0.5, 0.5], dtype=np.longdouble), (2,), what="two")
    out = require_array("a", np.array([0.5, 0.5]).view(type("Sub", (np.ndarray,), {})), (2,), what="two")
    assert type(out) is np.ndarray
    with pytest.raises(AssertionError, match=r"a holds an inf \(at position 0\)"):
        require_array("a", np.array([np.inf, 0.1, 0.2]), (3,), what="three")


def test_a_signalling_decimal_nan_is_named_not_raised():
    with pytest.raises(AssertionError, match="convert it with float"):
        require_number("x", decimal.Decimal("sNaN"), zero="zero")


def test_float32_is_accepted_only_where_asked():
    assert require_number("x", np.float32(0.25), float32=True) == 0.25
    assert require_array("a", np.array([0.5, 0.5], dtype=np.float32), (2,), what="two", float32=True).dtype == float
    with pytest.raises(AssertionError, match="float16"):
        require_number("x", np.float16(0.25), float32=True)

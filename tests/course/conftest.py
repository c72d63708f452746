"""Fixtures shared by the course's test modules (tests/course/)."""

import mpmath as mp
import pytest


@pytest.fixture
def fifty_digits():
    """mpmath at 50 digits for the test that uses it, whatever other test modules set globally.

    A module whose every test needs it says ``pytestmark = pytest.mark.usefixtures("fifty_digits")``."""
    with mp.workdps(50):
        yield

"""The detector's array helpers do exactly what the numpy functions they replace do."""

from __future__ import annotations

import numpy as np
import pytest

from kiosk.scanning.geometry import ahead, cross3


@pytest.mark.parametrize(("shape", "axis"), [((4, 2), 0), ((7, 4, 2), 1), ((3, 4), -1), ((5,), 0), ((6, 2), 0)])
@pytest.mark.parametrize("k", [-2, -1, 0, 1, 2, 5])
def test_ahead_is_roll_backwards(shape, axis, k):
    a = np.random.default_rng(1).normal(size=shape)
    got = ahead(a, k, axis)
    assert np.array_equal(got, np.roll(a, -k, axis=axis))
    got[...] = 0  # a new array, as np.roll gives
    assert a.any()


def test_cross3_is_np_cross_bit_for_bit():
    rng = np.random.default_rng(2)
    a, b = rng.normal(size=(50, 4, 3)) * 1e3, rng.normal(size=(50, 4, 3))
    assert np.array_equal(cross3(a, b), np.cross(a, b))
    assert np.array_equal(cross3(a[0, 0], b[0, 0]), np.cross(a[0, 0], b[0, 0]))

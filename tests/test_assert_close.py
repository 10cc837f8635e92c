"""tg.testing assert_close (testing/assert_close.py): verdicts and messages, compared with PyTorch's."""

import numpy as np
import pytest

import tinygrad_edu as tg
from tinygrad_edu.testing.assert_close import assert_close


def _message(actual, expected, **kw):
    with pytest.raises(AssertionError) as info:
        assert_close(actual, expected, **kw)
    return str(info.value)


def test_message_counts_mismatches_and_names_the_greatest_differences():
    message = _message(tg.tensor([1.0, 2.0, 3.0]), tg.tensor([1.0, 2.5, 3.1]))
    assert message == (
        "Tensor-likes are not close!\n\nMismatched elements: 2 / 3 (66.7%)\n"
        "Greatest absolute difference: 0.5 at index (1,) (up to 1e-05 allowed)\n"
        "Greatest relative difference: 0.20000000298023224 at index (1,) (up to 1.3e-06 allowed)"
    )
    ints = _message(tg.tensor([[1, 2], [3, 4]]), tg.tensor([[1, 3], [3, 5]]))
    assert (
        ints.startswith("Tensor-likes are not equal!")
        and "Greatest absolute difference: 1 at index (0, 1)\n" in ints
    )


def test_default_tolerances_follow_the_dtype():
    assert_close(tg.tensor([1.0]), tg.tensor([1.0 + 5e-6]))  # float32: atol 1e-5
    assert_close(tg.tensor([1000.0], dtype=tg.float16), tg.tensor([1000.5], dtype=tg.float16))  # rtol 1e-3
    with pytest.raises(AssertionError):
        assert_close(tg.tensor([1.0], dtype=tg.float64), tg.tensor([1.0 + 5e-6], dtype=tg.float64))
    with pytest.raises(AssertionError):
        assert_close(tg.tensor([1]), tg.tensor([2]))
    assert_close(tg.tensor([1.0]), tg.tensor([1.1]), rtol=0.2, atol=0)
    assert_close(tg.tensor([1.0, 2.0]), tg.tensor([1.0, 2.0], dtype=tg.float64), check_dtype=False)


def test_nan_inf_shape_dtype_and_scalars():
    with pytest.raises(AssertionError, match="nan at index"):
        assert_close(tg.tensor([1.0, float("nan")]), tg.tensor([1.0, float("nan")]))
    assert_close(tg.tensor([1.0, float("nan")]), tg.tensor([1.0, float("nan")]), equal_nan=True)
    assert_close(tg.tensor([float("inf")]), tg.tensor([float("inf")]))
    with pytest.raises(AssertionError):
        assert_close(tg.tensor([float("inf")]), tg.tensor([-float("inf")]))
    assert _message(tg.ones(3), tg.ones(4)) == "The values for attribute 'shape' do not match: (3,) != (4,)."
    assert "'dtype'" in _message(tg.ones(3), tg.ones(3, dtype=tg.float64))
    assert _message(1.0, 1.1).startswith("Scalars are not close!\n\nExpected 1.1 but got 1.0.")
    assert _message(tg.tensor(1), tg.tensor(2)) == (
        "Scalars are not equal!\n\nExpected 2 but got 1.\nAbsolute difference: 1\nRelative difference: 0.5"
    )
    assert "(d)types" in _message(1, 1.0)


def test_containers_msg_and_argument_errors():
    nested = _message({"a": [tg.ones(1), tg.tensor(2.0)]}, {"a": [tg.ones(1), tg.tensor(3.0)]})
    assert nested.endswith("The failure occurred for item ['a'][1]")
    assert "length" in _message([1.0], [1.0, 2.0])
    assert_close([1.0, tg.ones(2)], (1.0, tg.ones(2)))
    assert _message(tg.ones(1), tg.zeros(1), msg="custom") == "custom"
    assert _message(tg.ones(1), tg.zeros(1), msg=lambda m: "pre: " + m).startswith("pre: Tensor-likes")
    with pytest.raises(ValueError, match="atol"):
        assert_close(tg.ones(1), tg.ones(1), rtol=0.1)
    with pytest.raises(TypeError):
        assert_close(tg.ones(1), 1.0)
    assert_close(None, None)


def test_messages_match_torch():
    torch = pytest.importorskip("torch")
    cases = [
        (np.array([1.0, 2.0, 3.0], np.float32), np.array([1.0, 2.5, 3.1], np.float32), {}),
        (np.array([1, 2]), np.array([1, 3]), {}),
        (np.array([True]), np.array([False]), {}),
        (np.array([0.0, 2.0]), np.array([1.0, 2.0]), {}),
        (np.array([1.0, 2, 3, 4, 5], np.float16), np.array([1.0, 2, 3, 4, 5.01], np.float16), {}),
        (np.array([np.inf], np.float32), np.array([-np.inf], np.float32), {}),
        (np.array([1.5, 2], np.float32), np.array([1, 2]), {"check_dtype": False}),
        (np.array(1.0, np.float32), np.array(2.0, np.float32), {}),
    ]
    for actual, expected, kw in cases:
        with pytest.raises(AssertionError) as theirs:
            torch.testing.assert_close(torch.tensor(actual), torch.tensor(expected), **kw)
        assert _message(tg.tensor(actual), tg.tensor(expected), **kw) == str(theirs.value)

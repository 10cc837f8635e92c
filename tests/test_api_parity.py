"""The object APIs a PyTorch training script touches, as PyTorch 2.13 behaves (checked against it).

Module bookkeeping (state_dict's arguments, load_state_dict(assign=True),
always_call forward hooks), containers, optimizer and scheduler details, the
data loader, the random-state functions and gradcheck's options. The expected
behaviour (types, key names, texts) was read off PyTorch; no torch is needed.
"""

from __future__ import annotations

import warnings
from collections import OrderedDict

import numpy as np
import pytest

import tinygrad_edu as tg
import tinygrad_edu.random as tg_random
from tinygrad_edu import nn, optim
from tinygrad_edu.autograd import functional as F
from tinygrad_edu.data import DataLoader, TensorDataset, default_collate
from tinygrad_edu.optim import lr_scheduler
from tinygrad_edu.testing import gradcheck, gradgradcheck

# ---------------------------------------------------------------- Module


def test_state_dict_fills_a_destination_and_takes_the_deprecated_positional_form():
    model = nn.Sequential(nn.Linear(2, 3))
    destination: dict = {}
    out = model.state_dict(destination=destination, prefix="m.")
    assert out is destination and list(destination) == ["m.0.weight", "m.0.bias"]
    # PyTorch: state_dict(destination, prefix, keep_vars) positionally, with a FutureWarning
    with pytest.warns(FutureWarning):
        old = model.state_dict(None, "z.", True)
    assert list(old) == ["z.0.weight", "z.0.bias"] and old["z.0.weight"] is model[0].weight
    assert isinstance(model.state_dict(), OrderedDict)


def test_load_state_dict_with_assign_puts_the_loaded_tensors_in_place():
    model = nn.Sequential(nn.Linear(2, 2), nn.BatchNorm1d(2))
    model[0].bias.requires_grad_(False)
    weight = tg.full((2, 2), 3.0, dtype=tg.float64)
    bias = nn.Parameter(tg.ones(2))
    running_mean = tg.ones(2)
    sd = {
        "0.weight": weight,
        "0.bias": bias,
        "1.weight": tg.ones(2),
        "1.bias": tg.ones(2),
        "1.running_mean": running_mean,
        "1.running_var": tg.ones(2),
        "1.num_batches_tracked": tg.tensor(5),
    }
    old_weight = model[0].weight
    result = model.load_state_dict(sd, assign=True)
    assert repr(result) == "<All keys matched successfully>"
    # a Parameter over the loaded tensor's array, with its dtype and the old requires_grad
    assert isinstance(model[0].weight, nn.Parameter) and model[0].weight is not old_weight
    assert model[0].weight.dtype == tg.float64 and model[0].weight.requires_grad
    with tg.no_grad():
        model[0].weight.mul_(2)
    assert weight.tolist() == [[6.0, 6.0], [6.0, 6.0]]  # shares the loaded tensor's memory
    # a Parameter given is used as it is, taking the old one's requires_grad
    assert model[0].bias is bias and not bias.requires_grad
    assert model[1].running_mean is running_mean and model[1].num_batches_tracked.item() == 5
    assert [n for n, _ in model.named_parameters()] == ["0.weight", "0.bias", "1.weight", "1.bias"]


def test_load_state_dict_with_assign_changes_nothing_when_a_check_fails():
    model = nn.Linear(2, 2)
    old = model.weight
    with pytest.raises(RuntimeError, match="size mismatch for weight"):
        model.load_state_dict({"weight": tg.ones(3, 2), "bias": tg.ones(2)}, assign=True)
    assert model.weight is old


def test_incompatible_keys_print_as_pytorchs():
    model = nn.Linear(1, 1)
    sd = dict(model.state_dict(), extra=np.ones(1))
    result = model.load_state_dict(sd, strict=False)
    assert type(result).__name__ == "_IncompatibleKeys"
    assert repr(result) == "_IncompatibleKeys(missing_keys=[], unexpected_keys=['extra'])"
    assert result.unexpected_keys == ["extra"] and result.missing_keys == []


def test_an_always_call_forward_hook_runs_when_forward_raises():
    layer = nn.Linear(2, 2)
    log = []
    layer.register_forward_hook(lambda m, args, out: log.append(("always", out)), always_call=True)
    layer.register_forward_hook(lambda m, args, out: log.append(("plain", out)))
    with pytest.raises(RuntimeError):
        layer(tg.ones(3, 5))
    assert log == [("always", None)]  # forward did not finish: no output; the plain hook is skipped
    log.clear()
    layer(tg.ones(1, 2))
    assert [name for name, _ in log] == ["always", "plain"]  # and it runs once on success


def test_an_always_call_hook_runs_once_when_a_later_hook_raises():
    layer = nn.Linear(2, 2)
    calls = []

    def fail(m, args, out):
        raise ValueError("hook failed")

    layer.register_forward_hook(lambda m, args, out: calls.append(out.shape), always_call=True)
    layer.register_forward_hook(fail)
    with pytest.raises(ValueError, match="hook failed"):
        layer(tg.ones(1, 2))
    assert calls == [(1, 2)]


def test_an_always_call_hook_runs_when_a_pre_hook_raises_and_its_own_error_only_warns():
    layer = nn.Linear(2, 2)

    def fail_pre(m, args):
        raise KeyError("pre")

    def fail_post(m, args, out):
        raise ValueError("post")

    layer.register_forward_pre_hook(fail_pre)
    layer.register_forward_hook(fail_post, always_call=True)
    with pytest.warns(UserWarning, match="always_call"), pytest.raises(KeyError):
        layer(tg.ones(1, 2))


def test_dir_leaves_out_numbered_children_and_half_and_share_memory_return_the_module():
    model = nn.Sequential(nn.Linear(1, 1), nn.ReLU())
    assert not [name for name in dir(model) if name[0].isdigit()]
    assert "weight" in dir(model[0])
    assert model.share_memory() is model
    assert model.half() is model and model[0].weight.dtype == tg.float16
    assert nn.Module.call_super_init is False


def test_sequential_times_an_int_repeats_the_same_modules():
    a, b = nn.Linear(1, 1), nn.ReLU()
    seq = nn.Sequential(a, b)
    twice = seq * 2
    assert type(twice) is nn.Sequential and list(twice._modules) == ["0", "1", "2", "3"]
    assert twice[2] is a and twice[3] is b  # not copies, as in PyTorch
    assert list((2 * seq)._modules) == ["0", "1", "2", "3"]
    same = seq
    seq *= 3
    assert seq is same and len(seq) == 6
    with pytest.raises(ValueError, match="Non-positive multiplication factor 0"):
        seq * 0
    with pytest.raises(TypeError, match="unsupported operand"):
        seq * 1.5
    assert len(seq) == 6


# ---------------------------------------------------------------- optim


def test_optimizer_repr_puts_a_blank_line_between_groups_as_pytorch():
    p, q = nn.Parameter(tg.ones(1)), nn.Parameter(tg.ones(1))
    opt = optim.SGD([{"params": [p]}, {"params": [q], "lr": 1}], lr=0.1)
    text = repr(opt)
    assert text.startswith("SGD (\nParameter Group 0\n    dampening: 0\n")
    assert "    weight_decay: 0\n\nParameter Group 1\n" in text and text.endswith("    weight_decay: 0\n)")


def _stepped_scheduler():
    opt = optim.SGD([nn.Parameter(tg.ones(1))], lr=0.1)
    return opt, lr_scheduler.StepLR(opt, step_size=2)


def test_get_lr_called_from_outside_step_warns_as_in_pytorch():
    opt, sched = _stepped_scheduler()
    with pytest.warns(UserWarning, match="please use `get_last_lr"):
        sched.get_lr()
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        opt.step()
        sched.step()  # get_lr called by step: no warning
        warm = lr_scheduler.CosineAnnealingWarmRestarts(opt, T_0=2)
        opt.step()
        warm.step()
    assert "_get_lr_called_within_step" in sched.state_dict()
    assert sched.state_dict()["_get_lr_called_within_step"] is False


def test_the_old_scheduler_base_name_is_there():
    assert issubclass(lr_scheduler._LRScheduler, lr_scheduler.LRScheduler)


# ---------------------------------------------------------------- data


def test_a_loader_refuses_changes_to_what_its_batches_were_built_from():
    loader = DataLoader(TensorDataset(tg.arange(6)), batch_size=2)
    for name in ("batch_size", "batch_sampler", "sampler", "drop_last", "dataset", "persistent_workers"):
        with pytest.raises(ValueError, match=f"{name} attribute should not be set after DataLoader"):
            setattr(loader, name, None)
    assert loader.batch_size == 2 and len(loader) == 3
    loader.num_workers = 0  # any other attribute may change


def test_the_iterator_of_a_loader_has_its_length():
    loader = DataLoader(TensorDataset(tg.arange(5)), batch_size=2)
    batches = iter(loader)
    assert len(batches) == 3 and iter(batches) is batches
    assert [b[0].tolist() for b in batches] == [[0, 1], [2, 3], [4]]


def test_default_collate_keeps_bytes_as_a_list():
    assert default_collate([b"a", b"b"]) == [b"a", b"b"]


# ---------------------------------------------------------------- random


def test_the_global_rng_state_round_trips_and_restores_the_seed():
    tg.manual_seed(5)
    state = tg_random.get_rng_state()
    assert isinstance(state, tg.Tensor) and state.dtype == tg.uint8
    first = tg.rand(4).tolist()
    tg.manual_seed(9)
    tg_random.set_rng_state(state)
    assert tg.rand(4).tolist() == first and tg_random.initial_seed() == 5
    with pytest.raises(TypeError, match="RNG state must be"):
        tg_random.set_rng_state([1, 2])
    with pytest.raises(RuntimeError, match="RNG state"):
        tg_random.set_rng_state(tg.zeros(3, dtype=tg.uint8))
    assert tg.rand(4).tolist() != first  # (a failed call left the stream where it was)


def test_seed_draws_a_fresh_seed_and_negative_seeds_wrap_as_in_pytorch():
    seed = tg_random.seed()
    assert isinstance(seed, int) and tg_random.initial_seed() == seed
    assert tg.manual_seed(-1).initial_seed() == 2**64 - 1
    assert tg.manual_seed(-(2**63)).initial_seed() == 2**63
    with pytest.raises(ValueError):
        tg.manual_seed(2**64)
    g = tg.Generator()
    assert g.device == tg.device("cpu") and isinstance(g.seed(), int)
    g.manual_seed(3)
    state = g.get_state()
    draw = tg.rand(3, generator=g).tolist()
    assert g.set_state(state) is g and tg.rand(3, generator=g).tolist() == draw


# ---------------------------------------------------------------- gradcheck and functional


def _x():
    return tg.tensor([1.0, 2.0, 3.0], dtype=tg.float64, requires_grad=True)


def test_gradcheck_takes_pytorchs_options():
    def square(x):
        return (x * x).sum()

    for option in (
        {"nondet_tol": 1e-9},
        {"check_undefined_grad": False},
        {"fast_mode": True},
        {"masked": False},
        {"check_grad_dtypes": True},
    ):
        assert gradcheck(square, (_x(),), **option)
    assert gradcheck(func=square, inputs=(_x(),))  # PyTorch's argument name
    with pytest.raises(AssertionError, match="check_forward_ad or check_backward_ad"):
        gradcheck(square, (_x(),), check_backward_ad=False)
    for option in ("check_forward_ad", "check_batched_grad", "check_batched_forward_grad"):
        with pytest.raises(NotImplementedError, match=option):
            gradcheck(square, (_x(),), **{option: True})
    assert gradgradcheck(lambda x: x**3, (_x(),), gen_non_contig_grad_outputs=True, nondet_tol=0.0)
    with pytest.raises(AssertionError, match="check_fwd_over_rev or check_rev_over_rev"):
        gradgradcheck(lambda x: x**3, (_x(),), check_rev_over_rev=False)


def test_an_unknown_jacobian_strategy_is_an_assertion_error_as_in_pytorch():
    with pytest.raises(AssertionError, match='"forward-mode" or "reverse-mode"'):
        F.jacobian(lambda x: x * 2, _x(), strategy="sideways")
    with pytest.raises(AssertionError, match="outer_jacobian_strategy"):
        F.hessian(lambda x: (x**3).sum(), _x(), outer_jacobian_strategy="sideways")

"""A call that fails changes nothing: the tensors, graphs, modules, optimizers and schedulers it could
touch, and the global random generator, are as they were before it.

One table of probes. Each probe builds fresh objects and returns them with a call that must fail;
the test takes a snapshot of everything reachable from those objects (array bytes, `_version`,
`.grad`, `requires_grad`, `grad_fn`, module dicts, optimizer groups and state, scheduler
attributes, generator states) and of the global RNG, makes the call, checks the error type
(PyTorch's, where PyTorch refuses the call too) and compares the snapshots. A probe may also
give `after`, run once after the failed call and once on a fresh setup without it: the results
must agree (the graph, say, still gives the gradients it would have given).
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from typing import Any, NamedTuple

import numpy as np
import pytest

import tinygrad_edu as tg
from tinygrad_edu import nn, optim
from tinygrad_edu.optim import lr_scheduler
from tinygrad_edu.utils import data


def snapshot(obj: Any, memo: dict[int, Any]) -> Any:
    """Everything reachable from `obj` as nested tuples of plain values (tensors by content)."""
    if isinstance(obj, (int, float, str, bool, type(None), bytes)):
        return "nan" if isinstance(obj, float) and obj != obj else obj
    if id(obj) in memo:
        return ("seen", id(obj))
    memo[id(obj)] = obj  # (kept alive, so that no temporary object reuses the id)
    if isinstance(obj, tg.Tensor):
        return (
            "tensor",
            id(obj),
            np.array(obj.data).tobytes(),
            obj.shape,
            str(obj.dtype),
            obj._version,
            obj.requires_grad,
            snapshot(obj._grad, memo),
            id(obj.grad_fn),
            snapshot(dict(vars(obj)), memo),
        )
    if isinstance(obj, np.ndarray):
        return ("array", obj.tobytes(), obj.shape, str(obj.dtype))
    if isinstance(obj, np.random.Generator):
        return ("generator", repr(obj.bit_generator.state))
    if isinstance(obj, np.generic):
        return snapshot(obj.item(), memo)
    if isinstance(obj, dict):
        return ("dict", tuple((snapshot(k, memo), snapshot(v, memo)) for k, v in obj.items()))
    if isinstance(obj, (list, tuple)):
        return (type(obj).__name__, tuple(snapshot(v, memo) for v in obj))
    if isinstance(obj, (set, frozenset)):
        return ("set", tuple(sorted(id(v) for v in obj)))
    if type(obj).__module__.startswith("tinygrad_edu") and hasattr(obj, "__dict__"):
        return (type(obj).__name__, id(obj), snapshot(dict(vars(obj)), memo))
    return ("object", id(obj))


def world(watched: list) -> Any:
    return snapshot(watched, {}), np.array(tg.get_rng_state().data).tobytes()


def values(obj: Any) -> Any:
    """What `after` returns, by value only (two fresh setups hold different objects)."""
    if isinstance(obj, tg.Tensor):
        return np.array(obj.data).tolist()
    if isinstance(obj, (list, tuple)):
        return [values(v) for v in obj]
    return obj


class Probe(NamedTuple):
    name: str
    setup: Callable[[], tuple]  # -> (watched objects, failing call[, after])
    error: type[BaseException]


PROBES: list[Probe] = []


def probe(error: type[BaseException]) -> Callable:
    def register(setup: Callable[[], tuple]) -> Callable[[], tuple]:
        PROBES.append(Probe(setup.__name__, setup, error))
        return setup

    return register


def leaf_and_double() -> tuple[tg.Tensor, tg.Tensor, Callable[[], Any]]:
    x = tg.tensor([1.0, 2.0, 3.0], requires_grad=True)
    y = x * x

    def after() -> Any:
        y.sum().backward()
        return x.grad

    return x, y, after


# ------------------------------------------------------------------ tensors written in place


@probe(IndexError)
def setitem_index_out_of_range():
    x = tg.zeros(3)
    return [x], lambda: x.__setitem__(5, 1.0)


@probe(RuntimeError)
def setitem_value_of_wrong_shape_on_a_non_leaf():
    x, y, after = leaf_and_double()
    return [x, y], lambda: y.__setitem__(slice(0, 2), tg.ones(3)), after


@probe(IndexError)
def setitem_one_index_of_several_out_of_range():
    x = tg.zeros(3, 4)
    return [x], lambda: x.__setitem__((tg.tensor([0, 1]), tg.tensor([0, 4])), 1.0)


@probe(RuntimeError)
def add_float_into_int():
    x = tg.zeros(3, dtype=tg.int64)
    return [x], lambda: x.add_(tg.ones(3))


@probe(RuntimeError)
def mul_by_wrong_shape_on_a_non_leaf():
    x, y, after = leaf_and_double()
    return [x, y], lambda: y.mul_(tg.ones(2)), after


@probe(RuntimeError)
def in_place_on_a_leaf_that_requires_grad():
    x = tg.ones(3, requires_grad=True)
    return [x], lambda: x.mul_(2)


@probe(RuntimeError)
def clamp_without_bounds():
    x, y, after = leaf_and_double()
    return [x, y], lambda: y.clamp_(), after


@probe(RuntimeError)
def index_add_index_out_of_range():
    x = tg.zeros(3, 2)
    return [x], lambda: x.index_add_(0, tg.tensor([0, 5]), tg.ones(2, 2))


@probe(RuntimeError)
def scatter_index_out_of_range():
    x = tg.zeros(3)
    return [x], lambda: x.scatter_(0, tg.tensor([0, 3]), tg.ones(2))


@probe(RuntimeError)
def masked_fill_with_a_mask_that_is_not_bool():
    x = tg.zeros(3)
    return [x], lambda: x.masked_fill_(tg.tensor([1, 0, 1]), 1.0)


@probe(RuntimeError)
def copy_from_a_shape_that_does_not_broadcast():
    x, y, after = leaf_and_double()
    return [x, y], lambda: y.copy_(tg.ones(2, 2)), after


@probe(IndexError)
def put_accumulate_index_out_of_range():
    x = tg.zeros(3)
    return [x], lambda: x.put_(tg.tensor([1, -4]), tg.ones(2), accumulate=True)


@probe(IndexError)
def transpose_dim_out_of_range():
    x, y, after = leaf_and_double()
    return [x, y], lambda: y.transpose_(0, 3), after


@probe(RuntimeError)
def grad_of_the_wrong_shape():
    x = tg.ones(3, requires_grad=True)
    x.grad = tg.zeros(3)
    return [x], lambda: setattr(x, "grad", tg.zeros(4))


# ------------------------------------------------------------------ random draws: the generator must not move


def leaf_fill(method: str, *args: Any) -> Callable[[], tuple]:
    def setup() -> tuple:
        x = tg.zeros(3, requires_grad=True)
        return [x], lambda: getattr(x, method)(*args)

    setup.__name__ = f"{method}on_a_leaf_that_requires_grad"
    return setup


for _method, _args in [
    ("exponential_", ()),
    ("bernoulli_", (0.5,)),
    ("geometric_", (0.5,)),
    ("log_normal_", ()),
    ("cauchy_", ()),
    ("random_", (0, 5)),
]:
    probe(RuntimeError)(leaf_fill(_method, *_args))

# uniform_ and normal_ live in tensor_methods/sampling.py: they draw before copy_ refuses the write
probe(RuntimeError)(leaf_fill("uniform_"))
probe(RuntimeError)(leaf_fill("normal_"))


@probe(RuntimeError)
def normal_with_a_negative_std():
    x = tg.zeros(3)
    return [x], lambda: x.normal_(0.0, -1.0)


@probe(NotImplementedError)
def rand_in_an_integer_dtype():
    return [], lambda: tg.rand(3, dtype=tg.int64)


@probe(RuntimeError)
def randint_low_not_below_high():
    return [], lambda: tg.randint(5, 2, (3,))


@probe(RuntimeError)
def multinomial_more_samples_than_categories():
    return [], lambda: tg.multinomial(tg.tensor([0.5, 0.5]), 3)


@probe(ValueError)
def dropout_with_p_above_one():
    x = tg.ones(3)
    return [x], lambda: nn.functional.dropout(x, p=2.0)


@probe(ValueError)
def kaiming_uniform_on_a_vector():
    x = tg.zeros(3)
    return [x], lambda: nn.init.kaiming_uniform_(x)


@probe(ValueError)
def orthogonal_on_a_vector():
    x = tg.zeros(3)
    return [x], lambda: nn.init.orthogonal_(x)


@probe(TypeError)
def sparse_with_a_sparsity_that_is_no_number():
    x = tg.zeros(4, 3)
    return [x], lambda: nn.init.sparse_(x, "x")  # (PyTorch's error comes from its ceil too)


@probe(TypeError)
def constant_with_a_string():
    x = tg.zeros(3)
    return [x], lambda: nn.init.constant_(x, "a")


@probe(RuntimeError)
def constant_with_a_tensor_of_several_values():
    x = tg.zeros(3)
    return [x], lambda: nn.init.constant_(x, tg.ones(3))


@probe(TypeError)
def subset_random_sampler_over_a_string():  # PyTorch samples the characters; refused here, before a draw
    return [], lambda: list(data.SubsetRandomSampler("abc"))


@probe(ValueError)
def random_split_lengths_that_do_not_add_up():
    d = data.TensorDataset(tg.arange(10.0))
    return [d], lambda: data.random_split(d, [3, 3])


# ------------------------------------------------------------------ backward and autograd.grad


@probe(RuntimeError)
def backward_gradient_of_the_wrong_shape():
    x, y, after = leaf_and_double()
    x.grad = tg.ones(3)
    return [x, y], lambda: y.backward(tg.ones(4)), after


@probe(TypeError)
def backward_gradient_that_is_a_string():
    x, y, after = leaf_and_double()
    return [x, y], lambda: y.backward("a"), after


@probe(ValueError)
def backward_through_a_hook_that_raises():
    a = tg.tensor([1.0, 2.0], requires_grad=True)
    b = tg.tensor([3.0, 4.0], requires_grad=True)
    out = (a * a).sum() + (b * b).sum()

    def fails(grad: tg.Tensor) -> None:
        raise ValueError("the hook fails")

    handle = a.register_hook(fails)

    def after() -> Any:
        handle.remove()
        out.backward()
        return a.grad, b.grad

    return [a, b], lambda: out.backward(), after


@probe(RuntimeError)
def autograd_grad_of_an_unused_leaf():  # PyTorch frees the graph first; here it is checked first
    x, y, after = leaf_and_double()
    unused = tg.ones(3, requires_grad=True)
    return [x, y, unused], lambda: tg.autograd.grad(y.sum(), [x, unused]), after


@probe(RuntimeError)
def autograd_grad_of_an_unused_non_leaf():
    x, y, after = leaf_and_double()
    unused = x * 5
    return [x, y, unused], lambda: tg.autograd.grad(y.sum(), [y, unused]), after


@probe(RuntimeError)
def autograd_grad_outputs_of_the_wrong_shape():
    x, y, after = leaf_and_double()
    return [x, y], lambda: tg.autograd.grad(y, x, grad_outputs=tg.ones(4)), after


# ------------------------------------------------------------------ modules


def small_net() -> nn.Module:
    tg.manual_seed(0)
    return nn.Sequential(nn.Linear(2, 3), nn.BatchNorm1d(3), nn.Linear(3, 1))


def changed_state(model: nn.Module) -> dict[str, tg.Tensor]:
    return {k: v.detach().clone() + 1 for k, v in model.state_dict(keep_vars=True).items()}


@probe(RuntimeError)
def load_state_dict_one_bad_shape_among_good_ones():
    m = small_net()
    state = changed_state(m)
    state["2.weight"] = tg.zeros(5, 5)
    return [m], lambda: m.load_state_dict(state, strict=False)


@probe(RuntimeError)
def load_state_dict_missing_key():  # PyTorch loads the keys it has, then raises
    m = small_net()
    state = changed_state(m)
    del state["2.bias"]
    return [m], lambda: m.load_state_dict(state)


@probe(TypeError)
def module_to_an_integer_dtype():
    m = small_net()
    return [m], lambda: m.to(tg.int64)


@probe(KeyError)
def register_buffer_under_a_dotted_name():
    m = small_net()
    return [m], lambda: m[0].register_buffer("a.b", tg.zeros(1))


@probe(TypeError)
def register_parameter_that_is_a_plain_tensor():
    m = small_net()
    return [m], lambda: m[0].register_parameter("p", tg.zeros(1))


@probe(RuntimeError)
def batchnorm_forward_with_the_wrong_channels():
    m = small_net()
    return [m], lambda: m[1](tg.ones(4, 5))


@probe(ValueError)
def batchnorm_forward_pre_hook_that_raises():
    m = small_net()

    def fails(module: nn.Module, inputs: Any) -> None:
        raise ValueError("the hook fails")

    m[1].register_forward_pre_hook(fails)
    x = tg.ones(4, 2)
    return [m], lambda: m(x)


# one bad entry among good ones: PyTorch adds the good ones before it stops


@probe(TypeError)
def module_list_extend_one_bad():
    ml = nn.ModuleList([nn.ReLU()])
    return [ml], lambda: ml.extend([nn.Tanh(), 3, nn.ReLU()])


@probe(TypeError)
def sequential_extend_one_bad():
    s = nn.Sequential(nn.ReLU())
    return [s], lambda: s.extend([nn.Tanh(), 3])


@probe(TypeError)
def module_dict_update_one_bad():
    md = nn.ModuleDict({"a": nn.ReLU()})
    return [md], lambda: md.update({"b": nn.Tanh(), "c": 3})


@probe(KeyError)
def module_dict_update_replacing_then_a_bad_name():
    md = nn.ModuleDict({"a": nn.ReLU()})
    return [md], lambda: md.update([("a", nn.Tanh()), ("b.c", nn.ReLU())])


@probe(ValueError)
def parameter_dict_update_one_bad_pair():
    pd = nn.ParameterDict({"a": nn.Parameter(tg.zeros(1))})
    return [pd], lambda: pd.update([("b", nn.Parameter(tg.ones(1))), ("c", 1, 2)])


@probe(TypeError)
def parameter_dict_update_one_bad_key():
    pd = nn.ParameterDict({"a": nn.Parameter(tg.zeros(1))})
    return [pd], lambda: pd.update([("a", tg.ones(1)), (5, tg.ones(1))])


@probe(RuntimeError)
def parameter_list_append_an_integer_tensor():
    pl = nn.ParameterList([nn.Parameter(tg.zeros(1))])
    return [pl], lambda: pl.append(tg.tensor([1, 2]))


@probe(RuntimeError)
def parameter_list_extend_one_integer_tensor():
    pl = nn.ParameterList([nn.Parameter(tg.zeros(1))])
    return [pl], lambda: pl.extend([tg.ones(2), tg.tensor([1, 2])])


@probe(RuntimeError)
def clip_grad_norm_of_a_non_finite_gradient():
    a = tg.ones(2, requires_grad=True)
    a.grad = tg.tensor([float("inf"), 1.0])
    return [a], lambda: nn.utils.clip_grad_norm_([a], 1.0, error_if_nonfinite=True)


@probe(ValueError)
def clip_grad_value_with_a_string():  # the value is read as float() first, as PyTorch reads it
    a, b = nn.Parameter(tg.zeros(2)), nn.Parameter(tg.zeros(2))
    a.grad, b.grad = tg.tensor([3.0, -4.0]), tg.tensor([1.0, 5.0])
    return [a, b], lambda: nn.utils.clip_grad_value_([a, b], "x")


@probe(RuntimeError)
def vector_to_parameters_too_short():  # PyTorch writes the first parameter before it fails
    a, b = nn.Parameter(tg.zeros(3)), nn.Parameter(tg.zeros(2))
    return [a, b], lambda: nn.utils.vector_to_parameters(tg.ones(4), [a, b])


# ------------------------------------------------------------------ optimizers (every one)

OPTIMIZERS = {
    "SGD": dict(lr=0.1, momentum=0.9),
    "Adam": dict(lr=0.1),
    "AdamW": dict(lr=0.1),
    "Adamax": dict(lr=0.1),
    "NAdam": dict(lr=0.1),
    "RAdam": dict(lr=0.1),
    "Adagrad": dict(lr=0.1),
    "Adadelta": dict(lr=0.1),
    "RMSprop": dict(lr=0.1, momentum=0.5, centered=True),
    "Rprop": dict(lr=0.1),
    "ASGD": dict(lr=0.1),
    "Adafactor": dict(lr=0.1),
    "LBFGS": dict(lr=0.1),
    "Muon": dict(lr=0.1),
}


def trained(name: str) -> tuple:
    """Two parameters and an optimizer that has taken two steps (so it has state)."""
    tg.manual_seed(0)
    a, b = nn.Parameter(tg.randn(3, 2)), nn.Parameter(tg.randn(2, 2))

    def closure() -> tg.Tensor:
        a.grad = b.grad = None
        loss = (a**2).sum() + (b**4).sum() + b.sum()  # (bounded below: LBFGS stays finite)
        loss.backward()
        return loss

    opt = getattr(optim, name)([a, b], **OPTIMIZERS[name])
    for _ in range(2):
        opt.step(closure)
    closure()
    return a, b, opt, closure


def optimizer_probes(name: str) -> None:
    def closure_that_raises() -> tuple:
        a, b, opt, closure = trained(name)

        def fails() -> None:
            raise ValueError("the closure fails")

        def after() -> Any:
            opt.step(closure)
            return a, b

        return [a, b, opt], lambda: opt.step(fails), after

    def gradient_of_the_wrong_shape() -> tuple:  # the second parameter's: the first must not move either
        a, b, opt, _ = trained(name)
        b.grad.data = np.ones(5, dtype=np.float32)  # (behind autograd's back, as .data allows)
        return [a, opt], lambda: opt.step()

    def group_with_a_parameter_already_held() -> tuple:
        a, b, opt, _ = trained(name)
        c = nn.Parameter(tg.zeros(2))
        return [a, b, opt], lambda: opt.add_param_group({"params": [c, a]})

    def group_with_a_non_leaf() -> tuple:
        a, b, opt, _ = trained(name)
        c = nn.Parameter(tg.zeros(2))
        return [a, b, opt], lambda: opt.add_param_group({"params": [c, c * 2]})

    def state_dict_with_a_group_too_many() -> tuple:
        a, b, opt, _ = trained(name)
        state = copy.deepcopy(opt.state_dict())
        state["param_groups"] = state["param_groups"] * 2
        return [a, b, opt], lambda: opt.load_state_dict(state)

    errors = {
        closure_that_raises: ValueError,
        gradient_of_the_wrong_shape: TypeError if name == "LBFGS" else RuntimeError,
        group_with_a_parameter_already_held: ValueError,
        group_with_a_non_leaf: ValueError,
        state_dict_with_a_group_too_many: ValueError,
    }
    for setup, error in errors.items():
        PROBES.append(Probe(f"{name}_{setup.__name__}", setup, error))


for _name in OPTIMIZERS:
    optimizer_probes(_name)


@probe(ValueError)
def lbfgs_closure_that_raises_on_its_first_call():  # nothing moved: not even a version changes
    a, b, opt, closure = trained("LBFGS")

    def fails() -> None:
        raise ValueError("the closure fails")

    return [a, b, opt], lambda: opt.step(fails)


# ------------------------------------------------------------------ schedulers


def sgd() -> optim.SGD:
    return optim.SGD([nn.Parameter(tg.zeros(2))], lr=0.1, momentum=0.9)


def fails_from_epoch_2(epoch: int) -> float:
    if epoch >= 2:
        raise ValueError("the lambda fails")
    return 0.5


def stepped(opt: optim.Optimizer, *schedulers: Any) -> None:
    opt.step()
    for s in schedulers:
        s.step()


@probe(ValueError)
def lambda_lr_step_whose_lambda_raises():
    opt = sgd()
    s = lr_scheduler.LambdaLR(opt, fails_from_epoch_2)
    stepped(opt, s)
    return [opt, s], lambda: s.step()


@probe(ValueError)
def multiplicative_lr_step_whose_lambda_raises():
    opt = sgd()
    s = lr_scheduler.MultiplicativeLR(opt, fails_from_epoch_2)
    stepped(opt, s)
    return [opt, s], lambda: s.step()


@probe(ValueError)
def lambda_lr_whose_lambda_raises_at_once():  # PyTorch leaves "initial_lr" in the groups
    opt = sgd()

    def fails(epoch: int) -> float:
        raise ValueError("the lambda fails")

    return [opt], lambda: lr_scheduler.LambdaLR(opt, fails)


@probe(ValueError)
def cyclic_lr_whose_scale_fn_raises_at_once():
    opt = sgd()

    def fails(x: float) -> float:
        raise ValueError("scale_fn fails")

    return [opt], lambda: lr_scheduler.CyclicLR(opt, 0.01, 0.1, scale_fn=fails)


@probe(ValueError)
def one_cycle_lr_step_to_an_epoch_past_the_end():
    opt = sgd()
    s = lr_scheduler.OneCycleLR(opt, max_lr=1.0, total_steps=4)
    opt.step()
    return [opt, s], lambda: s.step(10)


@probe(TypeError)
def multi_step_lr_step_to_an_epoch_that_is_no_number():
    opt = sgd()
    s = lr_scheduler.MultiStepLR(opt, [1, 2])
    opt.step()
    return [opt, s], lambda: s.step("x")


@probe(ValueError)
def chained_scheduler_whose_second_scheduler_raises():
    opt = sgd()
    first = lr_scheduler.ExponentialLR(opt, gamma=0.9)
    second = lr_scheduler.LambdaLR(opt, fails_from_epoch_2)
    chain = lr_scheduler.ChainedScheduler([first, second])
    stepped(opt, chain)
    return [opt, first, second, chain], lambda: chain.step()


@probe(ValueError)
def sequential_lr_whose_scheduler_raises():
    opt = sgd()
    first = lr_scheduler.LambdaLR(opt, fails_from_epoch_2)
    then = lr_scheduler.ExponentialLR(opt, gamma=0.9)
    seq = lr_scheduler.SequentialLR(opt, [first, then], milestones=[5])
    stepped(opt, seq)
    return [opt, first, then, seq], lambda: seq.step()


@probe(ValueError)
def reduce_lr_on_plateau_step_with_a_metric_that_is_no_number():
    opt = sgd()
    s = lr_scheduler.ReduceLROnPlateau(opt, patience=0)
    s.step(1.0)
    return [opt, s], lambda: s.step("abc")


@probe(ValueError)
def data_loader_with_a_sampler_and_shuffle():
    d = data.TensorDataset(tg.arange(10.0))
    sampler = data.SequentialSampler(d)
    return [d, sampler], lambda: data.DataLoader(d, sampler=sampler, shuffle=True)


# ------------------------------------------------------------------ the test


@pytest.mark.filterwarnings("ignore:The epoch parameter")  # (the deprecated step(epoch) is probed)
@pytest.mark.parametrize(
    "p",
    [pytest.param(p, id=p.name) for p in PROBES],
)
def test_a_failed_call_leaves_everything_as_it_was(p: Probe) -> None:
    tg.manual_seed(0)
    watched, call, *rest = p.setup()
    before = world(watched)
    with pytest.raises(p.error):
        call()
    assert world(watched) == before, f"{p.name}: the failed call changed state"
    if rest:
        (after,) = rest
        got = values(after())
        tg.manual_seed(0)
        _, _, fresh_after = p.setup()
        assert got == values(fresh_after()), f"{p.name}: the objects behave differently after the failure"


def test_lbfgs_failing_half_way_puts_the_values_back() -> None:
    """A closure that fails after the parameters moved: the values come back (the version moves on,
    as it must: a graph recorded in between saw other values)."""
    a, b, opt, closure = trained("LBFGS")
    start = [a.data.copy(), b.data.copy()]
    calls = []

    def fails_the_second_time() -> tg.Tensor:
        calls.append(1)
        if len(calls) > 1:
            raise ValueError("the closure fails")
        return closure()

    with pytest.raises(ValueError):
        opt.step(fails_the_second_time)
    assert len(calls) == 2
    np.testing.assert_array_equal(a.data, start[0])
    np.testing.assert_array_equal(b.data, start[1])

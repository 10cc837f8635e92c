"""Tests of tinygrad_edu.viz: graph drawings, the backward replay and rendering."""

from __future__ import annotations

import re
import shutil

import graphviz
import numpy as np
import pytest

import tinygrad_edu as tg
from tinygrad_edu import nn, viz
from tinygrad_edu.autograd.grad_mode import _state


def _nodes(dot: graphviz.Digraph) -> dict[str, str]:
    """Node id -> its attribute text, from the DOT body lines."""
    found = {}
    for line in dot.source.splitlines():
        m = re.match(r"\s*(\w+) \[(.*)\]$", line)
        if m and m.group(1) not in ("graph", "node", "edge"):
            found[m.group(1)] = m.group(2)
    return found


def _edges(dot: graphviz.Digraph) -> list[tuple[str, str]]:
    return re.findall(r"^\s*(\w+) -> (\w+)", dot.source, flags=re.M)


def _by_label(nodes: dict[str, str], text: str) -> str:
    forms = (f'label="{text}\\n', f'label="{text}"', f"label={text} ")
    hits = [k for k, v in nodes.items() if any(form in v for form in forms)]
    assert len(hits) == 1, (text, nodes)
    return hits[0]


def _neuron():
    w = tg.tensor([0.8, -1.3], dtype=tg.float64, requires_grad=True)
    x = tg.tensor([1.5, 0.4], dtype=tg.float64)
    b = tg.tensor(0.25, dtype=tg.float64, requires_grad=True)
    w.name, x.name, b.name = "w", "x", "b"
    z = (w * x).sum() + b
    z.name = "z"
    y = z.sigmoid()
    y.name = "y"
    loss = (y - 0.3) ** 2
    loss.name = "L"
    return w, x, b, z, y, loss


def test_small_graph_structure_and_labels():
    a = tg.tensor([[1.0, 2.0], [3.0, 4.0]], requires_grad=True)
    a.name = "a"
    c = tg.tensor([[0.5, 0.5], [1.0, 1.0]])
    out = (a * c).sum()
    dot = viz.draw_graph(out)
    assert isinstance(dot, graphviz.Digraph)
    nodes = _nodes(dot)
    ops = [k for k, v in nodes.items() if "shape=ellipse" in v]
    tensors = [k for k, v in nodes.items() if "shape=box" in v]
    assert sorted(nodes[k].split()[0] for k in ops) == ["label=Mul", "label=Sum"]
    assert len(tensors) == 4  # a, c, a*c, out
    assert len(_edges(dot)) == 5  # a->Mul, c->Mul, Mul->t, t->Sum, Sum->out
    mul, total = _by_label(nodes, "Mul"), _by_label(nodes, "Sum")
    a_id = _by_label(nodes, "a")
    assert (a_id, mul) in _edges(dot)  # data flows input -> op -> output
    assert "shape (2, 2)" in nodes[a_id] and "float32" in nodes[a_id]
    assert "fillcolor=lightblue" in nodes[a_id]
    assert "fillcolor=lightgrey" in nodes[_by_label(nodes, "constant 1")]
    out_id = next(k for k, v in nodes.items() if "penwidth=3" in v)  # the highlighted root
    assert (total, out_id) in _edges(dot) and "shape ()" in nodes[out_id]


def test_parameters_styled_apart():
    Parameter = type("Parameter", (tg.Tensor,), {})  # what the nn package's class is detected by
    p = Parameter(np.ones(3), requires_grad=True)
    p.name = "weight"
    x = tg.tensor([1.0, 2.0, 3.0], requires_grad=True)
    nodes = _nodes(viz.draw_graph((p * x).sum()))
    assert "fillcolor=lightgreen" in nodes[_by_label(nodes, "weight")]
    assert "fillcolor=lightblue" in nodes[_by_label(nodes, "input 1")]


def test_shared_input_drawn_once_with_an_edge_per_use_and_leaf_root():
    x = tg.tensor([1.0, 2.0], requires_grad=True)
    dot = viz.draw_graph(x * x)
    # x is one node, but the Mul has two inputs: two edges, as draw_backward draws two back
    assert len(_nodes(dot)) == 3 and len(_edges(dot)) == 3
    mul, x_id = _by_label(_nodes(dot), "Mul"), _by_label(_nodes(dot), "input 1")
    assert _edges(dot).count((x_id, mul)) == 2
    back = viz.draw_backward((x * x).sum())
    assert _edges(back).count(("op2", _by_label(_nodes(back), "input 1"))) == 2
    leaf = viz.draw_graph(x)
    assert len(_nodes(leaf)) == 1 and _edges(leaf) == []


def test_rankdir_validation():
    y = tg.tensor([1.0], requires_grad=True) * 2
    assert "rankdir=LR" in viz.draw_graph(y, rankdir="LR").source
    with pytest.raises(ValueError, match="rankdir"):
        viz.draw_graph(y, rankdir="sideways")


def test_max_depth_cuts_with_ellipsis():
    x = tg.tensor([1.0, 2.0], requires_grad=True)
    y = ((x.exp() * 3).sin()).sum()  # Sum <- Sin <- Mul <- Exp
    full = _nodes(viz.draw_graph(y))
    assert sum("shape=ellipse" in v for v in full.values()) == 4
    assert not any("…" in v for v in full.values())
    dot = viz.draw_graph(y, max_depth=2)
    nodes = _nodes(dot)
    ops = sorted(v.split()[0] for v in nodes.values() if "shape=ellipse" in v)
    assert ops == ["label=Sin", "label=Sum"]
    cut = [k for k, v in nodes.items() if "…" in v]
    assert len(cut) == 1
    target = dict(_edges(dot))[cut[0]]
    assert "Mul output" in nodes[target]  # the cut input is the tensor Sin consumed
    assert (target, _by_label(nodes, "Sin")) in _edges(dot)


def test_show_values_and_grads():
    x = tg.tensor([1.0, 2.0, 3.0], dtype=tg.float64, requires_grad=True)
    x.name = "x"
    big = tg.tensor(np.arange(20.0), dtype=tg.float64, requires_grad=True)
    big.name = "big"
    s1 = (x * x).sum()
    s1.name = "s1"
    y = s1 + big.sum()
    assert "value" not in viz.draw_graph(y).source
    y.backward()
    nodes = _nodes(viz.draw_graph(y, show_values=True, show_grads=True))
    assert "value [1., 2., 3.]" in nodes[_by_label(nodes, "x")]
    assert "grad [2., 4., 6.]" in nodes[_by_label(nodes, "x")]
    assert "value min=0 mean=9.5 max=19" in nodes[_by_label(nodes, "big")]
    assert "grad min=1 mean=1 max=1" in nodes[_by_label(nodes, "big")]
    assert "grad" not in nodes[_by_label(nodes, "s1")]  # no .grad on intermediates


class _FakeModule:
    """Stands in for an nn.Module: the engine records whatever `_state.scope` holds."""

    def __init__(self, *children, in_features=None, out_features=None):
        self._children = list(children)
        if in_features is not None:
            self.in_features, self.out_features = in_features, out_features

    def children(self):
        return iter(self._children)


def test_clusters_from_scopes_nested():
    inner = _FakeModule(in_features=4, out_features=2)
    inner.__class__ = type("Linear", (_FakeModule,), {})
    outer = _FakeModule(inner)
    outer.__class__ = type("Block", (_FakeModule,), {})
    x = tg.tensor(np.ones((3, 4)), requires_grad=True)
    w = tg.tensor(np.ones((4, 2)), requires_grad=True)
    saved = _state.scope
    try:
        _state.scope = outer
        h = x * 2
        _state.scope = inner
        h = h @ w
    finally:
        _state.scope = saved
    src = viz.draw_graph(h.sum()).source
    assert src.count("subgraph cluster_") == 2
    assert 'label="Linear(4 -> 2)"' in src and "label=Block" in src
    block = src.index("label=Block")
    linear = src.index('label="Linear(4 -> 2)"')
    assert src.index("subgraph cluster_") < block < src.rindex("subgraph cluster_") < linear
    assert src.index("label=MatMul") > linear and block < src.index("label=Mul ") < linear
    assert src.index("label=Sum ") < src.index("subgraph cluster_")  # Sum ran outside every module


def test_clusters_with_nn_linear():
    layer = nn.Linear(64, 32)
    y = layer(tg.randn(5, 64)).sum()
    src = viz.draw_graph(y).source
    assert "subgraph cluster_" in src and 'label="Linear(64 -> 32)"' in src
    assert src.count("fillcolor=lightgreen") == 2  # weight and bias


def test_clusters_with_nn_module_and_parameters():
    class Affine(nn.Module):
        def __init__(self):
            super().__init__()
            self.in_features, self.out_features = 3, 2
            self.weight = nn.Parameter(tg.ones(2, 3))

        def forward(self, x):
            return x @ self.weight.T

    class Net(nn.Module):
        def __init__(self):
            super().__init__()
            self.layer = Affine()

        def forward(self, x):
            return self.layer(x).relu()

    src = viz.draw_graph(Net()(tg.ones(4, 3)).sum()).source
    assert src.count("subgraph cluster_") == 2
    assert src.index("label=Net") < src.index('label="Affine(3 -> 2)"') < src.index("label=MatMul")
    assert src.index("label=Relu") < src.index('label="Affine(3 -> 2)"')
    weight = re.search(r"\[label=\"layer.weight\\n[^\]]*\]", src)  # its name in Net, the outermost
    assert weight and "fillcolor=lightgreen" in weight.group(0)


def test_backward_steps_sigmoid_neuron_chain_rule():
    w, x, b, z, y, loss = _neuron()
    steps = viz.backward_steps(loss)
    assert [s.op for s in steps] == ["Pow", "Sub", "Sigmoid", "Add", "Sum", "Mul"]
    assert [s.step for s in steps] == [1, 2, 3, 4, 5, 6]
    # hand-computed NumPy values
    wn, xn, bn = np.array([0.8, -1.3]), np.array([1.5, 0.4]), 0.25
    zn = wn @ xn + bn
    yn = 1 / (1 + np.exp(-zn))
    dl_dy = 2 * (yn - 0.3)
    dy_dz = yn * (1 - yn)
    dl_dw = dl_dy * dy_dz * xn
    by_op = {s.op: s for s in steps}
    assert by_op["Sigmoid"].output is y
    np.testing.assert_allclose(by_op["Sigmoid"].grad_output, dl_dy, rtol=0, atol=1e-12)
    (dz,) = by_op["Sigmoid"].edges
    np.testing.assert_allclose(dz.grad, dl_dy * dy_dz, rtol=0, atol=1e-12)
    np.testing.assert_allclose(by_op["Add"].grad_output, dl_dy * dy_dz, rtol=0, atol=1e-12)
    db = next(e for e in by_op["Add"].edges if e.target is b)
    np.testing.assert_allclose(db.grad, dl_dy * dy_dz, rtol=0, atol=1e-12)
    np.testing.assert_allclose(by_op["Mul"].grad_output, [dl_dy * dy_dz] * 2, rtol=0, atol=1e-12)
    (dw,) = by_op["Mul"].edges  # x is a constant: no gradient goes to it
    assert dw.target is w and dw.tensor is w
    np.testing.assert_allclose(dw.grad, dl_dw, rtol=0, atol=1e-12)
    # nothing was modified and the graph is still usable: a real backward agrees
    assert w.grad is None and b.grad is None
    loss.backward()
    np.testing.assert_allclose(w.grad.data, dl_dw, rtol=0, atol=1e-12)


def test_backward_steps_accumulates_shared_inputs():
    x = tg.tensor([1.0, 2.0], dtype=tg.float64, requires_grad=True)
    h = x * 3
    y = (h * h).sum()  # dL/dh = 2h, summed from both edges of the Mul
    steps = viz.backward_steps(y)
    assert [s.op for s in steps] == ["Sum", "Mul", "Mul"]
    np.testing.assert_allclose(steps[2].grad_output, 2 * 3 * np.array([1.0, 2.0]))
    np.testing.assert_allclose(steps[2].edges[0].grad, 18 * np.array([1.0, 2.0]))
    with pytest.raises(RuntimeError, match="grad_fn"):
        viz.backward_steps(x)


def test_the_replay_changes_no_grad_and_keeps_the_users_hooks():
    x = tg.tensor([1.0, 2.0], dtype=tg.float64, requires_grad=True)
    h = x * 2.0
    h.retain_grad()
    h.register_hook(lambda g: g * 10.0)  # a hook that changes the gradient still does, in the replay
    loss = (h * 3.0).sum()
    steps = viz.backward_steps(loss)
    viz.draw_backward(loss)
    assert h.grad is None and x.grad is None
    np.testing.assert_array_equal(steps[-1].edges[0].grad, [60.0, 60.0])
    assert [s.hooked for s in steps] == [False, False, True]  # the table and drawing say so
    table = viz.format_backward_table(steps)
    assert re.search(
        r"^3\s+Mul\s+dL/d\(Mul 1 output\) after hooks\s+\(2,\)\s+\[30\., 30\.\]", table, flags=re.M
    )
    assert "gradient after hooks: [30., 30.]" in viz.draw_backward(loss).source
    loss.backward()  # the real backward after the replays: .grad as if they never ran
    np.testing.assert_array_equal(h.grad.data, [30.0, 30.0])
    np.testing.assert_array_equal(x.grad.data, [60.0, 60.0])


def test_the_backward_drawing_is_the_same_text_for_the_same_graph():
    # (node names come from the steps, not from memory addresses: committed pictures stay put)
    sources = [viz.draw_backward(_neuron()[-1]).source for _ in range(2)]
    assert sources[0] == sources[1] and "leaf0" in sources[0]


def test_an_op_whose_saved_input_was_changed_in_place_gets_a_red_edge():
    x, w = tg.tensor([1.0, 2.0], requires_grad=True), tg.tensor([3.0, 4.0], requires_grad=True)
    h = x * x
    z = h * w  # saves h
    y = h * 2.0  # saves nothing of h (the constant's gradient is not needed)
    h *= 2.0
    source = viz.draw_graph((z + y + h).sum()).source
    marked = [line for line in source.splitlines() if "saved, then changed" in line]
    assert len(marked) == 1 and "color=red" in marked[0]  # z's Mul only
    with pytest.raises(RuntimeError, match="modified by an inplace operation"):
        (z + y + h).sum().backward()  # what the red edge warns of


def test_backward_table_and_drawing():
    *_, loss = _neuron()
    table = viz.format_backward_table(viz.backward_steps(loss))
    lines = table.splitlines()
    assert lines[0].split() == ["step", "op", "gradient", "shape", "values"]
    assert re.search(r"^3\s+Sigmoid\s+dL/dy\s+\(\)", table, flags=re.M)
    assert re.search(r"-> dL/dw\s+\(2,\)\s+\[", table)
    dot = viz.draw_backward(loss)
    labels = re.findall(r'-> \w+ \[label="([^"]*)"', dot.source)
    assert labels[0].startswith("0: dL/dL = 1")
    assert any(lab.startswith("2: dL/dy = ") for lab in labels)
    assert any(lab.startswith("6: dL/dw = [") for lab in labels)
    assert len(labels) == 1 + 6 + 1  # start edge, one per op-to-op/leaf gradient (b and w)


def test_print_backward_steps(capsys, monkeypatch):
    *_, loss = _neuron()
    viz.print_backward_steps(loss)
    assert "Sigmoid" in capsys.readouterr().out

    calls = []  # the model's names are worked out once, before backward runs, and used for the table
    counted = viz.backward.qualified_names
    monkeypatch.setattr(viz.backward, "qualified_names", lambda *a: calls.append(a) or counted(*a))
    model = nn.Linear(2, 1)
    viz.print_backward_steps(model(tg.randn(3, 2)).sum(), model=model)
    assert len(calls) == 1 and "-> dL/d(weight)" in capsys.readouterr().out


def test_render_svg_for_real(tmp_path):
    y = (tg.tensor([1.0, 2.0], requires_grad=True) * 2).sum()
    svg = viz.draw_graph(y, title="demo").pipe(format="svg")
    assert b"<svg" in svg and b"Mul" in svg
    path = viz.render_graph(viz.draw_backward(y), str(tmp_path / "bw"), format="svg")
    assert path.endswith(".svg") and b"<svg" in open(path, "rb").read()
    assert viz.draw_graph(y)._repr_mimebundle_()["image/svg+xml"].lstrip().startswith("<")
    with pytest.raises(ValueError, match="format"):
        viz.render_graph(viz.draw_graph(y), str(tmp_path / "x"), format="bmp")


def test_the_suffix_of_the_path_picks_the_format(tmp_path):
    y = (tg.tensor([1.0, 2.0], requires_grad=True) * 2).sum()
    path = viz.render_graph(viz.draw_graph(y), str(tmp_path / "graph.png"))
    assert path == str(tmp_path / "graph.png")  # not graph.png.svg
    assert open(path, "rb").read(8) == b"\x89PNG\r\n\x1a\n"
    assert viz.render_graph(viz.draw_graph(y), str(tmp_path / "plain")).endswith("plain.svg")
    with pytest.raises(ValueError, match="writes svg, png or pdf, but the path .*asks for jpg"):
        viz.render_graph(viz.draw_graph(y), str(tmp_path / "pic.jpg"))  # not pic.jpg.svg
    assert not list(tmp_path.glob("pic*"))
    with pytest.raises(ValueError, match="asks for png, but format='pdf'"):
        viz.render_graph(viz.draw_graph(y), str(tmp_path / "g.png"), format="pdf")


def test_missing_dot_gives_install_instructions(tmp_path, monkeypatch):
    monkeypatch.setenv("PATH", str(tmp_path))  # an empty directory: no `dot` anywhere
    dot = viz.draw_graph((tg.tensor([1.0], requires_grad=True) * 2).sum())
    assert "Mul" in dot.source
    with pytest.raises(RuntimeError, match="apt-get install graphviz") as info:
        viz.render_graph(dot, str(tmp_path / "g"))
    assert "brew install graphviz" in str(info.value) and ".source" in str(info.value)
    assert isinstance(info.value.__cause__, graphviz.ExecutableNotFound)
    for render in (lambda: dot.render(str(tmp_path / "g")), lambda: dot._repr_mimebundle_()):
        with pytest.raises(RuntimeError, match="apt-get install graphviz"):
            render()  # the Digraph's own rendering, and Jupyter's display, say it too


def test_backward_table_names_parameters_by_their_module_attribute():
    from tinygrad_edu import nn

    model = nn.Sequential(nn.Linear(2, 3), nn.Tanh(), nn.Linear(3, 1))
    loss = model(tg.randn(4, 2)).pow(2).mean()
    table = viz.format_backward_table(viz.backward_steps(loss))
    # two layers' weights share the attribute name: numbered in recording order, one edge each
    for name in ("weight 1", "weight 2", "bias 1", "bias 2"):
        assert table.count(f"-> dL/d({name}) ") == 1, name
    assert "dL/d(parameter" not in table and "dL/d(weight)" not in table
    first_layer = next(line for line in table.splitlines() if "dL/d(weight 1)" in line)
    assert "(3, 2)" in first_layer  # weight 1 is the first Linear's (3 x 2) weight
    nodes = _nodes(viz.draw_graph(loss))
    assert "shape (1, 3)" in nodes[_by_label(nodes, "weight 2")]  # the same names in the picture

    single = nn.Linear(2, 1)
    table = viz.format_backward_table(viz.backward_steps(single(tg.randn(4, 2)).sum()))
    assert "-> dL/d(weight) " in table and "-> dL/d(bias) " in table  # unique: no number


def test_draw_graph_of_a_list_says_it_wants_one_tensor():
    x = tg.tensor([1.0], requires_grad=True)
    with pytest.raises(TypeError, match="draw_graph expects one Tensor"):
        viz.draw_graph([x * 2.0, x])


def test_backward_hooks_leave_the_forward_drawing_as_it_was():
    # a module's backward hooks add hand-on ops at its ends; the drawing looks through them
    nn = tg.nn
    tg.manual_seed(0)
    mlp = nn.Sequential(nn.Linear(3, 4), nn.Sigmoid(), nn.Linear(4, 2))
    x = tg.randn(5, 3, requires_grad=True)
    plain = [viz.draw_graph(mlp(x)).source, viz.draw_graph(mlp(x).sum(), max_depth=2).source]
    for layer in mlp:
        layer.register_full_backward_hook(lambda m, grad_input, grad_output: None)
    mlp.register_full_backward_pre_hook(lambda m, grad_output: None)
    y = mlp(x)  # its grad_fn is a hook node
    assert y.grad_fn.name() == "BackwardHookTapBackward"
    hooked = [viz.draw_graph(y).source, viz.draw_graph(y.sum(), max_depth=2).source]
    assert hooked == plain and "BackwardHook" not in hooked[0]


def test_draw_graph_does_not_show_todays_values_for_a_tensor_changed_in_place_since() -> None:
    x = tg.tensor([1.0, 2.0, 3.0], requires_grad=True)
    y = x * 2.0
    y.name = "y"
    first = y.sum()
    y *= 3.0  # first's graph, and the in-place Mul, used y = [2, 4, 6]: the drawing shows both values
    labels = [v for v in _nodes(viz.draw_graph(first + y.sum(), show_values=True)).values() if "y\\n" in v]
    assert len(labels) == 2
    assert any("value [6., 12., 18.]" in v for v in labels)
    assert any("value [2., 4., 6.]" in v for v in labels)

    w = tg.tensor([1.0, 2.0], requires_grad=True)
    c = tg.zeros(2)
    c.name = "c"
    h = w * c  # c was a constant [0, 0] here
    c += w
    labels = [v for v in _nodes(viz.draw_graph(h + c, show_values=True)).values() if "c\\n" in v]
    before = next(v for v in labels if "changed in place since" in v)
    assert "fillcolor=lightgrey" in before and "value" not in before


def test_draw_graph_nests_clusters_through_modules_that_record_nothing() -> None:
    class Net(nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.body = nn.Sequential(nn.Linear(2, 3), nn.ReLU())  # the Sequential records no op

        def forward(self, x):
            return self.body(x).sum() * 2.0

    src = viz.draw_graph(Net()(tg.ones(4, 2))).source
    assert src.count("subgraph cluster_") == 3
    assert re.search(r"^\tsubgraph cluster_\d+ \{\n\t\tcolor=grey40 label=Net ", src, flags=re.M)
    assert re.search(r'^\t\tsubgraph cluster_\d+ \{\n\t\t\tcolor=grey40 label="Linear\(2 -> 3\)"', src, re.M)
    assert re.search(r"^\t\tsubgraph cluster_\d+ \{\n\t\t\tcolor=grey40 label=ReLU ", src, flags=re.M)


def test_draw_graph_titles_are_plain_text() -> None:
    y = tg.tensor([1.0], requires_grad=True) * 2.0
    src = viz.draw_graph(y, title='C:\\dir\\ "<b>"').source
    assert "label=\"C:\\\\dir\\\\ '<b>'\"" in src
    assert 'label="<x>"' in viz.draw_graph(y, title="<x>").source  # not an HTML label
    with pytest.raises(TypeError, match="title must be a string or None, got int"):
        viz.draw_graph(y, title=3)


@pytest.mark.skipif(shutil.which("dot") is None, reason="needs Graphviz's dot")
def test_draw_graph_titles_render() -> None:
    y = tg.tensor([1.0], requires_grad=True) * 2.0
    for title in ("ends in a backslash\\", "<1 < 2>"):
        assert b"<svg" in viz.draw_graph(y, title=title).pipe(format="svg")
        assert b"<svg" in viz.draw_backward(y.sum(), title=title).pipe(format="svg")


def test_draw_graph_max_depth_must_be_an_int() -> None:
    y = (tg.tensor([1.0], requires_grad=True) * 2.0).sum()
    for bad in ("2", 1.5, True):
        with pytest.raises(TypeError, match="max_depth must be an int or None"):
            viz.draw_graph(y, max_depth=bad)
    assert "…" in viz.draw_graph(y, max_depth=np.int64(1)).source


# ------------------------------------------------------ one name per tensor, everywhere
def _table_rows(table: str) -> list[tuple[str, bool, str]]:
    """(step, sent, name) per row: the step column ("" under a step), whether the row is
    a "->" row (a gradient sent), and the gradient's name without "dL/d"."""
    rows = []
    for line in table.splitlines()[2:]:
        m = re.match(r"^(\d*)\s+(?:(?!->)\S+\s+)?(-> )?dL/d(\(.*?\)|\w+)\s{2}", line)
        assert m, line
        rows.append((m.group(1), bool(m.group(2)), m.group(3).strip("()")))
    return rows


def _sent(rows: list[tuple[str, bool, str]]) -> list[tuple[str, str]]:
    """(step, name) of every "->" row, with the step it belongs to."""
    sent, step = [], ""
    for s, is_sent, name in rows:
        step = s or step
        if is_sent:
            sent.append((step, name))
    return sent


def _edge_labels(dot: graphviz.Digraph) -> list[tuple[str, str, str]]:
    """(target node, step, name) of every gradient edge of a backward drawing."""
    found = re.findall(r'^\s*\w+ -> (\w+) \[label="(\d+): dL/d(\(.*?\)|\w+) = ', dot.source, flags=re.M)
    return [(target, step, name.strip("()")) for target, step, name in found]


def _two_muls():
    x = tg.tensor([1.0, 2.0], dtype=tg.float64, requires_grad=True)
    w = tg.tensor([3.0, 4.0], dtype=tg.float64, requires_grad=True)
    h = x * w
    g = h * x
    return x, w, (g + h).sum()  # L = sum(x^2 w + x w)


def test_backward_names_tell_two_muls_and_a_shared_leaf_apart():
    x, w, loss = _two_muls()
    steps = viz.backward_steps(loss)
    table = viz.format_backward_table(steps)
    rows = _table_rows(table)
    received = {s: name for s, is_sent, name in rows if s and not is_sent}  # what step s's op receives
    assert list(received) == ["1", "2", "3", "4"]
    assert [s.op for s in steps] == ["Sum", "Add", "Mul", "Mul"]
    assert received["1"] == "Sum output" and rows[0] == ("0", True, "Sum output")  # the seed is step 0
    assert received["3"] != received["4"] and "Mul" in received["3"] and "Mul" in received["4"]
    assert len(set(received.values())) == 4  # one name per op output
    # a gradient sent to an op is announced under the name that op's row receives
    for s in steps:
        for e in s.edges:
            if not isinstance(e.target, tg.Tensor):
                (target,) = [t for t in steps if t.node is e.target]
                assert (str(s.step), received[str(target.step)]) in _sent(rows)

    # x feeds both Muls: its two edges carry one name, and they add up to dL/dx
    x_edges = [e for s in steps for e in s.edges if e.target is x]
    w_edges = [e for s in steps for e in s.edges if e.target is w]
    assert len(x_edges) == 2 and len(w_edges) == 1
    xn, wn = x.data, w.data
    np.testing.assert_allclose(sum(e.grad for e in x_edges), 2 * xn * wn + wn, rtol=0, atol=1e-12)
    np.testing.assert_allclose(w_edges[0].grad, xn**2 + xn, rtol=0, atol=1e-12)
    assert [name for _, name in _sent(rows) if "input" in name] == ["input 1", "input 1", "input 2"]
    back = viz.draw_backward(loss)
    edges, leaves = _edge_labels(back), {t for t in _nodes(back) if t.startswith("leaf")}
    assert sorted(n for t, _, n in edges if t in leaves) == [
        "input 1",
        "input 1",
        "input 2",
    ]  # x * w: x first
    assert len(leaves) == 2  # x drawn once, with both of its edges


def test_backward_table_and_drawing_use_the_same_names_and_numbers():
    _, _, loss = _two_muls()
    steps = viz.backward_steps(loss)
    sent = _sent(_table_rows(viz.format_backward_table(steps)))
    dot = viz.draw_backward(loss)
    drawn = [(step, name) for _, step, name in _edge_labels(dot)]
    assert sorted(drawn) == sorted(sent) and ("0", "Sum output") in drawn  # the seed is step 0 in both
    nodes = _nodes(dot)
    assert [k for k, v in nodes.items() if v.startswith('label="Sum output\\n')] == ["start"]
    for s in steps:  # the op drawn for step k is the one the table lists as step k
        assert f'label="{s.step}. {s.node.name()}"' in nodes[f"op{s.step}"]


def test_named_tensors_keep_their_names_everywhere():
    x = tg.tensor([1.0, 2.0], requires_grad=True)
    w = tg.tensor([3.0, 4.0], requires_grad=True)
    c = tg.tensor([0.5, 0.5])
    x.name, w.name = "x", "weights"
    h = x * w
    h.name = "h"
    loss = (h * x + h * c).sum()  # Mul(h, x), Mul(h, c): an unnamed constant
    table = viz.format_backward_table(viz.backward_steps(loss))
    assert re.search(r"^\d+\s+Mul\s+dL/dh\s", table, flags=re.M)  # h's Mul receives dL/dh
    assert table.count("-> dL/dh ") == 2  # both Muls send to h
    assert table.count("-> dL/dx ") == 2 and table.count("-> dL/d(weights) ") == 1
    assert "input" not in table  # every leaf that gets a gradient is named
    labels = {name for *_, name in _edge_labels(viz.draw_backward(loss))}
    assert {"x", "weights", "h", "Sum output"} <= labels and not any("input" in n for n in labels)
    nodes = _nodes(viz.draw_graph(loss))
    for name in ("x", "weights", "h", "constant 1"):
        _by_label(nodes, name)  # exactly one node each
    assert not any("input" in v for v in nodes.values())


def test_draw_graph_numbers_leaves_as_draw_backward_does():
    a = tg.tensor([1.0, 2.0], requires_grad=True)
    b = tg.tensor([3.0, 4.0], requires_grad=True)
    k = tg.tensor([2.0, 2.0])
    b.name = "b"
    c = tg.tensor([5.0, 6.0], requires_grad=True)
    loss = ((a * k) * b + c * k + c).sum()  # unnamed: a and c; named: b; constant: k
    graph = _nodes(viz.draw_graph(loss))
    backward = _nodes(viz.draw_backward(loss))
    for name in ("input 1", "input 2", "b"):  # a, c, and b by its own name
        assert _by_label(backward, name).startswith("leaf")
        assert (
            "shape (2,)" in graph[_by_label(graph, name)]
            and "fillcolor=lightblue" in graph[_by_label(graph, name)]
        )
    assert "fillcolor=lightgrey" in graph[_by_label(graph, "constant 1")]  # k, drawn once though used twice
    assert not any(re.search(r'label="(input|constant)\\n', v) for v in graph.values())
    # the number follows the order the ops were recorded in, not the order of the drawing
    edges = _edges(viz.draw_graph(loss))
    a_mul = dict(edges)[_by_label(graph, "input 1")]
    assert (_by_label(graph, "constant 1"), a_mul) in edges  # input 1 is a, the one multiplied by k first


# ------------------------------------------- op results, qualified names, values, fonts
def _graph_names(dot: graphviz.Digraph) -> dict[str, str]:
    """draw_graph: the name (first label line) of every op's output box -> that op's label."""
    nodes = _nodes(dot)
    first_line = {k: re.match(r'label=(?:"([^"\\]*)|(\S+))', v).group(1, 2) for k, v in nodes.items()}
    first_line = {k: quoted or bare for k, (quoted, bare) in first_line.items()}
    made = {}
    for a, b in _edges(dot):
        if "shape=ellipse" in nodes[a]:
            assert first_line[b] not in made, first_line[b]  # one name per tensor in the drawing
            made[first_line[b]] = first_line[a]
    return made


def test_every_op_result_has_one_name_in_all_three_pictures():
    x = tg.tensor([1.0, 2.0], dtype=tg.float64, requires_grad=True)
    w = tg.tensor([3.0, 4.0], dtype=tg.float64, requires_grad=True)
    h = x * w  # Mul 1
    z = h * x  # Mul 2
    z.name = "z"
    loss = ((h * w + z).exp() + h).sum()  # Mul 3, Add 1, Exp, Add 2, Sum (unnamed: the root too)
    made = _graph_names(viz.draw_graph(loss))
    assert made == {
        "Mul 1 output": "Mul",
        "Mul 2 output": "Mul",  # z is named, so the unnamed Muls are numbered 1 and 2
        "z": "Mul",
        "Add 1 output": "Add",
        "Add 2 output": "Add",
        "Exp output": "Exp",  # the only Exp: no number
        "Sum output": "Sum",
    }
    steps = viz.backward_steps(loss)
    rows = _table_rows(viz.format_backward_table(steps))
    received = {int(s): name for s, is_sent, name in rows if s and not is_sent}
    # the table names the gradient arriving at each op after that op's output box in draw_graph
    assert {name: made[name] for name in received.values()} == {
        name: steps[k - 1].op for k, name in received.items()
    }
    assert sorted(received.values()) == sorted(made)
    dot = viz.draw_backward(loss)
    edges = _edge_labels(dot)
    for target, _, name in edges:  # an edge into op k carries the gradient step k receives
        if target.startswith("op"):
            assert name == received[int(target[2:])]
    assert ("op1", "0", "Sum output") in edges
    assert _by_label(_nodes(dot), "Sum output") == "start"  # the root's box, as draw_graph names it
    assert "loss" not in viz.format_backward_table(steps) and "out of" not in dot.source


def _mlp():
    tg.manual_seed(0)
    model = nn.Sequential(nn.Linear(2, 3), nn.Tanh(), nn.Linear(3, 1))
    return model, model(tg.randn(4, 2)).pow(2).mean()


def test_model_or_params_give_parameters_their_qualified_names():
    model, loss = _mlp()
    graph = _nodes(viz.draw_graph(loss, model=model))
    for name, p in model.named_parameters():  # "0.weight", "0.bias", "2.weight", "2.bias"
        node = graph[_by_label(graph, name)]
        assert f"shape {tuple(p.shape)}" in node and "fillcolor=lightgreen" in node
    assert not any("weight 1" in v for v in graph.values())
    table = viz.format_backward_table(viz.backward_steps(loss), model=model)
    for name in ("0.weight", "0.bias", "2.weight", "2.bias"):
        assert table.count(f"-> dL/d({name}) ") == 1, name
    backward = _nodes(viz.draw_backward(loss, model=model))
    assert _by_label(backward, "2.weight").startswith("leaf")
    # torchviz's make_dot(y, params=dict(model.named_parameters())) names them alike
    params = dict(model.named_parameters())
    assert viz.draw_graph(loss, params=params).source == viz.draw_graph(loss, model=model).source
    assert viz.draw_backward(loss, params=params).source == viz.draw_backward(loss, model=model).source
    # without the model, the two Linears' weights are told apart by number, as before
    assert "weight 2" in viz.draw_graph(loss).source


def test_a_name_the_user_set_wins_over_the_qualified_name(capsys):
    model, _ = _mlp()
    model[0].weight.name = "W1"
    loss = model(tg.ones(1, 2)).sum()
    graph = _nodes(viz.draw_graph(loss, model=model))
    _by_label(graph, "W1")
    assert not any('label="0.weight' in v for v in graph.values())
    viz.print_backward_steps(loss, model=model)
    out = capsys.readouterr().out
    assert "-> dL/dW1 " in out and "-> dL/d(2.weight) " in out


def test_frozen_parameters_keep_their_qualified_name():
    model, _ = _mlp()
    model[0].weight.requires_grad_(False)
    loss = model(tg.ones(1, 2)).sum()
    graph = _nodes(viz.draw_graph(loss, model=model))
    assert "fillcolor=lightgrey" in graph[_by_label(graph, "0.weight")]  # no gradient: grey, but named


def test_model_and_params_arguments_are_checked():
    model, loss = _mlp()
    with pytest.raises(ValueError, match="model= or params=, not both"):
        viz.draw_graph(loss, model=model, params=dict(model.named_parameters()))
    with pytest.raises(TypeError, match="model must be an nn.Module, got dict"):
        viz.draw_backward(loss, model={})
    with pytest.raises(TypeError, match="params must be a dict of name -> tensor"):
        viz.print_backward_steps(loss, params=list(model.named_parameters()))
    with pytest.raises(TypeError, match=r"params\['w'\] must be a Tensor, got float"):
        viz.format_backward_table(viz.backward_steps(loss), params={"w": 1.0})


def test_values_print_as_tensors_print_on_one_line():
    x = tg.tensor([0.5, 0.123456, -2.0], requires_grad=True)
    x.name = "x"
    y = (x * tg.tensor([[1.0], [2.0]])).sum()
    nodes = _nodes(viz.draw_graph(y, show_values=True))
    assert "value [0.5000, 0.1235, -2.0000]" in nodes[_by_label(nodes, "x")]  # NumPy pads: [ 0.5   , ...]
    assert "value [[1.], [2.]]" in nodes[_by_label(nodes, "constant 1")]
    with tg.printoptions(precision=2):
        assert "value [0.50, 0.12, -2.00]" in viz.draw_graph(y, show_values=True).source
    labels = [
        lab.rstrip() for *_, lab in re.findall(r'-> (\w+) \[label="([^"]*)"', viz.draw_backward(y).source)
    ]
    assert "3: dL/dx = [3., 3., 3.]" in labels


def test_draw_backward_can_hide_the_values():
    *_, loss = _neuron()
    shown = [lab.rstrip() for lab in re.findall(r'\[label="([^"]*)"', viz.draw_backward(loss).source)]
    assert "0: dL/dL = 1." in shown  # shown by default: the numbers are what the picture is for
    hidden = re.findall(r'-> \w+ \[label="([^"]*?) *"', viz.draw_backward(loss, show_values=False).source)
    assert hidden[0] == "0: dL/dL" and "6: dL/dw" in hidden and not any("=" in lab for lab in hidden)


def test_titles_and_clusters_use_the_nodes_font():
    model, loss = _mlp()
    for dot in (viz.draw_graph(loss, title="MLP"), viz.draw_backward(loss, title="MLP")):
        assert re.search(r"^\tgraph \[fontname=Helvetica rankdir=\w\w\]$", dot.source, flags=re.M)
        if shutil.which("dot") is not None:
            svg = dot.pipe(format="svg").decode()
            assert "Times" not in svg and 'font-family="Helvetica,sans-Serif"' in svg


def _label_gaps(dot: graphviz.Digraph) -> list[float]:
    """The blank space, in points, between each two edge labels side by side in the rendering."""
    import json

    laid_out = json.loads(dot.pipe(format="json"))
    boxes = []
    for edge in laid_out["edges"]:
        for op in edge.get("_ldraw_", []):
            if op["op"] == "T":  # the text: its anchor point, alignment and width (spaces included)
                shown = op["width"] * len(op["text"].rstrip()) / len(op["text"])
                left = op["pt"][0] - {"l": 0, "c": 0.5, "r": 1}[op["align"]] * op["width"]
                boxes.append((round(op["pt"][1]), left, left + shown))
    boxes.sort()
    return [b[1] - a[2] for a, b in zip(boxes, boxes[1:]) if a[0] == b[0]]


@pytest.mark.skipif(shutil.which("dot") is None, reason="needs the Graphviz dot program")
def test_backward_edge_labels_side_by_side_do_not_run_together():
    a = tg.tensor(0.5, requires_grad=True)
    x, w = tg.tensor([1.0, 2.0], requires_grad=True), tg.tensor([3.0, 4.0], requires_grad=True)
    h = x * w
    for loss in ((a * a + 3 * a).sigmoid(), (h * x + h).sum()):  # each has two labels on one line
        gaps = _label_gaps(viz.draw_backward(loss))
        assert gaps and min(gaps) >= 8, gaps  # at 9 points, a gap of a space or two reads as one line


def test_a_leaf_changed_in_place_after_an_op_saved_it_is_drawn_as_that_op_saw_it() -> None:
    w = tg.tensor([1.0, 2.0], requires_grad=True)
    c = tg.tensor([3.0, 4.0])
    c.name = "c"
    h = w * c  # Mul saves c = [3, 4] for w's gradient
    c.add_(1.0)  # c stays a constant leaf, now [4, 5]; Add below uses this value
    dot = viz.draw_graph((h + c).sum(), show_values=True)
    nodes = _nodes(dot)
    drawn = {k: v for k, v in nodes.items() if "c\\n" in v}
    assert len(drawn) == 2 and "value [3., 8.]" in nodes[_by_label(nodes, "Mul output")]
    old = next(k for k, v in drawn.items() if "changed in place since" in v)
    assert "value" not in drawn[old] and (old, _by_label(nodes, "Mul")) in _edges(dot)
    now = next(k for k in drawn if k != old)
    assert "value [4., 5.]" in drawn[now]


def test_the_same_model_draws_the_same_dot_text_every_time() -> None:
    sources = []
    for _ in range(2):  # two models alike, at other addresses: the committed pictures do not churn
        tg.manual_seed(0)
        model = nn.Sequential(nn.Linear(3, 4), nn.ReLU(), nn.Linear(4, 2))
        sources.append(viz.draw_graph(model(tg.randn(5, 3)).sum(), model=model).source)
    assert sources[0] == sources[1] and sources[0].count("subgraph cluster_") == 3

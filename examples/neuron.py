"""A neuron, then a network of neurons, then the same network from nn.Linear.

A neuron takes inputs x_1..x_n, multiplies each by a weight, adds a bias and
squashes the total with the sigmoid:

    output = sigmoid(w_1 x_1 + ... + w_n x_n + b),    sigmoid(z) = 1 / (1 + e^-z)

The bias lets the neuron fire (or stay quiet) even when every input is 0; it
shifts the sigmoid left or right.

This script
  1. computes one neuron's output by hand with NumPy and again with Tensors
     (the two numbers are the same);
  2. wires neurons into a fully connected network, input -> 4 -> 4 -> 1, and
     counts its parameters (every weight and every bias is one parameter);
  3. builds the same shape from nn.Linear layers and counts again;
  4. shows that a fixed random seed makes a run reproducible: drawing the
     weights after the same seed gives the same network and the same output.

Run:  python examples/neuron.py                 (instant)
      python examples/neuron.py --inputs 20     (a wider input layer)
"""

from __future__ import annotations

import argparse
from pathlib import Path

import numpy as np

import tinygrad_edu as tg
from tinygrad_edu import nn


def sigmoid(z):
    return 1.0 / (1.0 + np.exp(-z))


class Neuron:
    """One sigmoid neuron with its own weights (one per input) and one bias, drawn from U[0, 1)."""

    def __init__(self, n_inputs: int):
        self.w = np.random.rand(n_inputs)  # weights first, then the bias: the order matters for a seed
        self.b = np.random.rand()

    def __call__(self, x: np.ndarray) -> float:
        return float(sigmoid(self.w @ x + self.b))

    def n_parameters(self) -> int:
        return self.w.size + 1


class NeuronNetwork:
    """Fully connected layers of Neuron objects: every neuron sees every output of the layer before."""

    def __init__(self, n_inputs: int, hidden: tuple[int, ...] = (4, 4)):
        sizes = [n_inputs, *hidden, 1]
        self.layers = [[Neuron(n_in) for _ in range(n_out)] for n_in, n_out in zip(sizes[:-1], sizes[1:])]

    def __call__(self, x: np.ndarray) -> float:
        for layer in self.layers:
            x = np.array([neuron(x) for neuron in layer])
        return float(x[0])


def one_neuron(n_inputs: int, seed: int) -> tuple[float, float]:
    np.random.seed(seed)
    neuron = Neuron(n_inputs)
    x = np.ones(n_inputs)
    by_hand = neuron(x)
    # The same computation with Tensors. NumPy float64 arrays stay float64, so the numbers agree; a plain
    # Python float would become float32 (the default), hence np.float64 around the bias.
    w, b, xt = tg.tensor(neuron.w), tg.tensor(np.float64(neuron.b)), tg.tensor(x)
    with_tensors = (xt @ w + b).sigmoid().item()
    print(f"1. One neuron with {n_inputs} inputs (seed {seed}), all inputs 1:")
    print(f"   weights {np.round(neuron.w, 3)}, bias {neuron.b:.3f}")
    print(f"   NumPy by hand : sigmoid(w . x + b)     = {by_hand:.12f}")
    print(f"   with Tensors  : (x @ w + b).sigmoid() = {with_tensors:.12f}")
    return by_hand, with_tensors


def count_neuron_network(net: NeuronNetwork, n_inputs: int) -> int:
    print(f"\n2. A network of Neuron objects: {n_inputs} inputs -> 4 -> 4 -> 1")
    total, n_in = 0, n_inputs
    for i, layer in enumerate(net.layers, 1):
        weights, biases = len(layer) * n_in, len(layer)
        counted = sum(neuron.n_parameters() for neuron in layer)
        assert counted == weights + biases
        print(
            f"   layer {i}: {len(layer)} neurons x {n_in} inputs = {weights:3d} weights + {biases} biases"
            f" = {counted} parameters"
        )
        total += counted
        n_in = len(layer)
    print(f"   total: {total} parameters")
    return total


def linear_network(n_inputs: int) -> tuple[nn.Module, int]:
    model, total = build_quiet(n_inputs)
    print("\n3. The same network from nn.Linear layers (one weight matrix and one bias vector per layer):")
    print(model)
    for name, p in model.named_parameters():
        print(f"   {name:9s} shape {str(p.shape):8s} -> {p.numel():3d} parameters")
    print(f"   total: {total} parameters")
    return model, total


def reproducibility(n_inputs: int, seed: int) -> list[float]:
    print("\n4. Reproducible runs: the weights are random, but a fixed seed fixes them.")
    outputs = []
    for attempt in range(2):
        np.random.seed(seed)
        outputs.append(NeuronNetwork(n_inputs)(np.ones(n_inputs)))
        print(f"   Neuron network, np.random.seed({seed}), run {attempt + 1}: output {outputs[-1]:.8f}")
    np.random.seed(seed + 1)
    other = NeuronNetwork(n_inputs)(np.ones(n_inputs))
    print(f"   Neuron network, np.random.seed({seed + 1})       : output {other:.8f} (another network)")
    if (seed, n_inputs) == (1, 5):
        print("   (the lesson's reference value for seed 1 and 5 inputs is 0.87080997: it matches)")
    x = tg.ones(1, n_inputs)
    for attempt in range(2):
        tg.manual_seed(seed)
        model, _ = build_quiet(n_inputs)
        outputs.append(model(x).item())
        print(f"   nn.Linear network, tg.manual_seed({seed}), run {attempt + 1}: output {outputs[-1]:.8f}")
    return outputs


def build_quiet(n_inputs: int) -> tuple[nn.Module, int]:
    model = nn.Sequential(
        nn.Linear(n_inputs, 4), nn.Sigmoid(), nn.Linear(4, 4), nn.Sigmoid(), nn.Linear(4, 1), nn.Sigmoid()
    )
    return model, sum(p.numel() for p in model.parameters())


def main(argv: list[str] | None = None) -> dict:
    parser = argparse.ArgumentParser(description="A sigmoid neuron and a small network of them.")
    parser.add_argument("--inputs", type=int, default=5, help="number of inputs of the network")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--out", type=Path, default=Path("out/neuron"), help="unused; kept for symmetry")
    parser.add_argument("--smoke", action="store_true", help="same as a normal run (it is instant)")
    args = parser.parse_args(argv)

    by_hand, with_tensors = one_neuron(10, args.seed)
    np.random.seed(args.seed)
    net = NeuronNetwork(args.inputs)
    n_neurons = count_neuron_network(net, args.inputs)
    _, n_linear = linear_network(args.inputs)
    assert n_neurons == n_linear
    print(f"   same count as the Neuron network: {n_linear} = {n_neurons}")
    outputs = reproducibility(args.inputs, args.seed)
    return {
        "neuron_numpy": by_hand,
        "neuron_tensor": with_tensors,
        "n_params_neurons": n_neurons,
        "n_params_linear": n_linear,
        "network_output": outputs[0],
        "outputs": outputs,
    }


if __name__ == "__main__":
    main()

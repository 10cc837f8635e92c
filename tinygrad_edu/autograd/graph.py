"""A walk over a recorded graph in topological order, for the graph drawings (viz/).

A recorded graph is made of `Node`s; each node's `parents` point to the nodes
(or leaf tensors) that produced its inputs. Walking it is iterative, with an
explicit stack, so a chain of 100,000 ops needs no deep Python recursion.
"""

from __future__ import annotations

from collections.abc import Iterable

from .function import Node


def topological_order(roots: Iterable[Node]) -> list[Node]:
    """Every node reachable from `roots`, each listed before the nodes it consumes.

    Backward's order is one such order: a node comes only after every node
    that uses its output (depth-first post-order, reversed). The engine gets
    it from the nodes' recording numbers instead, without a walk first.
    """
    order: list[Node] = []
    visited: set[Node] = set()
    for root in roots:
        if root in visited:
            continue
        visited.add(root)
        stack = [(root, iter(root.parents))]
        while stack:
            node, parents = stack[-1]
            for parent in parents:
                if parent not in visited and isinstance(parent, Node):
                    visited.add(parent)
                    stack.append((parent, iter(parent.parents)))
                    break
            else:
                stack.pop()
                order.append(node)
    order.reverse()
    return order

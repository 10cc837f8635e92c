"""The differentiable operations, grouped by kind (see each module)."""

"""coursekit: learn automatic differentiation by building it one scalar at a time."""

from coursekit.engine import Value, paused_gc, reverse_topological_order, zero_grad

__all__ = ["Value", "paused_gc", "reverse_topological_order", "zero_grad"]

"""coursekit: learn automatic differentiation by building it one scalar at a time."""

from coursekit.engine import Value, paused_gc, reverse_topological_order, zero_grad

__all__ = ["Value", "paused_gc", "reverse_topological_order", "zero_grad"]

from coursekit.dot import draw_dot  # noqa: E402
from coursekit.graph import trace  # noqa: E402

__all__ += ["draw_dot", "load_ipython_extension", "trace"]


def load_ipython_extension(ipython):
    """`%load_ext coursekit`: register %%trace and %trace (IPython is imported only then)."""
    from coursekit.magics import load_ipython_extension as load

    load(ipython)

"""coursekit: learn automatic differentiation by building it one scalar at a time.

The engine is here at the top (`engine`, `rules`: the derivative rule of every operation, `nn`,
`gradcheck`); the other parts are folders:
`tracing/` (%%trace), `grading/` (the autograder), `course/` (assign, validate, release),
`capstone/` (two moons, the GPT) and `cli/` (the `coursekit` command).
"""

from coursekit.engine import Value, paused_gc, reverse_topological_order, zero_grad
from coursekit.tracing.graph import trace

# The name to `pip install` (the public index's `coursekit` is another project); the import
# name and the command are `coursekit`.
DISTRIBUTION = "coursekit-autodiff"


def draw_dot(root, **options):
    """The computation graph below `root` as a `graphviz.Digraph`.

    Options: rankdir="LR", ops=True, edges=False, max_nodes=300, names=None (see
    `coursekit.tracing.digraph.draw_dot`). graphviz is imported on the first call, not with coursekit.
    """
    from coursekit.tracing.digraph import draw_dot as draw

    return draw(root, **options)


def load_ipython_extension(ipython):
    """`%load_ext coursekit`: register %%trace, %trace and %check (IPython is imported only then)."""
    from coursekit.grading.magic import load_ipython_extension as load_check
    from coursekit.tracing.magics import load_ipython_extension as load_trace

    load_trace(ipython)
    load_check(ipython)


__all__ = ["Value", "draw_dot", "load_ipython_extension", "paused_gc", "reverse_topological_order", "trace", "zero_grad"]

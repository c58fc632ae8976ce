"""`%%trace`: draw the computation graph of any Value class.

Data flows: magics (the IPython face: `TraceOptions` from the magic's arguments) -> graph (walk
the values once, read them as plain `Node`s and `Edge`s; infer names ops from the numbers with
coursekit.rules) -> fold and overview (big graphs as Σ runs, neuron and layer boxes) -> digraph
(style the DOT, marks as data) -> drawing (a `Drawing`, laid out once per format by layout, the
one place a layout engine runs; shown in Jupyter through view's HTML, saved to files, or a text
tree). stepper walks backward() one node at a time on top of a drawing.
"""

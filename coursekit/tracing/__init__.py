"""`%%trace`: draw the computation graph of any Value class.

Modules in the order data flows through them:

1. magics: the IPython face; the magic's arguments become `TraceOptions`.
2. graph: walk the values once (`Walk`) and read them as plain data (`Graph` of `Node`s and
   `Edge`s); infer names the ops of classes that store none, from the table in coursekit.rules.
3. fold, overview: a big graph becomes an overview (Σ runs, neuron and layer boxes, a cut).
4. digraph: the DOT of a graph, styled; marks (wrong numbers in red) are data it takes.
5. drawing: a `Drawing` builds the DOT when asked and lays it out once per format, to show in
   Jupyter (view: the zoomable HTML around the SVG), to save, or as a text tree.
6. engines: the one place a layout engine runs (system `dot`, else `graphviz-pure`).

stepper (`--steps`) replays backward() on a graph and draws it as a step-through view.
"""

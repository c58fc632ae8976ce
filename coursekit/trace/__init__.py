"""`%%trace`: draw the computation graph of any Value class, in three layers.

graph (extract nodes and edges, duck-typed) -> fold and digraph (group big graphs, style the DOT)
-> display (lay out with Graphviz, show in Jupyter, save to files); stepper walks backward() one
node at a time and magics is the IPython face.
"""

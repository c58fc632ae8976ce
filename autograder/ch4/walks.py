"""Reference code for chapter 4: the order the known-wrong backward passes walk in."""


def topological_order(root):
    """Every node after all the nodes it was built from, in the order of micrograd's recursive
    depth-first walk (children in order), with an explicit stack: no recursion limit."""
    order, visited, stack = [], set(), [(root, False)]
    push, pop, visit = stack.append, stack.pop, visited.add  # a chain of 10^5 nodes: the loop is the cost
    while stack:
        node, children_done = pop()
        if children_done:
            order.append(node)
        elif node not in visited:  # Values hash by identity
            visit(node)
            push((node, True))
            for child in reversed(node._children):
                push((child, False))
    return order

"""Reference code for chapter 4: the order the known-wrong backward passes walk in."""


def topological_order(root):
    """Every node after all the nodes it was built from, in the order of micrograd's recursive
    depth-first walk (children in order), with an explicit stack: no recursion limit."""
    order, visited, stack = [], set(), [(root, False)]
    while stack:
        node, children_done = stack.pop()
        if children_done:
            order.append(node)
        elif id(node) not in visited:
            visited.add(id(node))
            stack.append((node, True))
            stack.extend((child, False) for child in reversed(node._children))
    return order

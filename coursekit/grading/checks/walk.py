"""Gradients read from an answer's graph by our own walk over the student's children and local
gradients: never the student's backward(), so a broken backward costs only the backward points."""

from coursekit.grading.checks.base import Mismatch


def node_grads(children, local, output):
    """d(output)/d(node) for the nodes 0..output, by the chain rule over the stored local gradients
    (children come before their users, as the child lists them)."""
    grad = [0.0] * (output + 1)
    grad[output] = 1.0
    for node in range(output, -1, -1):
        if len(children[node]) != len(local[node]):
            raise Mismatch(f"a Value has {len(children[node])} children but {len(local[node])} local gradients")
        for child, local_grad in zip(children[node], local[node]):
            if not 0 <= child < node:
                raise ValueError("children must come before their users")
            grad[child] += local_grad * grad[node]
    return grad


def input_grads(answer):
    """d(output)/d(input) for each Value output and each input of an AnswerGraph."""
    grads = []
    for output in answer.outputs:
        if isinstance(output, dict):
            continue
        grad = node_grads(answer.children, answer.local, output)
        grads.extend(0.0 if node is None or node > output else grad[node] for node in answer.inputs)
    return tuple(grads)


def is_primitive(answer):
    """One Value output whose children are all inputs: checkable on its children and local grads."""
    outputs = answer.outputs
    if len(outputs) != 1 or isinstance(outputs[0], dict):
        return False
    return all(child in answer.inputs for child in answer.children[outputs[0]])

"""Reference code for chapter 3: the two numerical derivatives the notebook asks for."""


def nudge(f, x, h=1e-6):
    return (f(x + h) - f(x)) / h


def central_nudge(f, x, h=1e-5):
    return (f(x + h) - f(x - h)) / (2 * h)

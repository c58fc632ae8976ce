"""The mutation operators: each wrong variant of the solution changes one thing, inside a solution region."""

from pathlib import Path

from coursekit.course.mutation_operators import count_regions, mutants_of, stub_region

SOLUTIONS = Path(__file__).resolve().parents[2] / "solutions"

SNIPPET = '''class Value:
    def __mul__(self, other):
        ### BEGIN SOLUTION
        return Value(self.data * other.data, (self, other), (other.data, self.data))
        ### END SOLUTION

    def __pow__(self, n):
        ### BEGIN SOLUTION
        return Value(self.data**n, (self,), (n * self.data ** (n - 1),))
        ### END SOLUTION

    def backward(self):
        self.grad = 1  # outside the regions: never changed
        ### BEGIN SOLUTION
        for child, local in zip(self._children, self._local_grads):
            child.grad += local * self.grad
        ### END SOLUTION
'''


def test_each_operator_makes_the_mistake_it_names():
    made = {(m.operator, m.before, m.after) for m in mutants_of("value.py", SNIPPET)}
    assert ("operand swap", "(other.data, self.data)", "(self.data, other.data)") in made
    assert ("dropped factor", "self.data * other.data", "self.data") in made
    assert ("extra factor", "self.data * other.data", "self.data * other.data * other.data") in made
    assert ("wrong exponent", "self.data**n", "self.data ** (n + 1)") in made
    assert ("sign flip", "n - 1", "n + 1") in made
    assert ("off by one", "1", "2") in made
    assert ("constant instead of computation", "n * self.data ** (n - 1)", "1.0") in made
    assert ("= instead of +=", "child.grad += local * self.grad", "child.grad = local * self.grad") in made
    assert not any(before == "self.grad = 1" or "a * b" in after for _, before, after in made)


def test_a_mutant_changes_one_thing_inside_a_solution_region_and_still_compiles():
    for mutant in mutants_of("value.py", SNIPPET):
        compile(mutant.text, mutant.name, "exec")
        changed = [line for old, line in zip(SNIPPET.splitlines(), mutant.text.splitlines()) if old != line]
        assert len(changed) == 1 and "self.grad = 1" not in changed[0]
    first = mutants_of("value.py", SNIPPET)[0]
    assert first.name.startswith("value.py: Value.__mul__: `")


def test_a_notebook_region_is_stubbed_and_mutated_inside_its_cell():
    notebook = (SOLUTIONS / "ch2-more-operations.ipynb").read_text()
    assert count_regions("ch2.ipynb", notebook) == 1
    assert "raise NotImplementedError()" in stub_region("ch2.ipynb", notebook, 0)
    names = [m.name for m in mutants_of("ch2.ipynb", notebook)]
    assert "ch2.ipynb: softplus: `1 + v.exp()` → `1 - v.exp()`" in names

import math

import pytest
from click.testing import CliRunner

from coursekit import Value
from coursekit.cli import main
from coursekit.gradcheck import check_gradients, nudge_table, numerical_grad, one_sided_grad
from coursekit.rules import RULES


def test_numerical_grad_of_known_functions():
    assert numerical_grad(math.sin, 0.3) == pytest.approx(math.cos(0.3), rel=1e-8)
    assert numerical_grad(lambda x: x**3, 2.0, 1e-5) == pytest.approx(12.0, rel=1e-8)
    # the one-sided nudge drifts by about h * f''/2
    assert one_sided_grad(lambda x: x**3, 2.0, 1e-3) - 12.0 == pytest.approx(1e-3 * 12 / 2, rel=1e-2)


def test_check_gradients_agrees_on_a_correct_graph():
    rows = check_gradients(lambda a, b: (a * b + a.exp()).log() / b, 1.5, 0.3)
    assert [row.input for row in rows] == [1.5, 0.3]
    assert all(row.ok for row in rows)
    b = 0.3
    assert rows[0].analytic == pytest.approx((b + math.exp(1.5)) / (1.5 * b + math.exp(1.5)) / b)


def broken_square(a):
    return Value(a.data**2, (a,), (a.data,), "**2")  # the local gradient should be 2a


def test_check_gradients_catches_a_wrong_local_gradient():
    (row,) = check_gradients(broken_square, 3.0)
    assert not row.ok and row.analytic == 3.0 and row.numerical == pytest.approx(6.0)


def test_the_nudge_table_agrees_for_every_operation():
    rows = nudge_table()
    assert {row.operation.name for row in rows} >= {"add", "mul", "pow", "log", "exp", "relu", "neg", "sub", "div"}
    assert {(row.operation.name, row.operation.at) for row in rows} >= {(rule.name, at) for rule in RULES for at, *_ in rule.samples}
    assert all(row.ok for row in rows)
    curved = next(row for row in rows if row.operation.name == "exp")
    assert curved.measured - curved.backward == pytest.approx(curved.drift, rel=1e-3)


def test_gradcheck_command_prints_the_table():
    result = CliRunner().invoke(main, ["gradcheck"])
    assert result.exit_code == 0, result.output
    assert "a.log()" in result.output and "drift" in result.output and "DISAGREE" not in result.output


def test_gradcheck_command_exits_1_when_an_operation_is_wrong(monkeypatch):
    monkeypatch.setattr(Value, "exp", lambda self: Value(math.exp(self.data), (self,), (1.0,), "exp"))
    result = CliRunner().invoke(main, ["gradcheck"])
    assert result.exit_code == 1
    assert "DISAGREE" in result.output


def test_gradcheck_rejects_a_bad_nudge():
    result = CliRunner().invoke(main, ["gradcheck", "--nudge", "0"])
    assert result.exit_code == 2 and "--nudge" in result.output


def test_installed_entry_point_runs_gradcheck(run_coursekit):
    assert "gradcheck" in run_coursekit("--help").stdout
    result = run_coursekit("gradcheck")
    assert result.returncode == 0 and "sigmoid" in result.stdout
    bad = run_coursekit("gradcheck", "--nudge", "-1")
    assert bad.returncode == 2 and "--nudge" in bad.stderr

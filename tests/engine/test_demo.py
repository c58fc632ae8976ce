import html
import sysconfig

from click.testing import CliRunner

from coursekit.cli import main
from coursekit.demo import textbook_example


def test_textbook_example_grads():
    grads = {node.label: (node.data, node.grad) for node in textbook_example()}
    assert grads == {
        "a": (2.0, 6.0), "b": (-3.0, -4.0), "c": (10.0, -2.0), "f": (-2.0, 4.0),
        "e": (-6.0, -2.0), "d": (4.0, -2.0), "L": (-8.0, 1.0),
    }


def test_demo_prints_the_tour_and_writes_the_svg(tmp_path):
    result = CliRunner().invoke(main, ["demo", "--out", str(tmp_path / "out")])
    assert result.exit_code == 0, result.output
    svg = html.unescape((tmp_path / "out" / "graph.svg").read_text())
    assert svg.lstrip().startswith("<?xml") and "</svg>" in svg
    for text in ("data -8", "grad 6", "grad -4"):
        assert text in svg
    assert "drift" in result.output and "L.backward()" in result.output
    # run in the course folder, it grades solutions/ and exercises/ on every chapter
    assert "ch4 backward" in result.output and "30/30" in result.output and "0/30" in result.output
    assert "practice ✓" in result.output and "0/0" not in result.output  # a test worth no points


def test_demo_train_reaches_high_accuracy(tmp_path):
    result = CliRunner().invoke(main, ["demo", "--train", "--out", str(tmp_path)])
    assert result.exit_code == 0, result.output
    assert "loss per step" in result.output
    accuracy = int(result.output.split("final loss")[1].split("accuracy ")[1].split("%")[0])
    assert accuracy >= 95


def test_demo_as_a_subprocess(run_coursekit, tmp_path):
    result = run_coursekit("demo", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "demo-output" / "graph.svg").exists()
    assert not [p for p in (tmp_path / "demo-output").iterdir() if p.name.endswith(".tmp")]


def test_demo_without_dot_draws_with_graphviz_pure(tmp_path, monkeypatch):
    monkeypatch.setenv("PATH", str(tmp_path / "empty"))  # no dot; graphviz-pure is found beside Python
    result = CliRunner().invoke(main, ["demo", "--out", str(tmp_path / "out")])
    assert result.exit_code == 0, result.output
    assert "grad 6" in (tmp_path / "out" / "graph.svg").read_text()


def test_demo_without_any_layout_program_says_how_to_install_one_and_goes_on(tmp_path, monkeypatch):
    monkeypatch.setenv("PATH", str(tmp_path / "empty"))
    monkeypatch.setattr(sysconfig, "get_path", lambda name: str(tmp_path / "empty"))  # and no graphviz-pure
    result = CliRunner().invoke(main, ["demo", "--out", str(tmp_path / "out")])
    assert result.exit_code == 0, result.output
    assert "%pip install graphviz-pure" in result.output and "Traceback" not in result.output
    assert not (tmp_path / "out" / "graph.svg").exists()
    assert "drift" in result.output  # the rest of the tour still runs

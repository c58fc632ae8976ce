"""The package as users import it: light to import, and each part loads only what it needs."""

import subprocess
import sys
from pathlib import Path

import pytest

DRAWING_AND_NOTEBOOK = ("graphviz", "IPython", "rich", "nbformat", "matplotlib")


def modules_after(statement):
    """The top-level packages loaded by `statement` in a fresh interpreter."""
    probe = f"{statement}\nimport sys\nprint(' '.join(sorted({{name.split('.')[0] for name in sys.modules}})))"
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, timeout=120, check=True)
    return set(done.stdout.split())


def test_import_coursekit_loads_no_drawing_or_notebook_library():
    assert not modules_after("import coursekit") & set(DRAWING_AND_NOTEBOOK)


@pytest.mark.parametrize("command", [["grade", "--help"], ["check", "--help"]])
def test_the_grader_never_loads_graphviz(command):
    statement = f"from click.testing import CliRunner\nfrom coursekit.cli import main\nCliRunner().invoke(main, {command!r})"
    assert "graphviz" not in modules_after(statement)


def test_grading_a_submission_never_loads_graphviz():
    solution = Path(__file__).resolve().parents[1] / "solutions" / "value.py"
    statement = (
        "from coursekit import grading\n"
        "from coursekit.grading.report import format_report\n"
        f"assert grading.grade({str(solution)!r}, assignment='ch1').passed\n"
    )
    assert "graphviz" not in modules_after(statement)


def test_public_api_keeps_its_names():
    import coursekit

    assert callable(coursekit.trace) and callable(coursekit.draw_dot)
    values = coursekit.trace(coursekit.Value(1.0) * 2)
    assert len(values.nodes) == 3
    assert type(coursekit.draw_dot(coursekit.Value(1.0))).__name__ == "Digraph"


def test_no_package_and_function_share_a_name():
    statement = "import coursekit.tracing.drawing, coursekit\nprint(callable(coursekit.trace), coursekit.tracing.drawing.__name__)"
    done = subprocess.run([sys.executable, "-c", statement], capture_output=True, text=True, check=True)
    assert done.stdout == "True coursekit.tracing.drawing\n"

"""The extras of pyproject.toml: what each holds, and a clear message when a command needs a missing one."""

import re
import subprocess
import sys
from pathlib import Path

import pytest

from coursekit import DISTRIBUTION
from coursekit.cli.errors import EXTRA_OF_MODULE

try:
    import tomllib
except ModuleNotFoundError:  # Python 3.10
    import tomli as tomllib

PROJECT = tomllib.loads((Path(__file__).resolve().parents[2] / "pyproject.toml").read_text())["project"]
DISTRIBUTION_OF_MODULE = {"IPython": "ipython"}


def requirement_names(requirements):
    return {re.match(r"[A-Za-z0-9_.-]+", requirement)[0].lower() for requirement in requirements}


def extra_closure(extra):
    """Every distribution an extra brings, following `coursekit-autodiff[...]` references."""
    names = set()
    for requirement in PROJECT["optional-dependencies"][extra]:
        inner = re.fullmatch(rf"{DISTRIBUTION}\[(.+)\]", requirement)
        names |= set().union(*(extra_closure(name) for name in inner[1].split(","))) if inner else requirement_names([requirement])
    return names


def test_the_distribution_name_is_ours_and_the_core_is_what_grading_needs():
    assert PROJECT["name"] == DISTRIBUTION == "coursekit-autodiff"
    assert PROJECT["scripts"] == {"coursekit": "coursekit.cli:main"}
    assert requirement_names(PROJECT["dependencies"]) == {"click", "rich", "tomli"}


def test_the_students_extra_has_the_notebook_the_plots_and_jupyterlab():
    assert {"ipython", "graphviz", "nbformat", "matplotlib", "ipykernel", "jupyterlab"} <= extra_closure("course")
    assert extra_closure("course") <= extra_closure("instructor") <= extra_closure("dev")


@pytest.mark.parametrize("module", sorted(EXTRA_OF_MODULE))
def test_each_optional_module_is_in_the_extra_the_message_names(module):
    assert DISTRIBUTION_OF_MODULE.get(module, module).lower() in extra_closure(EXTRA_OF_MODULE[module])
    assert DISTRIBUTION_OF_MODULE.get(module, module).lower() not in requirement_names(PROJECT["dependencies"])


@pytest.mark.parametrize(("blocked", "command", "extra"), [
    ("graphviz", ["demo"], "notebook"),
    ("matplotlib", ["gpt", "train", "--steps", "1", "--samples", "0"], "plots"),
])
def test_a_command_that_needs_a_missing_extra_says_what_to_install(tmp_path, blocked, command, extra):
    # A fresh interpreter in which the module cannot be imported, as if it were not installed.
    script = f"import sys; sys.modules[{blocked!r}] = None; from coursekit.cli import main; main()"
    done = subprocess.run([sys.executable, "-c", script, *command, "--out", str(tmp_path / "out")],
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 2, done.stderr
    assert done.stderr.splitlines()[-1] == (f"Error: `coursekit {command[0]}` needs {blocked}, from the `{extra}` "
                                            f"extra: pip install 'coursekit-autodiff[{extra}]'")

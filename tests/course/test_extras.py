"""The extras of pyproject.toml: what each holds, and a clear message when a command needs a missing one."""

import re
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from coursekit import DISTRIBUTION
from coursekit.cli import main
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


def test_a_command_that_needs_a_missing_extra_says_what_to_install(monkeypatch, tmp_path):
    monkeypatch.setitem(sys.modules, "graphviz", None)  # as if it were not installed
    for name in [name for name in sys.modules if name.startswith("coursekit.trace.digraph")]:
        monkeypatch.delitem(sys.modules, name)
    result = CliRunner().invoke(main, ["demo", "--out", str(tmp_path)])
    assert result.exit_code == 2
    assert result.output.splitlines()[-1] == ("Error: `coursekit demo` needs graphviz, from the `notebook` extra: "
                                              "pip install 'coursekit-autodiff[notebook]'")

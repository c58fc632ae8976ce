"""`coursekit check` in a student's folder: the public tests shipped beside the work, and --seed."""

import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from coursekit.cli import main

ROOT = Path(__file__).resolve().parents[2]
SOLUTION = ROOT / "solutions" / "value.py"
COURSEKIT = Path(sys.executable).with_name("coursekit")
PACKAGE_RUBRIC = ROOT / "coursekit" / "grading" / "public" / "rubric.toml"
# A public rubric of the student zip's kind, told apart from the package's by its points (110 in
# all) and by random cases for mul.
SHIPPED = PACKAGE_RUBRIC.read_text().replace("[tests.add]\npoints = 10", "[tests.add]\npoints = 20").replace(
    "[tests.mul]\npoints = 10", "[tests.mul]\npoints = 10\ncases = 3\na = [-5.0, 5.0]\nb = [-5.0, 5.0]")


@pytest.fixture
def unzipped(tmp_path):
    """A student's folder as the zip unpacks it: exercises/ with value.py and public-tests/."""
    folder = tmp_path / "exercises"
    (folder / "public-tests").mkdir(parents=True)
    (folder / "public-tests" / "rubric.toml").write_text(SHIPPED)
    shutil.copy(SOLUTION, folder / "value.py")
    return folder


def check(*arguments):
    return CliRunner().invoke(main, ["check", *arguments])


def test_check_uses_the_public_tests_beside_the_work(unzipped, monkeypatch):
    for cwd, arguments in ((unzipped, ()), (unzipped.parent, ()), (unzipped, ("value.py",)), (ROOT, (str(unzipped / "value.py"),))):
        monkeypatch.chdir(cwd)
        result = check(*arguments)
        assert result.exit_code == 0, result.output
        assert f"{Path('public-tests') / 'rubric.toml'}" in result.output.splitlines()[0]
        assert "Total: 110 / 110" in result.output, (cwd, arguments)


def test_without_shipped_tests_check_uses_the_packages_own(unzipped, monkeypatch):
    shutil.rmtree(unzipped / "public-tests")
    monkeypatch.chdir(unzipped)
    result = check()
    assert result.exit_code == 0 and "coursekit/grading/public/rubric.toml" in result.output
    assert "Total: 100 / 100" in result.output


def test_check_replays_a_run_with_the_seed_it_prints(unzipped, monkeypatch):
    monkeypatch.chdir(unzipped)
    (unzipped / "value.py").write_text(SOLUTION.read_text().replace("return Value(self.data * other.data, (self, other), (other.data, self.data))",
                                                                    "return Value(self.data * other.data, (self, other), (self.data, other.data))"))
    first = check()
    assert first.exit_code == 1
    seed = first.output.splitlines()[0].rsplit("--seed ", 1)[1].rstrip(")")
    again = check("--seed", seed)
    assert again.output == first.output  # without --seed a run draws a new seed, and its header says so
    assert check().output.splitlines()[0] != first.output.splitlines()[0]


def test_a_broken_shipped_rubric_is_a_clear_error(unzipped, monkeypatch):
    (unzipped / "public-tests" / "rubric.toml").write_text("[tests.add\n")
    monkeypatch.chdir(unzipped)
    done = subprocess.run([COURSEKIT, "check"], cwd=unzipped, capture_output=True, text=True, timeout=120)
    assert done.returncode == 2 and done.stderr.startswith("Error: ") and "rubric.toml" in done.stderr
    assert "--seed" in subprocess.run([COURSEKIT, "check", "--help"], capture_output=True, text=True, timeout=120).stdout


def test_the_installed_command_checks_with_a_seed(unzipped):
    done = subprocess.run([COURSEKIT, "check", "--seed", "7"], cwd=unzipped, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert "seed 7 (re-run with --seed 7)" in done.stdout.splitlines()[0]
    assert "Total: 110 / 110" in done.stdout

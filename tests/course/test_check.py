"""`coursekit check` in a student's folder: the public tests shipped beside the work."""

import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from coursekit.cli import main
from coursekit.grading import find_assignments

ROOT = Path(__file__).resolve().parents[2]
SOLUTIONS, EXERCISES = ROOT / "solutions", ROOT / "exercises"
COURSEKIT = Path(sys.executable).with_name("coursekit")


@pytest.fixture
def unzipped(tmp_path):
    """A student's folder as student.zip unpacks it (exercises/ with public-tests/), the work done."""
    folder = tmp_path / "exercises"
    shutil.copytree(EXERCISES, folder)
    for done in SOLUTIONS.glob("*.ipynb"):
        shutil.copy(done, folder / done.name)
    shutil.copy(SOLUTIONS / "value.py", folder / "value.py")
    return folder


def check(*arguments):
    return CliRunner().invoke(main, ["check", *arguments])


def test_check_finds_the_public_tests_beside_the_work_from_anywhere(unzipped, monkeypatch):
    for cwd, arguments in ((unzipped, ()), (unzipped.parent, ()), (unzipped, ("value.py",)),
                           (ROOT, (str(unzipped / "value.py"), "--assignment", "ch1"))):
        monkeypatch.chdir(cwd)
        result = check(*arguments)
        assert result.exit_code == 0, (cwd, arguments, result.output)
        assert str(Path("public-tests") / "ch1") in result.output


def test_check_one_assignment_and_every_one(unzipped, monkeypatch):
    monkeypatch.chdir(unzipped)
    one = check("--assignment", "ch2")
    assert one.exit_code == 0 and "assignment ch2" in one.output and "assignment ch1" not in one.output
    every = check()
    assert every.exit_code == 0
    public = find_assignments(ROOT / "exercises" / "public-tests")
    assert all(f"assignment {name}" in every.output for name in public) and f"All {len(public)} assignments" in every.output


def test_a_mistake_fails_the_check_with_its_hint_and_no_seed_to_replay(unzipped, monkeypatch):
    monkeypatch.chdir(unzipped)
    value = unzipped / "value.py"
    value.write_text(value.read_text().replace("(self, other), (other.data, self.data))", "(self, other), (self.data, other.data))"))
    result = check("--assignment", "ch1")
    assert result.exit_code == 1 and "mul" in result.output
    # the public tests carry the known mistakes' answers (not their code), so the hint reaches the student
    assert "hint: mul's local gradients are the wrong way round" in result.output
    assert "--seed" not in result.output  # public tests have fixed answers: nothing to replay
    assert check("--assignment", "ch1").output == result.output  # the same work, the same report


def test_without_public_tests_check_says_where_they_come_from(unzipped, monkeypatch):
    shutil.rmtree(unzipped / "public-tests")
    monkeypatch.chdir(unzipped)
    done = subprocess.run([COURSEKIT, "check"], cwd=unzipped, capture_output=True, text=True, timeout=120)
    assert done.returncode == 2 and done.stderr.startswith("Error: ") and "public-tests/" in done.stderr


def test_a_broken_shipped_rubric_is_a_clear_error(unzipped):
    (unzipped / "public-tests" / "ch1" / "rubric.toml").write_text("[tests.add\n")
    done = subprocess.run([COURSEKIT, "check", "--assignment", "ch1"], cwd=unzipped, capture_output=True, text=True,
                          timeout=120)
    assert done.returncode == 2 and done.stderr.startswith("Error: ") and "rubric.toml" in done.stderr

"""End to end, as a student: unzip student.zip, type the README's commands into a fresh venv, run
chapter 1 in a kernel, and `coursekit check` in the unzipped folder.

The slow one of the suite (a venv with JupyterLab from the package index, then a kernel): about
a minute with pip's cache warm. It runs in `make test`; `-m "not end_to_end"` leaves it out.
"""

import os
import re
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import nbformat
import pytest

from coursekit.course.kernel import first_exercise_cell
from coursekit.course.release import release
from coursekit.course.wheels import build_wheel

pytestmark = pytest.mark.end_to_end

ROOT = Path(__file__).resolve().parents[2]
CHAPTER_1 = "ch1-a-value-that-remembers.ipynb"
INSTALL_SECONDS = 900  # a hang guard: with pip's cache warm the install takes under a minute


def readme_commands(readme):
    """The lines of the README's first bash block: what a student types."""
    block = re.search(r"```bash\n(.*?)```", readme, re.S)
    assert block, "the student README shows its commands in a ```bash block"
    return [line for line in block[1].splitlines() if line.strip()]


def student_environment(home):
    """This machine's environment without the test's own venv, as a new terminal has it; Jupyter's
    user folders in `home` so that no kernel installed elsewhere is picked up."""
    ours = str(Path(sys.executable).parent)
    env = {key: value for key, value in os.environ.items() if key not in ("VIRTUAL_ENV", "PYTHONPATH", "PYTHONHOME")}
    env["PATH"] = os.pathsep.join(part for part in env.get("PATH", "").split(os.pathsep) if part != ours)
    env.update(HOME=str(home), JUPYTER_DATA_DIR=str(home / "jupyter-data"), JUPYTER_CONFIG_DIR=str(home / "jupyter-config"),
               JUPYTER_RUNTIME_DIR=str(home / "jupyter-runtime"))
    return env


def run(command, folder, env, timeout=300):
    return subprocess.run(["bash", "-c", command], cwd=folder, env=env, capture_output=True, text=True, timeout=timeout)


@pytest.fixture(scope="module")
def student(tmp_path_factory):
    """student.zip unpacked in a fresh folder and installed by the README's commands (all but the last,
    which starts JupyterLab: its command is checked to exist instead)."""
    scratch = tmp_path_factory.mktemp("student")
    built = release(ROOT, scratch / "dist", wheel=build_wheel(scratch / "wheel"))
    home = scratch / "home"
    home.mkdir()
    zipfile.ZipFile(built.student_zip).extractall(home)
    folder = home / "exercises"
    commands = readme_commands((folder / "README.md").read_text())
    assert commands[-1].startswith("jupyter lab ") and (folder / commands[-1].split()[-1]).is_file()
    env = student_environment(home)
    script = "set -euo pipefail\n" + "\n".join(commands[:-1]) + "\njupyter lab --version\n"
    done = run(script, folder, env, timeout=INSTALL_SECONDS)
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    return folder, env, built


def test_the_readme_installs_the_shipped_wheel_not_the_index(student):
    folder, env, built = student
    shown = run(".venv/bin/python -m pip show coursekit-autodiff && .venv/bin/python -m pip show coursekit || true",
                folder, env)
    assert "Name: coursekit-autodiff" in shown.stdout and "Name: coursekit\n" not in shown.stdout
    installed = run(".venv/bin/python -m pip freeze", folder, env).stdout
    assert f"coursekit-autodiff @ file://{folder / built.wheel}" in installed
    for package in ("jupyterlab", "ipykernel", "ipython", "graphviz", "matplotlib", "nbformat"):
        assert re.search(rf"^{package}==", installed, re.M | re.I), package


def test_chapter_1_runs_in_a_kernel_up_to_the_first_exercise(student):
    folder, env, _ = student
    done = run(f".venv/bin/jupyter nbconvert --to notebook --execute --allow-errors --output executed.ipynb {CHAPTER_1}",
               folder, env)
    assert done.returncode == 0, done.stderr[-3000:]
    nb = nbformat.read(folder / "executed.ipynb", as_version=4)
    errors = [(number, output) for number, cell in enumerate(nb.cells, 1) for output in cell.get("outputs", ())
              if output.output_type == "error"]
    first = first_exercise_cell(nb)
    assert errors and errors[0][0] == first and errors[0][1].ename == "NotImplementedError"
    drawn = [output for cell in nb.cells[: first - 1] for output in cell.get("outputs", ())
             if 'class="ck-picture"' in output.get("data", {}).get("text/html", "")]
    assert drawn, "the %%trace cells before the first exercise draw their graphs"


def test_coursekit_check_in_the_unzipped_folder_uses_the_shipped_public_tests(student):
    folder, env, _ = student
    untouched = run("source .venv/bin/activate && coursekit check", folder, env)
    assert untouched.returncode == 1 and "(public-tests/ch1/rubric.toml)" in untouched.stdout.splitlines()[0]
    assert "All 6 assignments: 0 /" in untouched.stdout
    shutil.copy(ROOT / "solutions" / "value.py", folder / "value.py")
    solved = run("source .venv/bin/activate && coursekit check --assignment ch1", folder, env)
    assert solved.returncode == 0 and "Total: 20 / 20" in solved.stdout, solved.stdout + solved.stderr
    parent = run("exercises/.venv/bin/coursekit check --assignment ch4", folder.parent, env)  # right after unzipping
    assert parent.returncode == 0 and "(exercises/public-tests/ch4/rubric.toml)" in parent.stdout.splitlines()[0]

"""`coursekit release`: the two bundles an instructor hands out.

* student.zip: a folder course/ with the generated exercises (value.py, the chapter notebooks,
  the student README) and the public tests, checked line by line to hold nothing of the
  solutions or the hidden tests.
* gradescope-<assignment>.zip, one per assignment: Gradescope's autograder layout: setup.sh,
  run_autograder, a wheel of coursekit for setup.sh to install, and that assignment's hidden
  tests in autograder/<assignment>/.

Both zips are deterministic (sorted entries, fixed timestamps) and written atomically.
"""

import subprocess
import sys
import tempfile
import zipfile
from dataclasses import dataclass
from pathlib import Path

from coursekit.course.assign import course_files, out_of_date
from coursekit.course.layout import CourseLayout
from coursekit.course.leaks import find_leaks, secret_lines
from coursekit.files import atomic_output
from coursekit.grading.rubric import find_assignments

GRADESCOPE_SCRIPTS = Path(__file__).parent / "gradescope"
ZIP_TIME = (1980, 1, 1, 0, 0, 0)  # the earliest a zip can say: same bytes on every run


class ReleaseError(ValueError):
    """The course cannot be released as it is (stale exercises, a leak, a missing folder)."""


@dataclass(frozen=True)
class Release:
    student_zip: Path
    gradescope_zips: tuple    # one per assignment
    student_files: tuple
    gradescope_files: tuple   # the files of each Gradescope zip, in the same order


def release(course_dir=".", out="dist", wheel=None):
    """Build dist/student.zip and one dist/gradescope-<assignment>.zip per assignment."""
    course = CourseLayout(Path(course_dir))
    solutions, exercises, hidden = course.solutions, course.exercises, course.autograder
    for folder in (solutions, exercises, hidden):
        if not folder.is_dir():
            raise ReleaseError(f"{folder}: no such folder (run release in the course folder)")
    stale = out_of_date(solutions, exercises)
    if stale:
        raise ReleaseError(f"{exercises} is out of date with {solutions} ({', '.join(map(str, stale[:3]))}); "
                           "run `coursekit assign` first")
    student = student_files(exercises)
    leaks = find_leaks(student, instructor_secrets(solutions, hidden, exercises))
    if leaks:
        raise ReleaseError("student.zip would leak: " + "; ".join(leaks))
    out = Path(out)
    assignments = find_assignments(hidden)
    if not assignments:
        raise ReleaseError(f"{hidden}: no assignment (a subfolder with rubric.toml)")
    zips, graders = [], []
    with tempfile.TemporaryDirectory() as scratch:
        wheel = Path(wheel) if wheel else build_wheel(Path(scratch))
        for name, folder in assignments.items():
            files = gradescope_files(folder, wheel, name)
            zips.append(out / f"gradescope-{name}.zip")
            write_zip(zips[-1], files)
            graders.append(tuple(files))
    write_zip(out / "student.zip", student)
    return Release(out / "student.zip", tuple(zips), tuple(student), tuple(graders))


def folder_files(folder, prefix=""):
    """{prefix + relative name: bytes} for the course files of a folder."""
    return {prefix + path.as_posix(): (folder / path).read_bytes() for path in course_files(folder)}


def student_files(exercises):
    """{name in the zip: bytes}: the exercises in course/, their public tests in course/public-tests/."""
    return folder_files(exercises, "course/")


def instructor_secrets(solutions, hidden, exercises):
    public_tests = exercises / CourseLayout.PUBLIC_TESTS
    public = folder_files(public_tests) if public_tests.is_dir() else {}
    return secret_lines(folder_files(solutions), folder_files(hidden), public)


def gradescope_files(hidden, wheel, assignment):
    """{name in the zip: bytes or (bytes, mode)}: the scripts at the top, as Gradescope wants them."""
    if not wheel.is_file() or wheel.suffix != ".whl":
        raise ReleaseError(f"{wheel}: not a wheel file")
    files = {name: ((GRADESCOPE_SCRIPTS / name).read_bytes(), 0o755) for name in ("setup.sh", "run_autograder")}
    files[wheel.name] = wheel.read_bytes()
    files.update(folder_files(hidden, f"{CourseLayout.AUTOGRADER}/{assignment}/"))
    return files


def project_root():
    """The source checkout coursekit runs from (where pyproject.toml is), or None for an installed wheel."""
    root = Path(__file__).parents[2]
    return root if (root / "pyproject.toml").is_file() and (root / "coursekit").is_dir() else None


def build_wheel(folder):
    """Build coursekit's wheel from its source checkout into `folder`; returns its path."""
    root = project_root()
    if root is None:
        raise ReleaseError("coursekit is not running from a source checkout, so it cannot build its own "
                           "wheel; pass --wheel PATH (e.g. from `pip download coursekit --no-deps`)")
    done = subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--quiet", "-w", str(folder), str(root)],
                          capture_output=True, text=True, timeout=600)
    wheels = sorted(folder.glob("coursekit-*.whl"))
    if done.returncode or not wheels:
        last_line = (done.stderr.strip().splitlines() or ["no message"])[-1]
        raise ReleaseError(f"building the coursekit wheel with pip failed: {last_line}")
    return wheels[0]


def write_zip(path, files):
    """A deterministic zip of `files` ({name: bytes or (bytes, unix mode)}), written atomically."""
    with atomic_output(path) as temporary, zipfile.ZipFile(temporary, "w", zipfile.ZIP_DEFLATED) as archive:
        for name in sorted(files):
            data, mode = files[name] if isinstance(files[name], tuple) else (files[name], 0o644)
            info = zipfile.ZipInfo(name, ZIP_TIME)
            info.external_attr = (0o100000 | mode) << 16  # a regular file with these permissions
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, data)

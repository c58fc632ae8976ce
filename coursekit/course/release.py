"""`coursekit release`: the bundles an instructor hands out.

* student.zip: a folder exercises/ with the generated exercises (value.py, the chapter notebooks,
  the student README), the public tests, the coursekit wheel the course was validated with and
  a requirements.txt that installs it with its `course` extra. Every file is checked, line by
  line, to hold nothing of the solutions or the hidden tests.
* one Gradescope bundle per assignment (gradescope-<assignment>.zip for each folder of
  autograder/ holding a rubric.toml, or gradescope.zip when autograder/ holds it itself):
  setup.sh, run_autograder, the assignment's hidden tests in autograder/, and the locked
  wheelhouse (wheels/ and requirements.lock) that setup.sh installs offline.

Every zip is deterministic (sorted entries, fixed timestamps) and written atomically.
"""

import tempfile
import zipfile
from dataclasses import dataclass
from pathlib import Path

from coursekit.course.assign import course_files, out_of_date, read_config
from coursekit.course.layout import CourseLayout
from coursekit.course.leaks import find_leaks, secret_lines
from coursekit.course.wheels import LOCK_FILE, WheelError, build_wheel, download_wheelhouse, lock_text
from coursekit.files import atomic_output
from coursekit.grading import PUBLIC_TESTS

GRADESCOPE_SCRIPTS = Path(__file__).parent / "gradescope"
RUBRIC = "rubric.toml"
STUDENT_FOLDER = f"{CourseLayout.EXERCISES}/"  # unzipped, `coursekit check` finds it as in the course
ZIP_TIME = (1980, 1, 1, 0, 0, 0)  # the earliest a zip can say: same bytes on every run


class ReleaseError(ValueError):
    """The course cannot be released as it is (stale exercises, a leak, a missing folder)."""


@dataclass(frozen=True)
class Release:
    student_zip: Path
    gradescope_zips: tuple  # one per assignment, in the order of autograder/'s folders
    student_files: tuple
    wheel: str              # the coursekit wheel's file name, in every zip


def release(course_dir=".", out="dist", wheel=None):
    """Build dist/student.zip and the Gradescope bundles from the course folder."""
    course = CourseLayout(Path(course_dir))
    for folder in (course.solutions, course.exercises, course.autograder):
        if not folder.is_dir():
            raise ReleaseError(f"{folder}: no such folder (run release in the course folder)")
    stale = out_of_date(course.solutions, course.exercises)
    if stale:
        raise ReleaseError(f"{course.exercises} is out of date with {course.solutions} "
                           f"({', '.join(map(str, stale[:3]))}); run `coursekit assign` first")
    student = student_files(course.exercises)
    leaks = find_leaks(student, instructor_secrets(course.solutions, course.autograder))
    if leaks:
        raise ReleaseError("student.zip would leak: " + "; ".join(leaks))
    out = Path(out)
    bundles = assignments(course.autograder)
    with tempfile.TemporaryDirectory() as scratch:
        try:
            wheel = Path(wheel) if wheel else build_wheel(Path(scratch))
            wheelhouse = locked_wheelhouse(wheel, Path(scratch) / "wheels")
        except WheelError as error:
            raise ReleaseError(str(error)) from None
        student.update(student_install_files(wheel))
        for name, folder in bundles:
            write_zip(out / name, gradescope_files(folder, wheelhouse))
    write_zip(out / "student.zip", student)
    return Release(out / "student.zip", tuple(out / name for name, _ in bundles), tuple(student), wheel.name)


def folder_files(folder, prefix=""):
    """{prefix + relative name: bytes} for the course files of a folder."""
    return {prefix + path.as_posix(): (folder / path).read_bytes() for path in course_files(folder)}


def student_files(exercises):
    """{name in the zip: bytes}: the exercises in exercises/, with the public tests in
    exercises/public-tests/ unless the exercises carry their own."""
    files = folder_files(exercises, STUDENT_FOLDER)
    if not (exercises / CourseLayout.PUBLIC_TESTS).is_dir():
        files.update(folder_files(PUBLIC_TESTS, f"{STUDENT_FOLDER}{CourseLayout.PUBLIC_TESTS}/"))
    return files


def student_install_files(wheel):
    """The wheel itself and the requirements.txt that the student README's `pip install -r` reads."""
    requirements = (f"# coursekit exactly as this course was tested, with what the course needs (JupyterLab, ...).\n"
                    f"./{wheel.name}[course]\n")
    return {STUDENT_FOLDER + wheel.name: wheel.read_bytes(), STUDENT_FOLDER + "requirements.txt": requirements.encode()}


def instructor_secrets(solutions, hidden):
    return secret_lines(folder_files(solutions), folder_files(hidden), folder_files(PUBLIC_TESTS),
                        read_config(solutions).shown)


def assignments(autograder):
    """[(zip name, folder)]: a bundle for each folder of autograder/ that holds a rubric, sorted,
    or one for autograder/ itself when it holds the rubric directly."""
    folders = sorted(path for path in autograder.iterdir() if (path / RUBRIC).is_file())
    if folders:
        return [(f"gradescope-{folder.name}.zip", folder) for folder in folders]
    if (autograder / RUBRIC).is_file():
        return [("gradescope.zip", autograder)]
    raise ReleaseError(f"{autograder}: no {RUBRIC} in it or in any folder of it (one folder per assignment)")


def locked_wheelhouse(wheel, folder):
    """{name in the zip: bytes}: wheels/ with coursekit and its dependencies, and their lock."""
    if not wheel.is_file() or wheel.suffix != ".whl":
        raise ReleaseError(f"{wheel}: not a wheel file")
    wheels = download_wheelhouse(wheel, folder)
    files = {f"wheels/{path.name}": path.read_bytes() for path in wheels}
    files[LOCK_FILE] = lock_text(wheels).encode()
    return files


def gradescope_files(hidden, wheelhouse):
    """{name in the zip: bytes or (bytes, mode)}: the scripts at the top, as Gradescope wants them."""
    files = {name: ((GRADESCOPE_SCRIPTS / name).read_bytes(), 0o755) for name in ("setup.sh", "run_autograder")}
    files.update(wheelhouse)
    files.update(folder_files(hidden, f"{CourseLayout.AUTOGRADER}/"))
    return files


def write_zip(path, files):
    """A deterministic zip of `files` ({name: bytes or (bytes, unix mode)}), written atomically."""
    with atomic_output(path) as temporary, zipfile.ZipFile(temporary, "w", zipfile.ZIP_DEFLATED) as archive:
        for name in sorted(files):
            data, mode = files[name] if isinstance(files[name], tuple) else (files[name], 0o644)
            info = zipfile.ZipInfo(name, ZIP_TIME)
            info.external_attr = (0o100000 | mode) << 16  # a regular file with these permissions
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, data)

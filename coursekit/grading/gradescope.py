"""Gradescope's side: find the student's code in whatever they uploaded, grade it, and always
write a valid results.json (an upload that cannot be graded scores 0 with a message that says
what to upload).

Gradescope puts the upload in /autograder/submission and reads /autograder/results/results.json.
Students upload all sorts of things: the file itself, the file inside its folder, a zip of the
folder, a misnamed copy ("value (1).py"), extra files, the chapter notebook, nothing, or a PDF.
The order of preference: a value.py (the shallowest; its folder is graded, so helper modules
beside it are found), else the one .py file that defines `class Value`, else the one notebook
that does. Zips are unpacked first, refusing absolute paths, `..`, links and zip bombs.

    python -m coursekit.grading.gradescope [AUTOGRADER_ROOT]     (default: /autograder)
"""

import json
import os
import re
import shutil
import sys
import tempfile
import time
import zipfile
from contextlib import contextmanager
from pathlib import Path, PurePosixPath

from coursekit.files import write_atomically
from coursekit.grading.load import MODULE
from coursekit.grading.settings import RubricError

DEFAULT_ROOT = "/autograder"
DEFINES_VALUE = re.compile(rb"^\s*class\s+Value\b", re.MULTILINE)  # in a .py, or in a notebook's JSON source
NOTEBOOK_DEFINES_VALUE = re.compile(rb'"\s*class\s+Value\b')
SKIPPED = ("__MACOSX", "__pycache__", ".ipynb_checkpoints")
MAX_UNZIPPED = 50_000_000  # bytes; a student's course folder is far smaller
MAX_MEMBERS = 2_000
WHAT_TO_UPLOAD = ("Upload your value.py (the file from your course folder where you wrote the Value class), "
                  "on its own or in a zip, with the chapter's notebook (saved) when the chapter asks for it; "
                  "a notebook that defines class Value also works.")

RUBRIC_BROKEN = ("The autograder of this assignment cannot grade as it is set up, so nothing was graded. "
                 "Please tell your instructor; your upload is kept and can be graded again once it is fixed.")


class UploadError(Exception):
    """Nothing in the upload can be graded; the message tells the student what to upload."""


def main(argv=None):
    argv = sys.argv[1:] if argv is None else argv
    root = Path(argv[0] if argv else os.environ.get("AUTOGRADER_ROOT", DEFAULT_ROOT))
    run_autograder(root)


def run_autograder(root):
    """Grade root/submission with the tests in root/source/autograder into root/results/results.json."""
    root = Path(root)
    started = time.perf_counter()
    tests = root / "source" / "autograder"
    try:
        text = _grade_upload(root, tests)
    except UploadError as error:
        text = zero_results(str(error), tests, time.perf_counter() - started)
    except RubricError as error:  # the instructor's to fix: the student is told nothing of the rubric
        print(f"coursekit: {error}", file=sys.stderr)
        text = zero_results(RUBRIC_BROKEN, tests, time.perf_counter() - started)
    except Exception as error:  # whatever happens, Gradescope gets results that say so
        message = f"The autograder hit an internal error ({type(error).__name__}: {error}); please tell your instructor."
        text = zero_results(message, tests, time.perf_counter() - started)
    results = root / "results" / "results.json"
    write_atomically(results, text)
    return results


def _grade_upload(root, tests):
    from coursekit import grading
    from coursekit.grading.report import format_report

    with unpacked(root / "submission") as upload:
        path, note = find_submission(upload)
        try:
            report = grading.grade(path, tests, student=submitter_id(root))
        except grading.SubmissionError as error:
            raise UploadError(f"{_relative(error, upload)} {WHAT_TO_UPLOAD}") from None
    results = json.loads(format_report(report, "gradescope"))
    if note:
        results["output"] = f"{note}\n{results['output']}"
    return json.dumps(results, indent=2) + "\n"


def _relative(error, upload):
    """The error without the grader's temporary paths."""
    return str(error).replace(f"{upload}{os.sep}", "").replace(str(upload), "your upload")


def submitter_id(root):
    """The Gradescope id of the (first) submitter, from submission_metadata.json, or None."""
    try:
        metadata = json.loads((Path(root) / "submission_metadata.json").read_text(encoding="utf-8"))
        return str(metadata["users"][0]["id"])
    except (OSError, ValueError, KeyError, IndexError, TypeError):
        return None


# -- finding the code in the upload -------------------------------------------------------------


@contextmanager
def unpacked(submission):
    """The upload as one folder: a copy with every zip in it unpacked beside it (one level)."""
    with tempfile.TemporaryDirectory(prefix="coursekit-upload-") as scratch:
        folder = Path(scratch) / "upload"
        if Path(submission).is_dir():
            shutil.copytree(submission, folder, symlinks=True)
        else:
            folder.mkdir()
        for archive in sorted(_files(folder)):
            if archive.suffix.lower() == ".zip":
                extract_zip(archive, archive.with_name(archive.stem + "-unzipped"))
        yield folder


def extract_zip(archive, target):
    """Unpack a student's zip safely: only regular files, inside `target`, within size limits."""
    try:
        with zipfile.ZipFile(archive) as zipped:
            members = [m for m in zipped.infolist() if not m.is_dir()]
            if len(members) > MAX_MEMBERS or sum(m.file_size for m in members) > MAX_UNZIPPED:
                raise UploadError(f"{archive.name} is too large to be a course folder. {WHAT_TO_UPLOAD}")
            for member in members:
                parts = PurePosixPath(member.filename.replace("\\", "/")).parts
                is_link = (member.external_attr >> 16) & 0o170000 == 0o120000
                if is_link or not parts or parts[0] in ("/", "") or ".." in parts:
                    continue  # never written outside the target, never a link to the grader's files
                destination = target.joinpath(*parts)
                destination.parent.mkdir(parents=True, exist_ok=True)
                destination.write_bytes(zipped.read(member))
    except (zipfile.BadZipFile, zipfile.LargeZipFile, NotImplementedError, OSError, EOFError):
        raise UploadError(f"{archive.name} is not a zip file we can open. {WHAT_TO_UPLOAD}") from None


def find_submission(upload):
    """(path to grade, a note for the student or "") for the code in the upload folder."""
    files = list(_files(upload))
    modules = sorted((f for f in files if f.name == MODULE), key=lambda f: (len(f.relative_to(upload).parts), str(f)))
    if modules:
        return modules[0].parent, _extra_note(modules[1:], modules[0], upload)
    python = [f for f in files if f.suffix == ".py" and DEFINES_VALUE.search(_head(f))]
    notebooks = [f for f in files if f.suffix == ".ipynb" and NOTEBOOK_DEFINES_VALUE.search(_head(f))]
    for found in (python, notebooks):
        if len(found) == 1:
            shown = found[0].relative_to(upload)
            return found[0], f"Graded {shown}, the one file that defines class Value (no {MODULE} was uploaded)."
        if len(found) > 1:
            names = ", ".join(sorted(str(f.relative_to(upload)) for f in found))
            raise UploadError(f"Several files define class Value ({names}), so we cannot tell which to grade. "
                              f"{WHAT_TO_UPLOAD}")
    seen = ", ".join(sorted(str(f.relative_to(upload)) for f in files)[:10]) or "nothing"
    raise UploadError(f"No {MODULE} (nor any file defining class Value) was found in your upload (it had: {seen}). "
                      f"{WHAT_TO_UPLOAD}")


def _extra_note(others, chosen, upload):
    if not others:
        return ""
    names = ", ".join(str(f.relative_to(upload)) for f in others)
    return f"Graded {chosen.relative_to(upload)}; the upload also had {names}, which were not graded."


def _files(folder):
    for path in sorted(Path(folder).rglob("*")):
        relative = path.relative_to(folder).parts
        if any(part in SKIPPED or part.startswith(".") for part in relative):
            continue
        if path.is_file() and not path.is_symlink():
            yield path


def _head(path, size=2_000_000):
    with open(path, "rb") as file:
        return file.read(size)


# -- results that say what went wrong -------------------------------------------------------------


def zero_results(message, tests, elapsed):
    """results.json scoring 0, every test of the rubric listed (when the rubric can be read) with the message."""
    from coursekit.grading.rubric import assignment_folder, load_rubric

    try:
        specs = load_rubric(assignment_folder(tests)).tests
    except RubricError:
        specs = ()
    results = {
        "score": 0.0,
        "execution_time": round(elapsed, 3),
        "output": message,
        "tests": [{"name": spec.name, "score": 0.0, "max_score": float(spec.points), "status": "failed",
                   "output": message, "visibility": spec.visibility} for spec in specs],
    }
    return json.dumps(results, indent=2) + "\n"


if __name__ == "__main__":
    main()

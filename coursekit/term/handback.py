"""Hand feedback back: one folder per student of the roster, and one zip of them all for the LMS.

Every assignment's feedback pages (the HTML and Markdown that `grade --class --feedback DIR`
writes per submission) are copied into the folder of the student the submission belongs to,
named after the roster (`s001 Ada Lovelace/ch1-feedback.html`), so a student's folder holds their
own pages and nothing else. Submissions on no roster, and students whose page is missing, are
listed, never guessed. The zip keeps each file's real modification time.
"""

import os
import shutil
import tempfile
import zipfile
from dataclasses import dataclass
from pathlib import Path

from coursekit.files import atomic_output
from coursekit.grading.feedback import feedback_paths, safe_name
from coursekit.term.gradebook import read_assignment, students_of
from coursekit.term.roster import read_roster

ZIP = "feedback.zip"


@dataclass(frozen=True)
class HandBack:
    folder: Path
    zip: Path
    students: int           # students with at least one page
    files: int
    missing: tuple          # (student id, assignment): graded, but no feedback page found
    not_on_roster: tuple    # (submission, assignment)


def student_folder(student):
    return safe_name(f"{student.id} {student.name}".strip())


def hand_back(course, out):
    """Write `out`/<student>/<assignment>-feedback.{html,md} and `out`/feedback.zip; replaces `out`."""
    out = Path(out)
    roster = read_roster(course.roster, course.roster_columns)
    copies, missing, strays = {}, [], []
    for name, assignment in course.assignments.items():
        pages = course.folder / assignment.feedback
        for submission, student in students_of(read_assignment(course, assignment), roster).items():
            if student is None:
                strays.append((submission, name))
                continue
            found = [path for path in feedback_paths(pages, submission) if path.is_file()]
            if not found:
                missing.append((student.id, name))
            for path in found:
                copies[Path(student_folder(student)) / f"{name}-feedback{path.suffix}"] = path
    _write(out, copies)
    return HandBack(out, out / ZIP, len({path.parts[0] for path in copies}), len(copies), tuple(missing), tuple(strays))


def _write(out, copies):
    """Build the folders and the zip beside `out`, then put them in its place."""
    out.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(dir=out.parent, prefix=f".{out.name}."))
    try:
        for relative, source in sorted(copies.items()):
            (staging / relative).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, staging / relative)  # keeps the page's own modification time
        with atomic_output(staging / ZIP) as temporary, zipfile.ZipFile(temporary, "w", zipfile.ZIP_DEFLATED) as bundle:
            for relative in sorted(copies):
                bundle.write(staging / relative, relative.as_posix())
        if out.exists():
            shutil.rmtree(out)
        os.replace(staging, out)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise

"""Step 2: copy the submission's files into a fresh temporary folder, the child's working directory.

Only the submission is in there: nothing of the grader, of the course folder or of the hidden
tests. The folder is removed when grading is over, whatever the child left in it.
"""

import shutil
import tempfile
from contextlib import contextmanager
from pathlib import Path


@contextmanager
def stage_submission(submission):
    folder = Path(tempfile.mkdtemp(prefix="coursekit-grade-"))
    try:
        for relative, content in submission.files.items():
            target = folder / relative
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(content)
        yield folder
    finally:
        shutil.rmtree(folder, ignore_errors=True)

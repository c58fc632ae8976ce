"""The table of what a student submits per assignment, read from the rubrics' `submit` lists.

A page that holds the line `<!-- what to submit -->` gets the table there (the student README
that `coursekit assign` writes gets the same table), so no page can say another list of files
than the grader looks for.
"""

from pathlib import Path

from coursekit.course.assign import SUBMIT_MARKER, what_to_submit

SOLUTIONS = Path(__file__).resolve().parents[2] / "solutions"


def on_page_markdown(markdown, **kwargs):
    if SUBMIT_MARKER not in markdown:
        return markdown
    return markdown.replace(SUBMIT_MARKER, what_to_submit(SOLUTIONS))

"""Turning the reference course into the student's: `coursekit assign`, `--validate` and `release`."""

from coursekit.assignment.assign import AssignError, AssignReport, assign, generate, out_of_date
from coursekit.assignment.markers import MarkerError
from coursekit.assignment.notebooks import NotebookError

__all__ = ["AssignError", "AssignReport", "MarkerError", "NotebookError", "assign", "generate", "out_of_date"]

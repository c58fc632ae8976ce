"""Turning the reference course into the student's, in small steps a command strings together.

layout (where the course's folders are) · markers (solution and hidden-test regions) · notebooks
(the same, cell by cell) · assign (solutions/ -> exercises/) · kernel (run a notebook in a real
kernel) · validate (`assign --validate`) · leaks (nothing secret reaches students) · release (the
student and Gradescope zips) · gradescope/ (the scripts Gradescope runs).
"""

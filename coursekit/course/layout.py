"""The course's folders, named once: every command that looks for them asks this object."""

from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class CourseLayout:
    """A course folder: the instructor's `solutions/`, the generated `exercises/` students get,
    and the hidden tests in `autograder/` (never shipped to students)."""

    root: Path = Path(".")

    SOLUTIONS = "solutions"
    EXERCISES = "exercises"
    AUTOGRADER = "autograder"
    PUBLIC_TESTS = "public-tests"  # inside the students' exercises: what `coursekit check` runs

    @property
    def solutions(self):
        return Path(self.root) / self.SOLUTIONS

    @property
    def exercises(self):
        return Path(self.root) / self.EXERCISES

    @property
    def autograder(self):
        return Path(self.root) / self.AUTOGRADER

    @classmethod
    def around(cls, folder):
        """The course that `folder` (its solutions/ or exercises/) belongs to."""
        return cls(Path(folder).parent)

    @property
    def secret_folders(self):
        """What students must never see."""
        return (self.SOLUTIONS, self.AUTOGRADER)

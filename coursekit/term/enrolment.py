"""Which submissions one `grade --class` run grades, and whose they are.

With a course file the submissions are matched against its roster and the assignment's late
policy comes with them; with a shard only that slice of the class is graded.
"""

from dataclasses import dataclass

from coursekit.grading.classroom import find_students
from coursekit.term import audit
from coursekit.term.course import CourseError, load_course
from coursekit.term.late import PolicyError, read_timestamps, submitters
from coursekit.term.roster import RosterError, match_submissions, read_roster
from coursekit.term.shards import ShardError, parse_shard

INPUT_ERRORS = (CourseError, PolicyError, RosterError, ShardError)  # bad input: the CLI exits 2


@dataclass(frozen=True)
class Enrolment:
    students: dict           # submission name -> path, of this shard
    matching: object = None  # roster.Matching of every submission in the folder (None: no roster)
    policy: object = None    # late.LatePolicy of the assignment, or None
    timestamps: dict = None  # submission name -> when, from the instructor's CSV
    shard: object = None     # shards.Shard, or None: the whole class

    def key(self, name):
        """What decides a submission's shard: its student's roster id, else its own name."""
        student = self.matching.students.get(name) if self.matching else None
        return student.id if student else name

    @property
    def adds_columns(self):
        """Whether this run fills the term's columns (roster, late policy, timestamps or shard given)."""
        return bool(self.matching or self.policy or self.timestamps or self.shard)

    def add_columns(self, gradebook):
        return audit.add_term_columns(gradebook, self.students, self.matching, self.policy, self.timestamps, self.shard)

    def columns_of(self, name, row):
        """The term's columns of one student's row, as add_columns writes them ({} when it adds none)."""
        if not self.adds_columns:
            return {}
        return audit.term_columns(name, self.students[name], row, self.matching, self.policy, self.timestamps,
                                  self.shard)

    @property
    def missing(self):
        """Students on the roster with no submission (of this shard, when sharded)."""
        if self.matching is None:
            return ()
        return tuple(s for s in self.matching.missing if self.shard is None or self.shard.holds(s.id))


def enrol(directory, course_file=None, assignment=None, shard=None, timestamps=None):
    """The Enrolment of `directory`'s submissions; raises one of INPUT_ERRORS on bad input."""
    found = find_students(directory)
    course = load_course(course_file) if course_file else None
    matching = policy = None
    if course is not None:
        if assignment is None:
            raise CourseError("--course needs --assignment: the course file's late policy is per assignment")
        policy = course.assignment(assignment).late
        roster = read_roster(course.roster, course.roster_columns)
        matching = match_submissions(found, roster, {name: submitters(path) for name, path in found.items()})
    times = read_timestamps(timestamps, course.timezone if course else "UTC") if timestamps else None
    enrolment = Enrolment(found, matching, policy, times, parse_shard(shard) if shard else None)
    if enrolment.shard is not None:
        kept = {name: path for name, path in found.items() if enrolment.shard.holds(enrolment.key(name))}
        enrolment = Enrolment(kept, matching, policy, times, enrolment.shard)
    return enrolment

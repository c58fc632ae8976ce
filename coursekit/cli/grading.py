"""`coursekit grade` (the instructor's grader) and `coursekit check` (the student's public tests)."""

import os
import sys
from pathlib import Path

import click

from coursekit.cli.errors import exit_bad_input, or_exit_bad_input
from coursekit.course.layout import CourseLayout
from coursekit.grading.report import FORMATS

ONE_ASSIGNMENT_FORMATS = ("gradescope", "junit")  # their files describe one assignment


@click.command()
@click.argument("submission", required=False, type=click.Path(path_type=Path))
@click.option("--class", "class_dir", type=click.Path(exists=True, file_okay=False, path_type=Path),
              help="Grade every student folder or file inside this directory into a CSV gradebook (-o).")
@click.option("--tests", type=click.Path(exists=True, file_okay=False, path_type=Path),
              help="An assignment folder (with rubric.toml) or a folder of them. "
                   "Default: ./autograder when present, else the public tests.")
@click.option("--assignment", help="Grade only this assignment of --tests (e.g. ch5). Default: every one.")
@click.option("--format", "report_format", type=click.Choice(list(FORMATS)),
              help="Report format of one submission [default: text]. Not with --class (see --feedback).")
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path),
              help="Write the report (or, with --class, the gradebook CSV) to this file, atomically.")
@click.option("--seed", type=int, help="Replay the cases of another seed (default: the rubric's seed).")
@click.option("-j", "--jobs", type=click.IntRange(min=1), default=2, show_default=True,
              help="With --class: students graded at once.")
@click.option("--force", is_flag=True, help="With --class: grade again students already in the gradebook.")
@click.option("--feedback", type=click.Path(file_okay=False, path_type=Path),
              help="With --class: write each student's feedback (HTML with pictures, and Markdown) into this folder.")
@click.option("--similarity/--no-similarity", default=True, show_default=True,
              help="With --class: flag submissions nearly identical to another or to coursekit's engine "
                   "(column similar_to, and GRADEBOOK-similarity.html); needs coursekit-autodiff[instructor].")
@click.option("--course", "course_file", type=click.Path(dir_okay=False, path_type=Path),
              help="With --class: the course file (course.toml) whose roster names the students and whose late "
                   "policy for --assignment fills the columns submitted_at, days_late and late_penalty.")
@click.option("--timestamps", type=click.Path(dir_okay=False, exists=True, path_type=Path),
              help="With --class: a CSV (submission, submitted_at) of when each submission was handed in "
                   "(default: Gradescope's submission_metadata.json, else the files' modification time).")
@click.option("--shard", help="With --class: grade only shard K of N (e.g. 3/8), by roster id; "
                              "`coursekit gradebook` merges the shards.")
@click.option("--report", type=click.Path(dir_okay=False, path_type=Path),
              help="With --class: also write the class report (HTML with plots) here; `coursekit report` makes it later.")
@click.option("--student", help="With --class and -o: grade this student again as their gradebook row was graded (its "
                                "seed; give the class run's --course, --timestamps, --shard and --no-similarity too), "
                                "print their feedback and whether the row is reproduced, else what differs; writes nothing.")
def grade(submission, class_dir, tests, assignment, report_format, output, seed, jobs, force, feedback, similarity,
          course_file, timestamps, shard, report, student):
    """Grade a submission (a folder like exercises/, a .py file or a .ipynb notebook).

    \b
    Examples:
      coursekit grade exercises/
      coursekit grade exercises/ --assignment ch5
      coursekit grade alice.ipynb --assignment ch2 --format json -o alice.json
      coursekit grade --class submissions/ --assignment ch1 -o gradebook.csv -j 2 --feedback feedback/
      coursekit grade --class submissions/ --assignment ch1 -o gradebook.csv --student alice

    With --class, a re-run grades only the students whose submission, rubric, seed or coursekit
    version changed (or whose row has an error, or was edited by hand); --force grades everyone
    again. Points given by hand (`coursekit adjust`) are applied after every run.

    Exit code: 0 full marks (with --student: the row is reproduced), 1 a test lost points (the row
    differs), 2 bad usage or unreadable input.
    """
    from coursekit import grading

    if (submission is None) == (class_dir is None):
        raise click.UsageError("give either a SUBMISSION or --class DIR")
    if class_dir is not None:
        if output is None:
            raise click.UsageError("--class needs -o gradebook.csv")
        if report_format is not None:
            raise click.UsageError("--format is for one submission; with --class, --feedback DIR writes one report per student")
    else:
        for option, value in (("--feedback", feedback), ("--course", course_file), ("--timestamps", timestamps),
                              ("--shard", shard), ("--report", report), ("--student", student)):
            if value is not None:
                raise click.UsageError(f"{option} goes with --class")
    report_format = report_format or "text"
    try:
        tests = tests or grading.default_tests_dir()
        if class_dir is not None:
            from coursekit.term.enrolment import INPUT_ERRORS, enrol

            try:
                enrolment = enrol(class_dir, course_file, assignment, shard, timestamps)
                if student is not None:
                    _replay(class_dir, output, student, tests, assignment, enrolment, similarity)
                plan = grading.plan_run(tests, seed, assignment)  # a rubric that cannot be graded stops here
                _grade_class(class_dir, output, plan, jobs, force, feedback, similarity, enrolment, report)
            except INPUT_ERRORS as error:
                exit_bad_input(error)
            return
        names = [assignment] if assignment else list(grading.find_assignments(tests)) or [None]
        if len(names) > 1 and report_format in ONE_ASSIGNMENT_FORMATS:
            raise click.UsageError(f"--format {report_format} describes one assignment: add --assignment "
                                   f"(one of {', '.join(names)})")
        reports = [grading.grade(submission, tests, seed, name) for name in names]
    except (grading.SubmissionError, grading.RubricError) as error:
        exit_bad_input(error)
    _show_reports(reports, report_format, output)


def _grade_class(class_dir, output, plan, jobs, force, feedback, similarity, enrolment, report):
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

    from coursekit.grading.adjustments import adjustments_path, apply_adjustments
    from coursekit.grading.classroom import grade_class
    from coursekit.grading.feedback import feedback_paths, write_feedback
    from coursekit.term.details import update_details

    review = output.with_name(f"{output.stem}-similarity.html") if similarity and _can_review() else None

    done, reports = {}, {}

    def graded(student, result):
        progress.advance(task)
        reports[student] = result.report
        if feedback is not None:
            done[student] = result

    def feedback_missing(student):
        return feedback is not None and not all(path.is_file() for path in feedback_paths(feedback, student))

    columns = (TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TextColumn("ETA"), TimeRemainingColumn())
    with Progress(*columns, console=Console(stderr=True)) as progress:
        task = progress.add_task("grading", total=None)
        run = grade_class(
            class_dir, output, jobs=jobs, force=force, plan=plan,
            on_start=lambda count: progress.update(task, total=count), on_graded=graded, regrade=feedback_missing,
            similarity_report=review, given=_given(), students=enrolment.students,
        )
    if enrolment.adds_columns:
        enrolment.add_columns(output)
    adjusted_elsewhere = or_exit_bad_input(apply_adjustments, output)
    update_details(output, reports, enrolment.students)
    # Drawn once grading is over: while sandboxes run, this process reaps every child it did not
    # start as a sandbox, Graphviz's dot included.
    for student, result in done.items():
        write_feedback(feedback, student, result.report, result.error_for_student)
    dropped = f", {run.dropped} rows of students no longer in {class_dir} removed" if run.dropped else ""
    click.echo(f"{run.gradebook}: graded {run.graded}, skipped {run.skipped} unchanged, "
               f"{run.errors} with errors (seed {run.seed}){dropped}")
    for student in run.edited:
        click.echo(f"{student}: the gradebook row was edited by hand; graded again, the edit is not kept "
                   "(give points with `coursekit adjust`)")
    for student in adjusted_elsewhere:
        click.echo(f"{adjustments_path(output)}: {student} has adjustments but no row in {output}")
    if feedback is not None:
        click.echo(f"{feedback}: one .html and one .md per student")
    _show_enrolment(enrolment)
    if review is not None:
        click.echo(f"{review}: {run.flagged} students flagged for review (column similar_to); no score was changed")
    if report is not None:
        from coursekit.cli.term import write_report

        write_report(report, gradebooks=[output], title=f"Class report: {plan.rubric.title or plan.rubric.name}")


def _replay(class_dir, gradebook, student, tests, assignment, enrolment, similarity):
    """Replay one student's row with the class run's options: their feedback, what changed since, and
    whether the row is reproduced (else each column that differs, recorded -> replayed)."""
    from coursekit.grading.replay import replay_student
    from coursekit.grading.report import format_report
    from coursekit.term.audit import COLUMNS as TERM_COLUMNS

    replay = or_exit_bad_input(replay_student, class_dir, gradebook, student, tests, assignment, enrolment,
                               similarity and _can_review(), _given())
    if replay.report is not None:
        click.echo(format_report(replay.report, "text", color=sys.stdout.isatty()), nl=False)
    for change in replay.changes:
        click.echo(f"note: {change}")
    if not enrolment.adds_columns and any(replay.recorded.get(column) for column in TERM_COLUMNS):
        click.echo("note: the row has the term's columns (roster_id, late_penalty, ...) and this replay was given "
                   "none of --course, --timestamps and --shard: give it those of the class run to recompute them")
    if not replay.differences:
        click.echo(f"{student}: the replay reproduces the row of {gradebook} exactly (seed {replay.row['seed']})")
        raise SystemExit(0)
    changed = ", ".join(f"{column} {was or '(empty)'} -> {now or '(empty)'}" for column, was, now in replay.differences)
    click.echo(f"{student}: the replay differs from the row of {gradebook}: {changed}")
    raise SystemExit(1)


@click.command("adjust")
@click.argument("gradebook", type=click.Path(dir_okay=False, exists=True, path_type=Path))
@click.option("--student", required=True, help="The student, as the gradebook's student column names them.")
@click.option("--test", default="total", show_default=True, help="The test the points are for, or total.")
@click.option("--points", required=True, type=float, help="Points to add (negative to take off).")
@click.option("--comment", required=True, help="Why: what the student reads and the next grader sees.")
@click.option("--by", default=lambda: os.environ.get("USER", ""), help="Who gives them [default: $USER].")
def adjust_command(gradebook, student, test, points, comment, by):
    """Give points by hand: one line in GRADEBOOK-adjustments.csv, applied to the gradebook now and
    after every regrade (columns auto, adjustment, final, comment).

    \b
    Example:
      coursekit adjust gradebook.csv --student alice --test mul --points 2 --comment "regrade request: mul is right"
    """
    from coursekit.grading.adjustments import add_adjustment, adjustments_path

    or_exit_bad_input(add_adjustment, gradebook, student, test, points, comment, by)
    click.echo(f"{adjustments_path(gradebook)}: {student} {test} {points:+g} ({comment}); {gradebook} updated")


def _given():
    """The folder every student started from (the course's exercises/ here), whose code is not similarity."""
    exercises = CourseLayout().exercises
    return exercises if exercises.is_dir() else None


def _show_enrolment(enrolment):
    """Who could not be matched to the roster, and who handed nothing in: listed, never dropped."""
    if enrolment.matching is None:
        return
    reasons = enrolment.matching.reasons
    for name in (name for name in enrolment.matching.unmatched if name in enrolment.students):
        click.echo(f"not on the roster: {name} ({reasons[name]}); graded, with an empty roster_id")
    for student in enrolment.missing:
        click.echo(f"no submission: {student.id} {student.name}".rstrip())


def _can_review():
    """Whether copydetect is installed; if not, say so and grade without the similarity review."""
    from importlib.util import find_spec

    from coursekit.grading.similarity import INSTALL

    if find_spec("copydetect") is None:
        click.echo(f"note: {INSTALL}; grading without it", err=True)
        return False
    return True


@click.command()
@click.argument("submission", required=False, type=click.Path(path_type=Path))
@click.option("--assignment", help="Check only this assignment (e.g. ch1). Default: every one.")
def check(submission, assignment):
    """Run the public tests on your work (default: ./exercises, else the current folder).

    The public tests are the folder public-tests/ next to your work (or in the current folder).
    """
    from coursekit import grading
    from coursekit.grading.public import check_public_tests

    if submission is None:
        exercises = CourseLayout().exercises
        submission = exercises if exercises.is_dir() else Path(".")
    try:
        reports = check_public_tests(submission, assignment)
    except (grading.SubmissionError, grading.RubricError) as error:
        exit_bad_input(error)
    _show_reports(reports, "text", None)


def _show_reports(reports, report_format, output):
    """The reports on stdout (coloured in a terminal) or in `output`; exit 0 on full marks, else 1."""
    from coursekit.files import write_atomically
    from coursekit.grading.report import format_reports

    text = format_reports(reports, report_format, color=output is None and sys.stdout.isatty())
    if output is None:
        click.echo(text, nl=False)
    else:
        write_atomically(output, text)
        for report in reports:
            click.echo(f"{output}: {report.assignment} {report.score:g}/{report.max_score:g} (seed {report.seed})", err=True)
    raise SystemExit(0 if all(report.passed for report in reports) else 1)

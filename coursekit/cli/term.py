"""`coursekit gradebook`, `coursekit report` and `coursekit hand-back`: running a term (coursekit.term)."""

from pathlib import Path

import click

from coursekit.cli.errors import or_exit_bad_input


@click.command("gradebook")
@click.argument("course_file", default="course.toml", type=click.Path(dir_okay=False, path_type=Path))
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path),
              help="The course gradebook as CSV (default: COURSE-gradebook.csv beside the course file).")
@click.option("--canvas", type=click.Path(dir_okay=False, path_type=Path),
              help="Also write Canvas's gradebook-import CSV here.")
@click.option("--json", "json_file", type=click.Path(dir_okay=False, path_type=Path),
              help="Also write the course gradebook as JSON here.")
def gradebook_command(course_file, output, canvas, json_file):
    """Combine every assignment's gradebook into the course gradebook, weighted as COURSE_FILE says.

    \b
    Example:
      coursekit gradebook course.toml -o course-gradebook.csv --canvas canvas.csv --json course.json

    Every student of the roster has a row (a missing assignment scores 0, marked missing);
    shards of one assignment are merged, and refused when one is missing or two overlap.
    """
    from coursekit.files import write_atomically
    from coursekit.term import exports
    from coursekit.term.course import load_course
    from coursekit.term.gradebook import build_gradebook

    course = or_exit_bad_input(load_course, course_file)
    book = or_exit_bad_input(build_gradebook, course)
    output = output or course_file.with_name(f"{course_file.stem}-gradebook.csv")
    files = {output: exports.plain_csv(book), canvas: canvas and exports.canvas_csv(book),
             json_file: json_file and exports.course_json(book)}
    for path, text in files.items():
        if path is not None:
            write_atomically(path, text)
            click.echo(f"wrote {path}")
    on_roster = [row for row in book.rows if row.on_roster]
    missing = sum(mark.status == "missing" for row in on_roster for mark in row.marks.values())
    click.echo(f"{len(on_roster)} students, {len(book.points)} assignments, "
               f"{missing} missing submission{'s' * (missing != 1)}")
    for row in book.rows:
        if not row.on_roster:
            click.echo(f"not on the roster: {row.student.id} (kept in {output}, left out of the LMS export)")


@click.command("report")
@click.argument("source", type=click.Path(dir_okay=False, exists=True, path_type=Path))
@click.option("--assignment", help="With a course file: the report of this assignment (its shards merged), "
                                   "not the course's.")
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path),
              help="The HTML page (default: SOURCE with -report.html, or ASSIGNMENT-report.html).")
@click.option("--json", "json_file", type=click.Path(dir_okay=False, path_type=Path),
              help="Also write the report's numbers as JSON here.")
def report_command(source, assignment, output, json_file):
    """The class report of an assignment (SOURCE: its gradebook CSV) or of the course (SOURCE: course.toml).

    \b
    Examples:
      coursekit report gradebooks/ch1.csv -o ch1-report.html --json ch1-report.json
      coursekit report course.toml --assignment ch1
      coursekit report course.toml -o course-report.html

    One self-contained HTML page with plots: for an assignment, the spread of scores, the share of
    the class failing each test, the hints shown, late submissions and grading times; for the
    course, the spread of percentages, letters, and each assignment's mean, missing and late work.
    """
    from coursekit.term.course import load_course
    from coursekit.term.gradebook import gradebook_files

    if source.suffix != ".toml":
        if assignment is not None:
            raise click.UsageError("--assignment goes with a course file (course.toml)")
        write_report(output or source.with_name(f"{source.stem}-report.html"), json_file, [source],
                     f"Class report: {source.stem}")
        return
    course = or_exit_bad_input(load_course, source)
    if assignment is None:
        write_report(output or source.with_name(f"{source.stem}-report.html"), json_file, course=course)
        return
    chosen = or_exit_bad_input(course.assignment, assignment)
    write_report(output or source.with_name(f"{assignment}-report.html"), json_file,
                 or_exit_bad_input(gradebook_files, course, chosen), chosen.title)


def write_report(output, json_file=None, gradebooks=(), title="", course=None):
    """The report of the assignment whose `gradebooks` are given, or of the `course`, as HTML (and JSON)."""
    import json

    from coursekit.files import write_atomically
    from coursekit.term import pages
    from coursekit.term.report import assignment_report, course_report, report_json

    if course is not None:
        from coursekit.term.gradebook import build_gradebook

        report = course_report(or_exit_bad_input(build_gradebook, course))
        page = pages.course_page(report)
    else:
        report = or_exit_bad_input(assignment_report, gradebooks, title)
        page = pages.assignment_page(report)
    write_atomically(output, page)
    click.echo(f"wrote {output}")
    if json_file is not None:
        write_atomically(json_file, json.dumps(report_json(report), indent=1, ensure_ascii=False) + "\n")
        click.echo(f"wrote {json_file}")


@click.command("hand-back")
@click.argument("course_file", default="course.toml", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--out", default="handback", show_default=True, type=click.Path(file_okay=False, path_type=Path),
              help="The folder to write (replaced as a whole): one folder per student, and feedback.zip.")
def hand_back_command(course_file, out):
    """Hand every student their feedback: one folder each, named after the roster, and one zip for the LMS.

    \b
    Example:
      coursekit hand-back course.toml --out handback/

    Each assignment's pages are those `grade --class --feedback DIR` wrote (the course file's
    `feedback` folder, default feedback/NAME); a student's folder holds only their own.
    """
    from coursekit.term.course import load_course
    from coursekit.term.handback import hand_back

    done = or_exit_bad_input(hand_back, or_exit_bad_input(load_course, course_file), out)
    click.echo(f"{done.folder}: {done.files} files for {done.students} students; {done.zip} for the LMS")
    for student, assignment in done.missing:
        click.echo(f"no feedback page for {student} on {assignment}: grade it with --feedback")
    for submission, assignment in done.not_on_roster:
        click.echo(f"not handed back: {submission} on {assignment} is on no roster")

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
    click.echo(f"{len(on_roster)} students, {len(book.points)} assignments, {missing} missing submissions")
    for row in book.rows:
        if not row.on_roster:
            click.echo(f"not on the roster: {row.student.id} (kept in {output}, left out of the LMS export)")

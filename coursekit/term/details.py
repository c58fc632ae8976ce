"""What the class report needs that the gradebook does not hold, kept beside it (GRADEBOOK-details.json).

Per student: the seconds grading took and the hints they were shown (each once); per test: its points. `grade --class`
updates it after every run (students whose row was kept keep their entry), so a report can be
made from the gradebook at any time.
"""

import json
from pathlib import Path

from coursekit.files import write_atomically


def details_path(gradebook):
    gradebook = Path(gradebook)
    return gradebook.with_name(f"{gradebook.stem}-details.json")


def read_details(gradebook):
    """{"points": {test: points}, "students": {name: {"seconds": s, "hints": [...]}}} ({} parts when none yet)."""
    try:
        details = json.loads(details_path(gradebook).read_text(encoding="utf-8"))
    except (FileNotFoundError, ValueError):
        return {"points": {}, "students": {}}
    return {"points": details.get("points", {}), "students": details.get("students", {})}


def update_details(gradebook, reports, students):
    """Add the GradeReports just made ({name: report or None}); keep only `students` (the gradebook's rows)."""
    details = read_details(gradebook)
    for name, report in reports.items():
        if report is None:  # nothing could be read: no time worth showing, no hints
            details["students"][name] = {"seconds": None, "hints": []}
            continue
        details["points"].update({test.name: test.max_score for test in report.tests})
        hints = sorted({failure.hint for test in report.tests for failure in test.failures if failure.hint})
        details["students"][name] = {"seconds": report.elapsed, "hints": hints}
    details["students"] = {name: entry for name, entry in sorted(details["students"].items()) if name in students}
    write_atomically(details_path(gradebook), json.dumps(details, indent=1, ensure_ascii=False) + "\n")

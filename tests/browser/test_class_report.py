"""The class reports of a small real term (an assignment's and the course's) opened in Chromium from disk."""

import os
import re
from datetime import datetime, timezone
from pathlib import Path

import pytest
from click.testing import CliRunner

from coursekit.cli import main

REPO = Path(__file__).resolve().parents[2]
SOLUTION = (REPO / "solutions" / "value.py").read_text()
WRONG_MUL = SOLUTION.replace("(other.data, self.data))", "(self.data, other.data))")
ROSTER = "id,name,email,section\ns1,Ada Lovelace,ada@uni.edu,A\ns2,Alan Turing,alan@uni.edu,A\ns3,Grace Hopper,grace@uni.edu,B\n"
COURSE = """title = "Autodiff, autumn 2026"
roster = "roster.csv"
letters = { A = 90, B = 80, C = 70, F = 0 }
[assignments.ch1]
weight = 1
gradebook = "ch1.csv"
deadline = "2026-10-02T23:59:00+00:00"
penalty_per_day = 10
[assignments.ch2]
weight = 1
gradebook = "ch2.csv"
"""
DEADLINE = datetime(2026, 10, 2, 23, 59, tzinfo=timezone.utc).timestamp()


def invoke(*args):
    result = CliRunner().invoke(main, [str(arg) for arg in args], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return result


@pytest.fixture(scope="module")
def term(tmp_path_factory):
    root = tmp_path_factory.mktemp("term")
    (root / "roster.csv").write_text(ROSTER)
    (root / "course.toml").write_text(COURSE)
    for name, source, late_days in (("ada", SOLUTION, 0), ("alan", WRONG_MUL, 2), ("grace", SOLUTION, 1)):
        folder = root / "submissions" / name
        folder.mkdir(parents=True)
        (folder / "value.py").write_text(source)
        for path in (folder / "value.py", folder):
            os.utime(path, (DEADLINE - 3600 + late_days * 86400,) * 2)
    for assignment in ("ch1", "ch2"):
        invoke("grade", "--class", root / "submissions", "--tests", REPO / "autograder", "--assignment", assignment,
               "--course", root / "course.toml", "-o", root / f"{assignment}.csv", "--no-similarity",
               "--report", root / f"{assignment}-report.html")
    invoke("report", root / "course.toml", "-o", root / "course-report.html", "--json", root / "course-report.json")
    return root


def offline(page, path):
    requests = []
    page.on("request", lambda request: requests.append(request.url))
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(path.as_uri())
    assert all(url.startswith(("file:", "data:")) for url in requests), requests
    return page


def drawn_figures(page, titles):
    """Each figure is drawn at a readable size, with its bars, under its title (in this order)."""
    figures = page.locator("figure svg")
    found = []
    for index in range(figures.count()):
        svg = figures.nth(index)
        box = svg.bounding_box()
        assert box["width"] > 600 and box["height"] > 150, box
        bars = svg.locator("path[style*='fill: #3f6fb5'], path[style*='fill: #c0392b']")
        assert bars.count() > 0
        found.append(re.sub(r"\s+", " ", svg.text_content()))
    assert len(found) == len(titles) and all(title in text for title, text in zip(titles, found)), found


def test_the_assignment_report_draws_every_plot(page, term, artifacts):
    offline(page, term / "ch1-report.html")
    drawn_figures(page, ["Scores (after the late penalty)", "Students who lost points, per test",
                         "Hints shown (the ten most frequent)", "Late submissions", "Time to grade each submission"])
    summary = dict(zip(page.locator("th").all_text_contents(), page.locator("td").all_text_contents()))
    assert summary["students"] == "3" and summary["late"] == "2" and summary["out of"] == "20"
    assert "mul's local gradients are the wrong way round" in page.content()
    page.screenshot(path=artifacts / "class-report-ch1.png", full_page=True)


def test_the_course_report_draws_every_plot(page, term, artifacts):
    offline(page, term / "course-report.html")
    drawn_figures(page, ["Course percentages", "Letters", "Mean score per assignment", "Missing and late submissions"])
    assert page.locator("h1").text_content() == "Autodiff, autumn 2026"
    page.screenshot(path=artifacts / "class-report-course.png", full_page=True)

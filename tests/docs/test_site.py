"""The built documentation site (`make docs` builds it into site/, then runs these checks).

No answer reaches the website, every chapter shows its pictures, and the reference pages generated
from the code cover every command and every `%%trace` option.
"""

import base64
import re
from html.parser import HTMLParser
from pathlib import Path

import click
import pytest

from coursekit.cli import main as cli
from coursekit.course.assign import read_config
from coursekit.course.leaks import secret_lines
from coursekit.course.markers import KINDS, begin_marker, end_marker
from coursekit.course.release import folder_files, instructor_secrets
from coursekit.tracing.magics import TraceMagics

ROOT = Path(__file__).resolve().parents[2]
SITE = ROOT / "site"
CHAPTERS = sorted(path.stem for path in (ROOT / "solutions").glob("ch*.ipynb"))
EXTERNAL_RESOURCE = re.compile(r"<(?:script|img|link|iframe|source)\b[^>]*\b(?:src|href)=\"(?:https?:)?//", re.IGNORECASE)


class _Text(HTMLParser):
    """The text a reader sees, line by line (scripts and styles left out)."""

    def __init__(self):
        super().__init__()
        self.parts, self._skipping = [], 0

    def handle_starttag(self, tag, attrs):
        self._skipping += tag in ("script", "style")

    def handle_endtag(self, tag):
        self._skipping -= tag in ("script", "style") and self._skipping > 0

    def handle_data(self, data):
        if not self._skipping:
            self.parts.append(data)


def page_lines(path):
    parser = _Text()
    parser.feed(path.read_text(encoding="utf-8"))
    return {line.strip() for line in "".join(parser.parts).splitlines() if line.strip()}


def page(name):
    path = SITE / name
    if not path.is_file():
        pytest.fail(f"{path} is missing: build the site with `make docs`")
    return path


def all_pages():
    return sorted(page("index.html").parent.rglob("*.html"))


@pytest.mark.parametrize("chapter", CHAPTERS)
def test_a_chapter_page_holds_no_line_of_a_solution_or_of_the_hidden_tests(chapter):
    secrets = instructor_secrets(ROOT / "solutions", ROOT / "autograder", ROOT / "exercises")
    shown = page_lines(page(f"course/{chapter}.html"))
    assert "raise NotImplementedError()" in shown, "the exercises should show where students write"
    assert not sorted(shown & secrets)


def test_no_page_of_the_site_holds_a_solution_line():
    """The instructor pages show the markers themselves, never what is between them."""
    markers = {marker(kind) for kind in KINDS for marker in (begin_marker, end_marker)}
    shown = read_config(ROOT / "solutions").shown  # quoted on purpose, e.g. chapter 4's intro
    secrets = secret_lines(folder_files(ROOT / "solutions"), {}, {}, shown) - markers
    leaks = {path.relative_to(SITE).as_posix(): sorted(page_lines(path) & secrets)[:3] for path in all_pages()}
    assert {name: lines for name, lines in leaks.items() if lines} == {}


def graphs(html):
    """The graphviz pictures of a page: inline SVG, or SVG images as nbconvert embeds them."""
    inline = re.findall(r"<svg\b.*?</svg>", html, re.DOTALL)
    embedded = [base64.b64decode(data).decode("utf-8")
                for data in re.findall(r'<img[^>]*src="data:image/svg\+xml;base64,([^"]+)"', html)]
    return [svg for svg in inline + embedded if 'class="graph"' in svg]


@pytest.mark.parametrize("chapter", CHAPTERS)
def test_a_chapter_page_shows_its_graphs(chapter):
    assert graphs(page(f"course/{chapter}.html").read_text(encoding="utf-8")), "no %%trace picture on the page"


def test_the_chapter_with_plots_shows_them():
    assert "data:image/png;base64," in page("course/ch5-a-tiny-network.html").read_text(encoding="utf-8")


def test_the_trace_guide_shows_what_its_cells_draw():
    html = page("trace.html").read_text(encoding="utf-8")
    assert len(graphs(html)) >= 7
    assert re.search(r'class="ck-steps\b', html), "the stepper"
    assert "so it is folded into an overview" in html, "the overview's note"


def commands(group, path=("coursekit",)):
    yield path, group
    for name, command in getattr(group, "commands", {}).items():
        yield from commands(command, (*path, name))


def test_the_command_line_reference_has_every_command_and_option():
    text = page("reference/cli.html").read_text(encoding="utf-8")
    for path, command in commands(cli):
        assert " ".join(path) + " [OPTIONS]" in text, f"{' '.join(path)} is missing"
        for parameter in command.params:
            if isinstance(parameter, click.Option):
                assert any(option in text for option in parameter.opts), f"{' '.join(path)} {parameter.opts}"


def test_the_trace_options_page_lists_every_option_of_the_magic():
    text = page("reference/trace-options.html").read_text(encoding="utf-8")
    for action in TraceMagics.trace.parser._actions:
        for option in action.option_strings:
            assert f"<code>{option}</code>" in text, option
        assert action.help.split(";")[0].split("(")[0].strip() in text


def test_no_page_loads_anything_from_another_site():
    loading = {path.relative_to(SITE).as_posix(): EXTERNAL_RESOURCE.findall(path.read_text(encoding="utf-8"))
               for path in all_pages()}
    assert {name: found for name, found in loading.items() if found} == {}

"""docs/contributing.md is where a newcomer finds their way around the code."""

from pathlib import Path

REPO = Path(__file__).resolve().parents[1]


def test_the_contributors_map_names_every_module():
    guide = (REPO / "docs" / "contributing.md").read_text()
    unnamed = [str(path.relative_to(REPO)) for path in sorted((REPO / "coursekit").rglob("*.py"))
               if path.name != "__init__.py" and path.name not in guide]
    assert unnamed == [], "docs/contributing.md does not name these modules"

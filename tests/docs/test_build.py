"""`make docs` fails on a warning or a broken link between pages, as CI needs it to."""

import shlex
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def docs_build_command():
    """The mkdocs command line of the Makefile's `docs` recipe, runnable from here."""
    recipe = ROOT.joinpath("Makefile").read_text(encoding="utf-8").split("\ndocs: setup", 1)[1]
    line = next(line.strip() for line in recipe.splitlines() if "mkdocs build" in line)
    return [part.replace("$(BIN)/", str(Path(sys.executable).parent) + "/") for part in shlex.split(line)]


def test_the_docs_build_fails_on_a_broken_link(tmp_path):
    command = docs_build_command()
    assert "--strict" in command and not {"-q", "--quiet"} & set(command), command
    shutil.copy(ROOT / "mkdocs.yml", tmp_path)
    shutil.copytree(ROOT / "docs", tmp_path / "docs")
    page = tmp_path / "docs" / "security.md"
    page.write_text(page.read_text(encoding="utf-8") + "\nSee [the missing page](missing.md).\n", encoding="utf-8")
    built = subprocess.run(command + ["--site-dir", str(tmp_path / "site")], cwd=tmp_path,
                           capture_output=True, text=True, timeout=600)
    assert built.returncode != 0
    assert "contains a link 'missing.md'" in built.stderr and "strict mode" in built.stdout

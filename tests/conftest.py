import subprocess
import sys
from pathlib import Path

import pytest


@pytest.fixture(scope="session")
def coursekit_exe():
    """The installed `coursekit` console script of this environment."""
    exe = Path(sys.executable).with_name("coursekit")
    assert exe.exists(), f"coursekit is not installed in {sys.prefix}; run `make test`"
    return str(exe)


@pytest.fixture(scope="session")
def run_coursekit(coursekit_exe):
    """Run the installed command as a user would, with a hang guard."""

    def run(*args, cwd=None, timeout=300):
        return subprocess.run([coursekit_exe, *args], capture_output=True, text=True, cwd=cwd, timeout=timeout)

    return run

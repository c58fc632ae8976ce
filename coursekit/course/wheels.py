"""The wheels a release ships: coursekit's own, and a locked wheelhouse of what grading needs.

Students get coursekit's wheel (the public index's `coursekit` is another project). Gradescope gets
a wheelhouse: that wheel and every wheel of its core dependencies, downloaded once by `release`
with pip, and `requirements.lock`, one `name==version --hash=sha256:...` line per wheel. setup.sh
installs from it with `--no-index --require-hashes`, so the image holds exactly the files the
instructor released, and building it next term touches no index.

The wheelhouse holds pure-Python wheels only (`py3-none-any`), and every dependency that some
Python >= 3.10 needs (pip judges `python_version` markers by the Python it runs on, so those are
added by name): it installs on any Python >= 3.10 on any platform, whatever machine the release
was made on. A dependency without a pure-Python wheel makes the release fail rather than ship
wheels for the wrong machine.
"""

import hashlib
import re
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

from coursekit import DISTRIBUTION

OLDEST_PYTHON = "3.10"  # pyproject.toml's requires-python
LOCK_FILE = "requirements.lock"
WHEEL_NAME = re.compile(r"^(?P<name>[^-]+)-(?P<version>[^-]+)(-\d[^-]*)?-[^-]+-[^-]+-[^-]+\.whl$")
PIP_SECONDS = 600  # a hang guard: a build or a download takes seconds


class WheelError(ValueError):
    """A wheel cannot be built or the wheelhouse cannot be downloaded."""


def project_root():
    """The source checkout coursekit runs from (where pyproject.toml is), or None for an installed wheel."""
    root = Path(__file__).parents[2]
    return root if (root / "pyproject.toml").is_file() and (root / "coursekit").is_dir() else None


def build_wheel(folder, package_data=None):
    """Build coursekit's wheel from its source checkout into `folder`; returns its path.

    `package_data` ({path in the checkout: bytes}) adds files the checkout does not hold (the
    browser's Graphviz); the wheel is then built from a copy, so the checkout stays as it is."""
    root = project_root()
    if root is None:
        raise WheelError(f"coursekit is not running from a source checkout, so it cannot build its own wheel; "
                         f"pass --wheel PATH (e.g. from `pip download {DISTRIBUTION} --no-deps`)")
    if package_data:
        root = _copy_with(root, Path(folder) / "source", package_data)
    _pip("building the coursekit wheel", "wheel", "--no-deps", "-w", str(folder), str(root))
    wheels = sorted(Path(folder).glob(f"{DISTRIBUTION.replace('-', '_')}-*.whl"))
    if not wheels:
        raise WheelError(f"building the coursekit wheel with pip made no {DISTRIBUTION} wheel in {folder}")
    return wheels[0]


def _copy_with(root, copy, files):
    """What the wheel is built from (pyproject.toml, README.md, the package), copied, plus `files`."""
    copy.mkdir(parents=True)
    for name in ("pyproject.toml", "README.md"):
        shutil.copy2(root / name, copy / name)
    shutil.copytree(root / "coursekit", copy / "coursekit", ignore=shutil.ignore_patterns("__pycache__"))
    for name, data in files.items():
        (copy / name).parent.mkdir(parents=True, exist_ok=True)
        (copy / name).write_bytes(data)
    return copy


def download_wheelhouse(wheel, folder):
    """`wheel` and the pure-Python wheels of its dependencies in `folder`; returns their paths, sorted."""
    extra = set()
    while True:
        pip_download("downloading the grading dependencies", folder, [str(wheel), *sorted(extra)], python=OLDEST_PYTHON)
        wheels = sorted(Path(folder).glob("*.whl"))
        needed = {requirement for path in wheels for requirement in python_conditional_requirements(path)}
        if needed <= extra:
            return wheels
        extra |= needed


def pip_download(what, folder, requirements, python, constraints=None):
    """The pure-Python wheels (`py3-none-any`) of `requirements` and their dependencies for that Python, in `folder`."""
    _pip(what, "download", "--only-binary=:all:", "--implementation", "py", "--abi", "none", "--platform", "any",
         "--python-version", python, "-d", str(folder), *(["-c", str(constraints)] if constraints else []),
         *requirements)


def python_conditional_requirements(wheel):
    """The requirements of a wheel that hold only on some Pythons (`tomli; python_version < '3.11'`),
    without their marker; requirements of extras or of other platforms are left out."""
    with zipfile.ZipFile(wheel) as archive:
        metadata = next((name for name in archive.namelist() if name.endswith(".dist-info/METADATA")), None)
        text = archive.read(metadata).decode("utf-8") if metadata else ""
    requirements = []
    for line in text.splitlines():
        if not line.startswith("Requires-Dist:") or ";" not in line:
            continue
        requirement, marker = (part.strip() for part in line.removeprefix("Requires-Dist:").split(";", 1))
        if "python_version" in marker or "python_full_version" in marker:
            if not re.search(r"\b(extra|sys_platform|platform_system|implementation_name)\b", marker):
                requirements.append(re.sub(r"\s*\((.*)\)", r"\1", requirement))  # `name (>=1)` is an old spelling
    return requirements


def lock_text(wheels):
    """requirements.lock for these wheel files: exact versions, and the hash of each file."""
    lines = [f"# Generated by `coursekit release`: every wheel in wheels/, pinned to the file.\n"
             f"# pip install --no-index --find-links wheels --require-hashes -r {LOCK_FILE}\n"]
    for wheel in sorted(wheels, key=lambda path: path.name.lower()):
        match = WHEEL_NAME.match(wheel.name)
        if not match:
            raise WheelError(f"{wheel.name}: not a wheel's file name")
        digest = hashlib.sha256(wheel.read_bytes()).hexdigest()
        lines.append(f"{match['name'].replace('_', '-').lower()}=={match['version']} --hash=sha256:{digest}\n")
    return "".join(lines)


def _pip(what, *arguments):
    try:
        done = subprocess.run([sys.executable, "-m", "pip", *arguments, "--quiet", "--disable-pip-version-check"],
                              capture_output=True, text=True, timeout=PIP_SECONDS)
    except subprocess.TimeoutExpired:
        raise WheelError(f"{what} with pip took more than {PIP_SECONDS} s") from None
    if done.returncode:
        errors = [line for line in done.stderr.strip().splitlines() if line.startswith("ERROR")]
        reason = (errors or done.stderr.strip().splitlines() or ["no message"])[-1]
        raise WheelError(f"{what} with pip failed: {reason}")

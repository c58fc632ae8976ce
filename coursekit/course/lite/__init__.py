"""`make lite` / `coursekit release --lite`: the course as a static JupyterLite site, nothing to install.

The site is a folder any web server can serve (a course page, GitHub Pages, `python -m
http.server`). It opens JupyterLab in the browser with a Python kernel compiled to WebAssembly
(Pyodide), the student's files (the chapters, value.py, the public tests) in the file browser, and
coursekit with its pure-Python dependencies preinstalled from the site itself: nothing is fetched
from anywhere else at run time.

The build is one straight line, offline except for the two package registries, every input pinned:

1. Pyodide's runtime from the npm registry, the version the pinned jupyterlite-pyodide-kernel
   expects. The npm package holds the runtime and a lock of Pyodide's own package builds, but not
   those builds, so the lock is cut to the files that are there (none) and every package the
   kernel loads comes from step 2.
2. The wheels: coursekit's own (with Graphviz compiled to WebAssembly as package data, for
   %%trace) and the pure-Python wheels of its `lite` extra, the kernel and micropip, downloaded
   with pip at the versions of browser-constraints.txt.
3. `jupyter lite build`: JupyterLite's app, the kernel's extension, the student's files, and a
   Pyodide lock solved by uv from the wheel folder alone (`--no-index`), with
   `--no-sourcemaps` and no fallback to any package index.

The result is checked (its size, and that no configuration names another host) and then replaces
the output folder in one step.
"""

import json
import os
import shutil
import subprocess
import sys
import tempfile
import zipfile
from dataclasses import dataclass
from pathlib import Path

from coursekit import DISTRIBUTION
from coursekit.course.lite import npm
from coursekit.course.wheels import WheelError, build_wheel, pip_download
from coursekit.tracing import wasm

PYODIDE = npm.NpmPackage("pyodide", "314.0.6",
                         "sha512-BKDTJyIqFxC4BExLqeRS3f5xvXZIjOt8C3zGLN/Cc7tFxSwvKVhVkchQQ2AGLOtR4YrVOIFxbV8poyDOOmWwxQ==")
VIZ = npm.NpmPackage("@viz-js/viz", "3.31.0",
                     "sha512-r7zlQdRvcwvIpjHGgs+KNWHeE/P5/Dq7k8ZAKaMCbZqomxCBJV78gVuQYaHzFVca+kB0mX0fMW9UFevCOBG50A==")
PYODIDE_FILES = ("pyodide.mjs", "pyodide.asm.mjs", "pyodide.asm.wasm", "python_stdlib.zip", "pyodide-lock.json")
VIZ_MODULE = "dist/viz.js"  # one ES module, the WebAssembly inside it
BROWSER_PYTHON = "3.14"     # the Python of PYODIDE
# What the kernel installs at start beyond its own wheels (pyodide-kernel, ipykernel, piplite): the
# worker loads micropip first, then comm, jedi and IPython.
KERNEL_PACKAGES = ("micropip", "comm", "jedi", "ipython")
KERNEL_EXTENSION = Path("share", "jupyter", "labextensions", "@jupyterlite", "pyodide-kernel-extension")
CONSTRAINTS = Path(__file__).with_name("browser-constraints.txt")
SIZE_LIMIT = 50_000_000  # bytes: what a student's browser downloads on the first visit, at most
BUILD_SECONDS = 900      # a hang guard: the build takes seconds to a minute


class LiteError(ValueError):
    """The browser course cannot be built (a missing tool, a failed download, a site over budget)."""


@dataclass(frozen=True)
class Site:
    folder: Path
    size: int           # bytes, every file of the site
    packages: tuple     # the Python packages the site serves, as `name version`
    files: tuple        # the student's files in the file browser


def build_site(exercises, out):
    """Build the site of the student's folder `exercises` into the folder `out`."""
    exercises, given, out = Path(exercises), Path(out), Path(out).resolve()
    if not (exercises / "value.py").is_file():
        raise LiteError(f"{exercises}: no value.py in it; pass the student's folder (exercises/)")
    out.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix=".lite-", dir=out.parent) as scratch:
        lite_dir = Path(scratch)
        try:
            stage_pyodide(npm.fetch(PYODIDE, lite_dir / "npm"), lite_dir / "static" / "pyodide")
            viz = npm.fetch(VIZ, lite_dir / "npm")
            wheels = browser_wheels(viz, lite_dir / "wheels")
        except (npm.NpmError, WheelError) as error:
            raise LiteError(str(error)) from None
        files = stage_files(exercises, lite_dir / "files")
        write_config(lite_dir, wheels)
        run_jupyter_lite(lite_dir, out.with_name(f"{out.name}-build.log"))
        site = check_site(lite_dir / "site", files)
        replace_folder(site.folder, out)
    return Site(given, site.size, site.packages, site.files)


def stage_pyodide(tarball, folder):
    """Pyodide's runtime in `folder`, where JupyterLite's Pyodide addon looks for it, with its lock
    cut to the packages whose files are there, so nothing can be loaded from Pyodide's CDN."""
    npm.extract(tarball, PYODIDE_FILES, folder)
    lock_path = folder / "pyodide-lock.json"
    lock = json.loads(lock_path.read_text())
    # The lock reader available for the build's Python (pyodide-lock 0.1.2) requires info.version,
    # which Pyodide 314's lock no longer writes.
    lock["info"].setdefault("version", PYODIDE.version)
    lock["packages"] = {name: entry for name, entry in lock["packages"].items() if (folder / entry["file_name"]).is_file()}
    lock_path.write_text(json.dumps(lock))


def browser_wheels(viz_tarball, folder):
    """coursekit's wheel (Graphviz's WebAssembly inside) and the pure-Python wheels it needs in the
    browser, in `folder`; returns coursekit's wheel."""
    with tempfile.TemporaryDirectory() as scratch:
        npm.extract(viz_tarball, [VIZ_MODULE], scratch)
        asset = (Path(scratch) / Path(VIZ_MODULE).name).read_bytes()
    wheel = build_wheel(folder, package_data={wasm.PACKAGE_PATH: asset})
    pip_download("downloading the browser's wheels", folder, [f"{wheel}[lite]", *KERNEL_PACKAGES], python=BROWSER_PYTHON,
                 constraints=CONSTRAINTS)
    return wheel


def stage_files(exercises, folder):
    """The student's files (as in student.zip's exercises/) in `folder`; returns their names."""
    from coursekit.course.release import student_files

    files = {}
    for name, data in student_files(exercises).items():
        relative = name.split("/", 1)[1]
        (folder / relative).parent.mkdir(parents=True, exist_ok=True)
        (folder / relative).write_bytes(data)
        files[relative] = data
    return tuple(sorted(files))


def write_config(lite_dir, wheel):
    """jupyter_lite_config.json (how to build) and jupyter-lite.json (how the site runs)."""
    extension = Path(sys.prefix) / KERNEL_EXTENSION
    if not extension.is_dir():
        raise LiteError(f"the Pyodide kernel's extension is not installed in {sys.prefix}; install coursekit's "
                        f"lite-build extra (pip install '{DISTRIBUTION}[lite-build]') or run `make lite`")
    wheels = wheel.parent
    build = {
        "LiteBuildConfig": {
            "ignore_sys_prefix": True,  # only the kernel's extension, not every one this Python has
            "federated_extensions": [str(extension)],
            "contents": ["files"],
            "output_dir": "site",
            "no_sourcemaps": True,
        },
        "PyodideLockAddon": {
            "enabled": True,
            "specs": [f"{DISTRIBUTION}[lite]", *KERNEL_PACKAGES],
            "constraints": [f"-r {CONSTRAINTS}"],
            "pyodide_lock_uv_options": {"extra_uv_args": ["--no-index", f"--find-links={wheels}"]},
            # loaded with the kernel: coursekit and the `lite` extra, which a lock does not follow
            "prefetch_extra": [DISTRIBUTION, *lite_requirements(wheel)],
        },
    }
    runtime = {
        "jupyter-lite-schema-version": 0,
        "jupyter-config-data": {
            "exposeAppInBrowser": True,  # window.jupyterapp, for scripted use (the browser tests)
            "litePluginSettings": {"@jupyterlite/pyodide-kernel-extension:kernel": {"disablePyPIFallback": True}},
        },
    }
    (lite_dir / "jupyter_lite_config.json").write_text(json.dumps(build, indent=1))
    (lite_dir / "jupyter-lite.json").write_text(json.dumps(runtime, indent=1))


def lite_requirements(wheel):
    """The names of the `lite` extra's requirements, from the wheel's metadata."""
    from packaging.requirements import Requirement

    with zipfile.ZipFile(wheel) as archive:
        metadata = next(name for name in archive.namelist() if name.endswith(".dist-info/METADATA"))
        lines = archive.read(metadata).decode().splitlines()
    requirements = [Requirement(line.removeprefix("Requires-Dist:")) for line in lines if line.startswith("Requires-Dist:")]
    return [requirement.name for requirement in requirements
            if requirement.marker and requirement.marker.evaluate({"extra": "lite"})]


def run_jupyter_lite(lite_dir, failure_log):
    """`jupyter lite build` in `lite_dir`; when it fails, its log is kept in `failure_log`."""
    # uv only solves for Pyodide's Python; it must not try to download that Python for itself
    env = {**os.environ, "JUPYTER_PLATFORM_DIRS": "1", "UV_PYTHON_DOWNLOADS": "never"}
    log = lite_dir / "build.log"
    try:
        with open(log, "wb") as output:
            done = subprocess.run([sys.executable, "-m", "jupyterlite_core", "build"], cwd=lite_dir, env=env,
                                  stdout=output, stderr=subprocess.STDOUT, timeout=BUILD_SECONDS)
    except subprocess.TimeoutExpired:
        raise LiteError(f"jupyter lite build took more than {BUILD_SECONDS} s") from None
    if done.returncode:
        shutil.copyfile(log, failure_log)
        errors = [line.strip() for line in log.read_text(errors="replace").splitlines() if "Error" in line]
        raise LiteError(f"jupyter lite build failed ({(errors or ['no message'])[-1]}); its log is {failure_log}")


def check_site(folder, files):
    """The built site, measured; refused when over budget or when its configuration names a host."""
    size = sum(path.stat().st_size for path in folder.rglob("*") if path.is_file())
    if size > SIZE_LIMIT:
        raise LiteError(f"the site is {size / 1e6:.1f} MB, over the {SIZE_LIMIT / 1e6:.0f} MB budget")
    for config in [*folder.rglob("jupyter-lite.json"), folder / "static" / "pyodide-lock" / "pyodide-lock.json"]:
        if "://" in config.read_text():
            raise LiteError(f"{config.relative_to(folder)} names another host; the site must load everything from itself")
    lock = json.loads((folder / "static" / "pyodide-lock" / "pyodide-lock.json").read_text())
    packages = tuple(sorted(f"{entry['name']} {entry['version']}" for entry in lock["packages"].values()))
    return Site(folder, size, packages, files)


def replace_folder(new, old):
    """Put the folder `new` where `old` is, in two renames: `old` is whole until the first."""
    retired = old.with_name(f".{old.name}.old")
    shutil.rmtree(retired, ignore_errors=True)
    if old.exists():
        old.rename(retired)
    new.rename(old)
    shutil.rmtree(retired, ignore_errors=True)

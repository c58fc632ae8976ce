"""The browser course's build steps that need no registry: Pyodide's lock cut to what the site
holds, the `lite` extra read from a real wheel, a copy-built wheel carrying extra package data,
and the checks of a built site. The whole build, and the site in Chromium, are tested by
`make test-lite` (tests/browser/lite)."""

import io
import json
import tarfile
import zipfile

import pytest

from coursekit.course.lite import LiteError, check_site, lite_requirements, replace_folder, stage_pyodide
from coursekit.course.lite.npm import NpmError, extract
from coursekit.course.wheels import build_wheel


def npm_tarball(path, files):
    """A tarball laid out as npm packs one: every file under package/."""
    with tarfile.open(path, "w:gz") as archive:
        for name, data in files.items():
            info = tarfile.TarInfo(f"package/{name}")
            info.size = len(data)
            archive.addfile(info, io.BytesIO(data))
    return path


def pyodide_tarball(path, packages):
    lock = {"info": {"arch": "wasm32", "platform": "emscripten_5_0_3", "python": "3.14.2", "abi_version": "2026_0"},
            "packages": packages}
    files = {name: b"runtime" for name in ("pyodide.mjs", "pyodide.asm.mjs", "pyodide.asm.wasm", "python_stdlib.zip")}
    files["pyodide-lock.json"] = json.dumps(lock).encode()
    return npm_tarball(path, files)


def lock_entry(file_name):
    return {"name": file_name.split("-")[0], "version": "1.0", "file_name": file_name, "install_dir": "site",
            "sha256": "", "package_type": "package", "imports": [], "depends": []}


def test_the_staged_lock_names_only_files_the_site_holds_and_carries_a_version(tmp_path):
    tarball = pyodide_tarball(tmp_path / "pyodide.tgz", {"micropip": lock_entry("micropip-0.11.1-py3-none-any.whl"),
                                                         "numpy": lock_entry("numpy-2.0-cp314-pyodide.whl")})
    stage_pyodide(tarball, tmp_path / "pyodide")
    lock = json.loads((tmp_path / "pyodide" / "pyodide-lock.json").read_text())
    assert lock["packages"] == {}
    assert lock["info"]["version"] == "314.0.6"
    assert sorted(path.name for path in (tmp_path / "pyodide").iterdir()) == [
        "pyodide-lock.json", "pyodide.asm.mjs", "pyodide.asm.wasm", "pyodide.mjs", "python_stdlib.zip"]


def test_a_file_missing_from_the_npm_package_is_named(tmp_path):
    tarball = npm_tarball(tmp_path / "viz.tgz", {"lib/other.js": b"x"})
    with pytest.raises(NpmError, match=r"^viz.tgz holds no file dist/viz.js$"):
        extract(tarball, ["dist/viz.js"], tmp_path / "out")


@pytest.fixture(scope="module")
def wheel_with_asset(tmp_path_factory):
    return build_wheel(tmp_path_factory.mktemp("wheel"), package_data={"coursekit/tracing/assets/extra.js": b"// js"})


def test_the_wheel_carries_the_package_data_and_the_checkout_stays_as_it_is(wheel_with_asset):
    from coursekit.course.wheels import project_root

    with zipfile.ZipFile(wheel_with_asset) as archive:
        assert archive.read("coursekit/tracing/assets/extra.js") == b"// js"
    assert not (project_root() / "coursekit" / "tracing" / "assets" / "extra.js").exists()


def test_the_lite_extra_is_read_from_the_wheel(wheel_with_asset):
    assert sorted(lite_requirements(wheel_with_asset)) == ["graphviz", "ipython"]


def built_site(folder, config=None, lock=None):
    (folder / "static" / "pyodide-lock").mkdir(parents=True)
    (folder / "jupyter-lite.json").write_text(json.dumps(config or {"jupyter-config-data": {"baseUrl": "./"}}))
    lock = lock or {"packages": {"click": {"name": "click", "version": "8.5.1", "file_name": "../../static/c.whl"}}}
    (folder / "static" / "pyodide-lock" / "pyodide-lock.json").write_text(json.dumps(lock))
    return folder


def test_a_site_is_measured_and_its_packages_listed(tmp_path):
    site = check_site(built_site(tmp_path / "site"), ("value.py",))
    assert site.packages == ("click 8.5.1",)
    assert site.size == sum(path.stat().st_size for path in (tmp_path / "site").rglob("*") if path.is_file())


def test_a_site_whose_configuration_names_a_host_is_refused(tmp_path):
    config = {"jupyter-config-data": {"pyodideUrl": "https://cdn.example/pyodide.mjs"}}
    with pytest.raises(LiteError, match=r"^jupyter-lite.json names another host; the site must load everything from itself$"):
        check_site(built_site(tmp_path / "site", config=config), ())


def test_a_site_over_budget_is_refused(tmp_path, monkeypatch):
    monkeypatch.setattr("coursekit.course.lite.SIZE_LIMIT", 10)
    with pytest.raises(LiteError, match=r"^the site is 0.0 MB, over the 0 MB budget$"):
        check_site(built_site(tmp_path / "site"), ())


def test_replacing_a_folder_leaves_only_the_new_one(tmp_path):
    (tmp_path / "old").mkdir()
    (tmp_path / "old" / "stale.txt").write_text("old")
    (tmp_path / "new").mkdir()
    (tmp_path / "new" / "index.html").write_text("new")
    replace_folder(tmp_path / "new", tmp_path / "old")
    assert sorted(path.name for path in tmp_path.iterdir()) == ["old"]
    assert [path.name for path in (tmp_path / "old").iterdir()] == ["index.html"]

"""Packages from the npm registry, pinned by version and by the registry's integrity hash.

`npm pack` downloads a package's tarball without installing anything (no node_modules, no
scripts) and verifies it against the registry's integrity; we compare that integrity with the
one written here, so a re-published or tampered tarball stops the build instead of shipping.
"""

import json
import shutil
import subprocess
import tarfile
from dataclasses import dataclass
from pathlib import Path

NPM_SECONDS = 600  # a hang guard: a download takes seconds
NPM_HINT = ("npm is missing: `make lite` installs Node.js and npm with apt-get when run as root; "
            "otherwise install them (sudo apt-get install -y nodejs npm)")


class NpmError(ValueError):
    """A pinned npm package cannot be downloaded, or is not the one pinned."""


@dataclass(frozen=True)
class NpmPackage:
    name: str
    version: str
    integrity: str  # the registry's `dist.integrity` of this version's tarball

    @property
    def spec(self):
        return f"{self.name}@{self.version}"


def fetch(package, folder):
    """The package's tarball, checked against its pin, in `folder` (npm's own cache makes a second
    download of the same version a copy)."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    npm = shutil.which("npm")
    if npm is None:
        raise NpmError(NPM_HINT)
    try:
        done = subprocess.run([npm, "pack", package.spec, "--json", "--pack-destination", str(folder)],
                              capture_output=True, text=True, timeout=NPM_SECONDS)
    except subprocess.TimeoutExpired:
        raise NpmError(f"downloading {package.spec} with npm took more than {NPM_SECONDS} s") from None
    if done.returncode:
        reason = (done.stderr.strip().splitlines() or ["no message"])[-1]
        raise NpmError(f"downloading {package.spec} with npm failed: {reason}")
    packed = json.loads(done.stdout)[0]
    tarball = folder / packed["filename"]
    if packed["integrity"] != package.integrity:
        tarball.unlink(missing_ok=True)
        raise NpmError(f"{package.spec} from the registry has integrity {packed['integrity']}, "
                       f"not the pinned {package.integrity}")
    return tarball


def extract(tarball, names, folder):
    """Extract the files `names` (paths inside the package, e.g. `lib/x.js`) into `folder`, flat."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    with tarfile.open(tarball) as archive:
        for name in names:
            try:
                member = archive.extractfile(f"package/{name}")
            except KeyError:
                member = None
            if member is None:
                raise NpmError(f"{Path(tarball).name} holds no file {name}")
            (folder / Path(name).name).write_bytes(member.read())

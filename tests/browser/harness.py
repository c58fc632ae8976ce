"""Start and stop the real things the browser tests drive: JupyterLab and Chromium.

Both run as context managers that always shut down what they started and then check
that nothing is left: every process we start carries a unique folder of ours on its
command line (the lab's runtime dir, Chromium's profile dir), so a scan of /proc finds
stragglers, kernels included, without guessing at process names.
"""

import json
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

# Headless and quiet: the machine has no network, and Chromium's background services
# (updates, sync, safe browsing) otherwise stall or spam while they retry.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]

# Hang guards only: nothing asserts on how long things take.
LAB_START_TIMEOUT = 180
SHUTDOWN_TIMEOUT = 60

INSTALL_HINT = (
    "Chromium is needed for the browser tests: `make test-browser` installs it when run as root "
    "on Debian/Ubuntu, otherwise run `sudo apt-get install -y chromium` "
    "(or point COURSEKIT_CHROMIUM at a Chromium/Chrome binary)."
)


def find_chromium():
    """The system Chromium's path, or None (COURSEKIT_CHROMIUM overrides the search)."""
    explicit = os.environ.get("COURSEKIT_CHROMIUM")
    if explicit:
        return explicit if Path(explicit).exists() else None
    return shutil.which("chromium")


def processes_mentioning(marker):
    """Pids of live processes whose command line contains `marker`, this one excluded."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit() or int(entry.name) == os.getpid():
            continue
        try:
            cmdline = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
            state = (entry / "stat").read_text().rsplit(")", 1)[1].split()[0]
        except OSError:  # it exited while we looked
            continue
        if marker in cmdline and state != "Z":
            found.append(int(entry.name))
    return found


def wait_until_gone(marker, timeout=SHUTDOWN_TIMEOUT):
    """Wait for processes mentioning `marker` to exit; return the ones still there."""
    deadline = time.monotonic() + timeout
    while (left := processes_mentioning(marker)) and time.monotonic() < deadline:
        time.sleep(0.2)
    return left


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@dataclass(frozen=True)
class Lab:
    """A running JupyterLab: where it serves, its token, the folder it serves."""

    port: int
    token: str
    root: Path
    state_dir: Path

    def url(self, path=""):
        return f"http://127.0.0.1:{self.port}/{path.lstrip('/')}"

    def api(self, path):
        request = urllib.request.Request(self.url(f"api/{path}"), headers={"Authorization": f"token {self.token}"})
        with urllib.request.urlopen(request, timeout=10) as response:
            return json.load(response)


@contextmanager
def running_jupyterlab(root, state_dir):
    """Serve `root` with JupyterLab on 127.0.0.1, a free port and a random token.

    All of Jupyter's config, runtime and settings folders live under `state_dir`, so the
    user's own settings cannot change what the tests see, and the lab starts with a
    fresh workspace every time.
    """
    state_dir = Path(state_dir)
    env = dict(os.environ)
    for variable, folder in [
        ("JUPYTER_CONFIG_DIR", "config"),
        ("JUPYTER_RUNTIME_DIR", "runtime"),
        ("IPYTHONDIR", "ipython"),
    ]:
        (state_dir / folder).mkdir(parents=True, exist_ok=True)
        env[variable] = str(state_dir / folder)
    _quiet_settings(state_dir / "settings")
    lab = Lab(port=free_port(), token=secrets.token_hex(16), root=Path(root), state_dir=state_dir)
    command = [
        sys.executable, "-m", "jupyterlab",
        "--no-browser",
        "--ip=127.0.0.1",
        f"--port={lab.port}",
        "--ServerApp.port_retries=0",
        f"--IdentityProvider.token={lab.token}",
        f"--ServerApp.root_dir={root}",
        "--allow-root",  # harmless unless we are root, and then needed
        # On the command line rather than in the environment, so that the server's own
        # command line names state_dir, like its kernels' connection files do.
        f"--LabApp.user_settings_dir={state_dir / 'settings'}",
        f"--LabApp.workspaces_dir={state_dir / 'workspaces'}",
        "--LabApp.news_url=None",
        "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate",
    ]
    log_path = state_dir / "jupyterlab.log"
    with open(log_path, "wb") as log:
        server = subprocess.Popen(command, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    try:
        _wait_until_answering(lab, server, log_path)
        yield lab
    finally:
        _stop_process_group(server)
        left = wait_until_gone(str(state_dir))
        for pid in left:
            os.kill(pid, signal.SIGKILL)
        assert not left, f"JupyterLab left processes running (killed now): {left}"


def _quiet_settings(settings_dir):
    """No "get notified about Jupyter news?" toast: it would cover outputs in screenshots."""
    path = settings_dir / "@jupyterlab" / "apputils-extension" / "notification.jupyterlab-settings"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps({"fetchNews": "false", "checkForUpdates": False}))


def _wait_until_answering(lab, server, log_path):
    deadline = time.monotonic() + LAB_START_TIMEOUT
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError(f"JupyterLab exited with {server.returncode}:\n{log_path.read_text()[-3000:]}")
        try:
            lab.api("status")
            return
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            time.sleep(0.3)
    raise RuntimeError(f"JupyterLab did not answer within {LAB_START_TIMEOUT} s:\n{log_path.read_text()[-3000:]}")


def _stop_process_group(process):
    """SIGTERM lets the server shut its kernels down; SIGKILL the group if it hangs."""
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(SHUTDOWN_TIMEOUT)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()


@contextmanager
def running_chromium(playwright, executable, profile_dir):
    """Headless system Chromium with a fresh profile, as a Playwright browser context."""
    context = playwright.chromium.launch_persistent_context(
        str(profile_dir),
        executable_path=executable,
        headless=True,
        args=CHROMIUM_ARGS,
        viewport={"width": 1400, "height": 1000},
    )
    try:
        yield context
    finally:
        context.close()
        left = wait_until_gone(str(profile_dir))
        for pid in left:
            os.kill(pid, signal.SIGKILL)
        assert not left, f"Chromium left processes running (killed now): {left}"

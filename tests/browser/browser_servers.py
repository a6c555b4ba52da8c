"""Start and stop the real JupyterLab and Voila servers of the browser tests.

Both run from the project's environment (``sys.executable``'s prefix), on
127.0.0.1 with a free port and a random token, with ``NTM_QUICK=1`` and without
``MPLBACKEND`` (the kernels must use the inline backend). Each server gets a
throw-away Jupyter config directory, so nothing of the user's own settings
leaks in and nothing is written outside it:

* JupyterLab user settings: every notebook cell attached to the DOM
  (``windowingMode: none``, so the tests see every output), no autosave (the
  tests never write the notebooks), no news / update pop-ups;
* a server config whose ``pre_save_hook`` refuses every save, as a second
  guard for the notebooks in the repository.

A server's output goes to a log file (named in every start-up failure).
"""

import atexit
import json
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

from browser_config import REPO
BIN = Path(sys.executable).parent

LAB_USER_SETTINGS = {
    # every cell in the DOM, so run-all can be checked and screenshotted whole
    "@jupyterlab/notebook-extension/tracker.jupyterlab-settings": {"windowingMode": "none"},
    # never write the notebooks of the repository
    "@jupyterlab/docmanager-extension/plugin.jupyterlab-settings": {"autosave": False},
    # no "get Jupyter news?" toast over the bottom of the notebook, no update check
    "@jupyterlab/apputils-extension/notification.jupyterlab-settings": {
        "fetchNews": "false", "checkForUpdates": False, "doNotDisturbMode": True},
}

SERVER_CONFIG = '''\
# Written by tests/browser: the browser tests must never write a notebook.
# (Only an HTTPError stops a save; any other exception is logged and ignored.)
def _refuse_save(model, path, contents_manager, **kwargs):
    from tornado.web import HTTPError

    raise HTTPError(403, "the browser tests never save files (" + str(path) + ")")

c.FileContentsManager.pre_save_hook = _refuse_save
'''


def free_port():
    """A TCP port on 127.0.0.1 that nobody listens on right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def executable(name):
    """``.venv/bin/<name>`` of the running interpreter (falls back to PATH)."""
    path = BIN / name
    if path.exists():
        return str(path)
    found = shutil.which(name)
    if found is None:
        raise FileNotFoundError(f"{name} is neither in {BIN} nor on PATH: install the 'browser' extra")
    return found


def make_config_dir(base):
    """A fresh JUPYTER_CONFIG_DIR with the test settings; returns its path."""
    config = Path(base)
    settings = config / "lab" / "user-settings"
    for rel, values in LAB_USER_SETTINGS.items():
        target = settings / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(json.dumps(values, indent=2))
    (config / "lab" / "workspaces").mkdir(parents=True, exist_ok=True)
    (config / "jupyter_server_config.py").write_text(SERVER_CONFIG)
    return config


def server_env(config_dir):
    """The servers' (and so their kernels') environment."""
    env = dict(os.environ)
    env["NTM_QUICK"] = "1"
    env.pop("MPLBACKEND", None)  # the kernel must pick matplotlib's inline backend
    env.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
    env["PYTHONUNBUFFERED"] = "1"
    env["JUPYTER_CONFIG_DIR"] = str(config_dir)
    env["JUPYTERLAB_SETTINGS_DIR"] = str(Path(config_dir) / "lab" / "user-settings")
    env["JUPYTERLAB_WORKSPACES_DIR"] = str(Path(config_dir) / "lab" / "workspaces")
    env.pop("JUPYTER_NO_CONFIG", None)  # our config file must be read
    # The venv's bin first, so the kernel and any helper come from it.
    env["PATH"] = str(BIN) + os.pathsep + env.get("PATH", "")
    return env


class Server:
    """One server process: its URL, token, log; ``stop()`` ends it."""

    def __init__(self, name, argv, env, port, token, log_path, cwd):
        self.name, self.argv, self.port, self.token = name, argv, port, token
        self.log_path = Path(log_path)
        self.base_url = f"http://127.0.0.1:{port}"
        self._log = open(self.log_path, "w")
        self._log.write("$ " + " ".join(argv) + "\n")
        self._log.flush()
        self.proc = subprocess.Popen(argv, cwd=str(cwd), env=env, stdout=self._log,
                                     stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
                                     start_new_session=True)
        atexit.register(self.stop)  # even if pytest dies before the fixture's teardown

    # -- requests ----------------------------------------------------------
    def request(self, method, path, timeout=30):
        """A request with the token; returns (status, parsed JSON or text)."""
        req = urllib.request.Request(self.base_url + path, method=method)
        if self.token:
            req.add_header("Authorization", f"token {self.token}")
        try:
            with urllib.request.urlopen(req, timeout=timeout) as resp:
                body = resp.read().decode("utf-8", "replace")
                status = resp.status
        except urllib.error.HTTPError as err:
            return err.code, err.read().decode("utf-8", "replace")
        try:
            return status, json.loads(body) if body else None
        except ValueError:
            return status, body

    def log_tail(self, chars=3000):
        try:
            if not self._log.closed:
                self._log.flush()
            return self.log_path.read_text(errors="replace")[-chars:]
        except OSError:
            return ""

    def wait_ready(self, path, timeout):
        """Poll ``path`` until it answers 200 (``path=None``: until the port accepts
        connections); fail with the log when the process exits or on timeout."""
        deadline = time.monotonic() + timeout
        last = None
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"{self.name} exited with status {self.proc.returncode} before it "
                                   f"answered {path}; log {self.log_path}:\n{self.log_tail()}")
            try:
                if path is None:
                    socket.create_connection(("127.0.0.1", self.port), timeout=5).close()
                    return
                status, _ = self.request("GET", path, timeout=5)
                if status == 200:
                    return
                last = f"HTTP {status}"
            except (OSError, urllib.error.URLError) as err:
                last = repr(err)
            time.sleep(0.5)
        self.stop()
        raise RuntimeError(f"{self.name} did not answer {self.base_url}{path or ''} within {timeout:.0f} s "
                           f"(last: {last}); log {self.log_path}:\n{self.log_tail()}")

    def stop(self, grace=20):
        """SIGTERM the server (it shuts its kernels down), then SIGKILL what is left
        of its process group."""
        if self.proc.poll() is None:
            try:
                os.killpg(self.proc.pid, signal.SIGTERM)
                self.proc.wait(timeout=grace)
            except ProcessLookupError:
                pass
            except subprocess.TimeoutExpired:
                self._log.write(f"\n[tests/browser] {self.name} ignored SIGTERM for {grace} s: SIGKILL\n")
        try:
            os.killpg(self.proc.pid, signal.SIGKILL)
        except (ProcessLookupError, PermissionError):
            pass
        try:
            self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            pass
        if not self._log.closed:
            self._log.close()


class LabServer(Server):
    """JupyterLab with ``window.jupyterapp`` exposed, serving the repository."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._shutdowns = []

    def url(self, path=""):
        return f"{self.base_url}/{path.lstrip('/')}"

    def notebook_url(self, rel_path, workspace):
        # A workspace of its own per notebook, so JupyterLab restores no other tab.
        return f"{self.base_url}/lab/workspaces/{workspace}/tree/{rel_path}?reset&token={self.token}"

    def sessions(self):
        status, body = self.request("GET", "/api/sessions")
        return body if status == 200 and isinstance(body, list) else []

    def shutdown_session_of(self, rel_path, wait=False):
        """Delete the sessions of one notebook (so their kernels shut down): in a
        background thread unless ``wait``, so the next notebook need not wait for
        it; ``shutdown_kernels`` joins those threads."""
        ids = [s["id"] for s in self.sessions() if s.get("path") == rel_path]

        def delete():
            for session_id in ids:
                try:
                    self.request("DELETE", f"/api/sessions/{session_id}", timeout=60)
                except OSError:
                    pass

        if wait:
            delete()
        else:
            thread = threading.Thread(target=delete, name=f"shutdown {rel_path}", daemon=True)
            thread.start()
            self._shutdowns.append(thread)

    def shutdown_kernels(self):
        """Delete every session (shutting its kernel down) and any kernel left over."""
        for thread in self._shutdowns:
            thread.join(timeout=60)
        self._shutdowns.clear()
        for session in self.sessions():
            self.request("DELETE", f"/api/sessions/{session['id']}", timeout=60)
        status, kernels = self.request("GET", "/api/kernels")
        if status == 200 and isinstance(kernels, list):
            for kernel in kernels:
                self.request("DELETE", f"/api/kernels/{kernel['id']}", timeout=60)


def start_lab(config_dir, log_path, timeout=180):
    port, token = free_port(), secrets.token_hex(24)
    argv = [
        executable("jupyter"), "lab",
        "--no-browser", "--allow-root",
        "--ServerApp.ip=127.0.0.1", f"--ServerApp.port={port}", "--ServerApp.port_retries=0",
        f"--IdentityProvider.token={token}",
        f"--ServerApp.root_dir={REPO}",
        "--LabApp.expose_app_in_browser=True",
        "--ServerApp.open_browser=False",
        # No "a newer JupyterLab" banner, no news fetched (the network is closed anyway).
        "--LabApp.news_url=",
        "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate",
    ]
    server = LabServer("JupyterLab", argv, server_env(config_dir), port, token, log_path, REPO)
    server.wait_ready("/api/status", timeout)
    return server


class VoilaServer(Server):
    def page_url(self):
        return f"{self.base_url}/?token={self.token}"


def start_voila(notebook, config_dir, log_path, timeout=180):
    port, token = free_port(), secrets.token_hex(24)
    argv = [
        executable("voila"), str(Path(notebook).relative_to(REPO)),
        "--no-browser",
        "--Voila.ip=127.0.0.1", f"--Voila.port={port}", "--Voila.port_retries=0",
        f"--Voila.token={token}",
        "--Voila.open_browser=False",
        "--show_tracebacks=True",
    ]
    server = VoilaServer("Voila", argv, server_env(config_dir), port, token, log_path, REPO)
    # Voila listens once it is set up; the notebook only runs when the page is asked for.
    server.wait_ready(None, timeout)
    return server

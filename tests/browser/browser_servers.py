"""The real servers of the browser tests: JupyterLab, Voila and a static file server.

JupyterLab and Voila run from the project's environment on 127.0.0.1 with a
free port and a random token, with ``NTM_QUICK=1`` and without ``MPLBACKEND``
(the kernels must use the inline backend), and a throw-away Jupyter config
directory, so none of the user's settings leak in:

* JupyterLab user settings: ``windowingMode: none`` (every cell stays in the
  page, so run-all can be checked and every cell photographed), no autosave,
  no news or update pop-ups;
* a ``pre_save_hook`` that refuses every save: the tests never write a notebook.

A server is ready when it prints its "is running at" line (read from its
output as it comes, so nothing polls); everything it prints goes to a log
file, named in every start-up failure.
"""

import atexit
import functools
import http.server
import json
import os
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import threading
from pathlib import Path

from browser_settings import REPO

BIN = Path(sys.executable).parent
READY_LINE = re.compile(r"is running at", re.IGNORECASE)

LAB_USER_SETTINGS = {
    "@jupyterlab/notebook-extension/tracker.jupyterlab-settings": {"windowingMode": "none"},
    "@jupyterlab/docmanager-extension/plugin.jupyterlab-settings": {"autosave": False},
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
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def executable(name):
    """``<venv>/bin/<name>`` of the running interpreter, else from PATH."""
    path = BIN / name
    found = str(path) if path.exists() else shutil.which(name)
    if found is None:
        raise FileNotFoundError(f"{name} is neither in {BIN} nor on PATH: install the 'browser' extra")
    return found


def make_config_dir(base):
    """A fresh JUPYTER_CONFIG_DIR holding the test settings."""
    config = Path(base)
    for rel, values in LAB_USER_SETTINGS.items():
        target = config / "lab" / "user-settings" / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(json.dumps(values, indent=2))
    (config / "lab" / "workspaces").mkdir(parents=True, exist_ok=True)
    (config / "jupyter_server_config.py").write_text(SERVER_CONFIG)
    return config


def server_env(config_dir):
    env = dict(os.environ, NTM_QUICK="1", PYTHONUNBUFFERED="1", JUPYTER_CONFIG_DIR=str(config_dir),
               JUPYTERLAB_SETTINGS_DIR=str(Path(config_dir) / "lab" / "user-settings"),
               JUPYTERLAB_WORKSPACES_DIR=str(Path(config_dir) / "lab" / "workspaces"))
    env.pop("MPLBACKEND", None)  # the kernel must pick matplotlib's inline backend
    env.pop("JUPYTER_NO_CONFIG", None)  # our config file must be read
    env.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
    env["PATH"] = str(BIN) + os.pathsep + env.get("PATH", "")
    return env


class Server:
    """One server process, its URL and token; its output is copied to ``log_path``."""

    def __init__(self, name, argv, config_dir, log_path, port, token):
        self.name, self.port, self.token = name, port, token
        self.base_url = f"http://127.0.0.1:{port}"
        self.log_path = Path(log_path)
        self.ready = threading.Event()
        self._log = open(self.log_path, "w", buffering=1)
        self._log.write("$ " + " ".join(argv) + "\n")
        self.proc = subprocess.Popen(argv, cwd=REPO, env=server_env(config_dir), stdout=subprocess.PIPE,
                                     stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL, text=True,
                                     errors="replace", start_new_session=True)
        threading.Thread(target=self._copy_output, name=f"{name} log", daemon=True).start()
        atexit.register(self.stop)  # even if pytest dies before the fixture's teardown

    def _copy_output(self):
        for line in self.proc.stdout:
            self._log.write(line)
            if READY_LINE.search(line):
                self.ready.set()
        self.ready.set()  # the process ended: wake the waiter, which sees it

    def log_tail(self, chars=3000):
        try:
            return self.log_path.read_text(errors="replace")[-chars:]
        except OSError:
            return ""

    def wait_ready(self, timeout):
        if not self.ready.wait(timeout) or self.proc.poll() is not None:
            self.stop()
            raise RuntimeError(f"{self.name} did not start within {timeout:.0f} s (exit status "
                               f"{self.proc.returncode}); log {self.log_path}:\n{self.log_tail()}")
        return self

    def stop(self, grace=20):
        """SIGTERM (the server shuts its kernels down), then SIGKILL what is left."""
        if self.proc.poll() is None:
            try:
                os.killpg(self.proc.pid, signal.SIGTERM)
                self.proc.wait(timeout=grace)
            except (ProcessLookupError, subprocess.TimeoutExpired):
                pass
        try:
            os.killpg(self.proc.pid, signal.SIGKILL)
        except (ProcessLookupError, PermissionError):
            pass
        self.proc.wait()

    def url(self, path=""):
        sep = "&" if "?" in path else "?"
        return f"{self.base_url}/{path.lstrip('/')}{sep}token={self.token}"


def start_lab(config_dir, log_path, timeout):
    port, token = free_port(), secrets.token_hex(24)
    argv = [executable("jupyter"), "lab", "--no-browser", "--allow-root",
            "--ServerApp.ip=127.0.0.1", f"--ServerApp.port={port}", "--ServerApp.port_retries=0",
            f"--IdentityProvider.token={token}", f"--ServerApp.root_dir={REPO}",
            "--LabApp.expose_app_in_browser=True",  # window.jupyterapp: run-all and the notebook model
            "--LabApp.news_url=", "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate"]
    return Server("JupyterLab", argv, config_dir, log_path, port, token).wait_ready(timeout)


def start_voila(notebook, config_dir, log_path, timeout):
    port, token = free_port(), secrets.token_hex(24)
    argv = [executable("voila"), str(Path(notebook).relative_to(REPO)), "--no-browser",
            "--Voila.ip=127.0.0.1", f"--Voila.port={port}", "--Voila.port_retries=0",
            f"--Voila.token={token}", "--show_tracebacks=True"]
    # Voila listens once it is set up; the notebook runs when the page is asked for.
    return Server("Voila", argv, config_dir, log_path, port, token).wait_ready(timeout)


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


class StaticServer:
    """A folder served over HTTP on 127.0.0.1 (the website, the slide decks)."""

    def __init__(self, folder):
        handler = functools.partial(_QuietHandler, directory=str(folder))
        self.httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}/"
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()

    def stop(self):
        self.httpd.shutdown()
        self.httpd.server_close()

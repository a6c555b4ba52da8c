"""Run notebook cells in a kernel of a Jupyter server, as a browser would.

classroom/loadtest.py drives every student's server through this: start a
kernel with the server's REST API (``POST .../api/kernels``), open the kernel's
websocket (``.../api/kernels/<id>/channels``) and send each code cell as an
``execute_request`` of the Jupyter messaging protocol (v5, the server's JSON
websocket format), collecting outputs and errors. Standard library plus
``websocket-client``; every wait is bounded by a deadline.
"""

import json
import time
import urllib.request
import uuid
from pathlib import Path

import websocket  # websocket-client

PROTOCOL_VERSION = "5.3"
OUTPUT_TYPES = ("stream", "display_data", "execute_result", "update_display_data")


def http_json(method, url, token, body=None, timeout=60):
    """One REST call with a token; returns (status, parsed JSON or None)."""
    data = None if body is None else json.dumps(body).encode()
    req = urllib.request.Request(url, data=data, method=method)
    req.add_header("Authorization", f"token {token}")
    if data is not None:
        req.add_header("Content-Type", "application/json")
    try:
        with urllib.request.urlopen(req, timeout=timeout) as resp:
            raw = resp.read()
            return resp.status, (json.loads(raw) if raw else None)
    except urllib.error.HTTPError as err:
        raw = err.read()
        try:
            return err.code, json.loads(raw) if raw else None
        except ValueError:
            return err.code, {"message": raw.decode(errors="replace")[:500]}


def code_cells(notebook_path, select=None):
    """The sources of a notebook's code cells, optionally filtered by ``select(source, tags)``."""
    nb = json.loads(Path(notebook_path).read_text())
    cells = []
    for cell in nb["cells"]:
        if cell["cell_type"] != "code":
            continue
        src = cell["source"]
        src = "".join(src) if isinstance(src, list) else src
        tags = cell.get("metadata", {}).get("tags", [])
        if select is None or select(src, tags):
            cells.append(src)
    return cells


def explorer_cells(source, tags):
    """Notebook 03's explorers and what they need: parameters, imports, explorer calls.

    The explorer cells use only SEED (the parameters cell), QUICK and the
    imported classes, so a student who runs just these sees every explorer.
    """
    return "parameters" in tags or "import " in source or "Explorer(" in source


class Kernel:
    """One kernel of one server, started through the REST API (``base`` ends in ``/user/NAME/``)."""

    def __init__(self, base, token, path, timeout=120):
        self.base, self.token = base.rstrip("/") + "/", token
        t0 = time.monotonic()
        status, model = http_json("POST", self.base + "api/kernels", token,
                                  {"name": "python3", "path": path}, timeout=timeout)
        if status != 201:
            raise RuntimeError(f"starting a kernel at {self.base}: HTTP {status} {model}")
        self.id = model["id"]
        self.session = uuid.uuid4().hex
        ws_url = self.base.replace("http://", "ws://", 1) + f"api/kernels/{self.id}/channels?session_id={self.session}"
        self.ws = websocket.create_connection(ws_url, header=[f"Authorization: token {token}"], timeout=timeout)
        # The kernel is up once it answers a kernel_info_request.
        self._wait_reply(self._send("kernel_info_request", {}), deadline=time.monotonic() + timeout)
        self.start_s = time.monotonic() - t0

    def _send(self, msg_type, content, channel="shell"):
        msg_id = uuid.uuid4().hex
        header = {"msg_id": msg_id, "username": "loadtest", "session": self.session,
                  "date": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
                  "msg_type": msg_type, "version": PROTOCOL_VERSION}
        self.ws.send(json.dumps({"header": header, "parent_header": {}, "metadata": {},
                                 "content": content, "channel": channel, "buffers": []}))
        return msg_id

    def _messages(self, deadline):
        """Text messages until ``deadline`` (binary frames carry widget buffers: skipped)."""
        while True:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise TimeoutError("no reply from the kernel before the deadline")
            self.ws.settimeout(remaining)
            frame = self.ws.recv()
            if isinstance(frame, str):
                yield json.loads(frame)

    def _wait_reply(self, msg_id, deadline):
        for msg in self._messages(deadline):
            if msg.get("channel") == "shell" and msg["parent_header"].get("msg_id") == msg_id:
                return msg

    def execute(self, code, timeout):
        """Run one cell; returns ``{"first_output": monotonic time or None, "error": {...} or None}``."""
        msg_id = self._send("execute_request", {"code": code, "silent": False, "store_history": True,
                                                "user_expressions": {}, "allow_stdin": False,
                                                "stop_on_error": True})
        first_output, error, replied, idle = None, None, False, False
        for msg in self._messages(time.monotonic() + timeout):
            if msg["parent_header"].get("msg_id") != msg_id:
                continue
            kind = msg["header"]["msg_type"]
            if kind in OUTPUT_TYPES and first_output is None:
                first_output = time.monotonic()
            elif kind == "error":
                error = {k: msg["content"].get(k) for k in ("ename", "evalue")}
            elif kind == "execute_reply":
                replied = True
                if msg["content"].get("status") != "ok" and error is None:
                    error = {"ename": msg["content"].get("ename", msg["content"].get("status")),
                             "evalue": msg["content"].get("evalue", "")}
            elif kind == "status" and msg["content"].get("execution_state") == "idle":
                idle = True
            if replied and idle:
                return {"first_output": first_output, "error": error}

    def run_cells(self, cells, cell_timeout):
        """Run cells in order, stopping at the first error (as "Run All" does)."""
        t0 = time.monotonic()
        first_output, failures = None, []
        for index, code in enumerate(cells):
            try:
                result = self.execute(code, cell_timeout)
            except Exception as exc:  # a timeout or a closed websocket ends this notebook
                failures.append({"cell": index, "ename": type(exc).__name__, "evalue": str(exc)[:300]})
                break
            if first_output is None and result["first_output"] is not None:
                first_output = result["first_output"] - t0
            if result["error"] is not None:
                failures.append({"cell": index, **result["error"]})
                break
        return {"first_output_s": first_output, "finish_s": time.monotonic() - t0, "failures": failures,
                "cells": len(cells)}

    def close(self):
        try:
            self.ws.close()
        except Exception:
            pass

"""One notebook in JupyterLab, driven through Playwright: open, run all, read its errors.

JupyterLab runs with ``window.jupyterapp`` exposed, so run-all is JupyterLab's
own command and the errors come from the notebook model (exact, whatever the
page shows). Every wait is Playwright's: ``expect()`` on the toolbar's kernel
indicator and on the input prompts, ``wait_for_function`` on run-all's promise.
"""

import json
import re
import threading
import urllib.request
from pathlib import Path

from playwright.sync_api import expect

from browser_settings import REPO

ANSI = re.compile(r"\x1b\[[0-9;]*[A-Za-z]")
# "ValueError: ...", "tensorflow.errors.NotFoundError: ...", "KeyboardInterrupt"
EXCEPTION_LINE = re.compile(r"^(?:[A-Za-z_][\w.]*\.)?(?:[A-Z]\w*(?:Error|Exception)|KeyboardInterrupt)(?::|$)",
                            re.MULTILINE)
WIDGET_FAILURES = ("Error displaying widget", "Failed to load model class", "Failed to create view")

# The notebook panel of a path, in the page (JupyterLab's own objects).
PANEL_JS = """path => window.jupyterapp && Array.from(window.jupyterapp.shell.widgets('main'))
    .find(w => w.context && w.context.path === path && w.sessionContext)"""

# The document loaded, its session started and its kernel connected and idle.
KERNEL_READY_JS = f"""path => {{
    const panel = ({PANEL_JS})(path);
    const kernel = panel && panel.sessionContext.session && panel.sessionContext.session.kernel;
    return !!(panel && panel.context.isReady && panel.sessionContext.isReady && kernel
              && kernel.status === 'idle' && kernel.connectionStatus === 'connected');
}}"""

RUN_ALL_JS = f"""path => {{
    const panel = ({PANEL_JS})(path);
    window.jupyterapp.shell.activateById(panel.id);
    window.__ntmRun = {{done: false}};
    window.jupyterapp.commands.execute('notebook:run-all-cells').then(
        result => {{ window.__ntmRun = {{done: true, result}}; }},
        error => {{ window.__ntmRun = {{done: true, error: String(error)}}; }});
}}"""

MODEL_ERRORS_JS = f"""path => {{
    const found = [];
    ({PANEL_JS})(path).content.widgets.forEach((cell, index) => {{
        if (cell.model.type !== 'code') return;
        const source = cell.model.sharedModel.getSource();
        for (const o of cell.model.outputs.toJSON()) {{
            if (o.output_type === 'error') {{
                found.push({{index, source, kind: 'error output',
                            text: `${{o.ename}}: ${{o.evalue}}\\n${{(o.traceback || []).join('\\n')}}`}});
            }} else if (o.output_type === 'stream' && o.name === 'stderr') {{
                found.push({{index, source, kind: 'stderr', text: [].concat(o.text).join('')}});
            }}
        }}
    }});
    return found;
}}"""

# Errors and stderr the kernel sends from now on (widget callbacks print there, not into a cell).
WATCH_JS = f"""path => {{
    const kernel = ({PANEL_JS})(path).sessionContext.session.kernel;
    window.__ntmIopub = [];
    kernel.iopubMessage.connect((_, msg) => {{
        const t = msg.header.msg_type, c = msg.content;
        if (t === 'error') window.__ntmIopub.push(
            {{error: true, text: `${{c.ename}}: ${{c.evalue}}\\n` + (c.traceback || []).join('\\n')}});
        else if (t === 'stream' && c.name === 'stderr') window.__ntmIopub.push({{error: false, text: c.text}});
    }});
}}"""


def strip_ansi(text):
    return ANSI.sub("", text or "")


def stderr_error(text):
    """Why a stderr text is an error (a traceback or an exception line), or None (a warning, a log line)."""
    text = strip_ansi(text)
    if "Traceback (most recent call last)" in text:
        return "a traceback on stderr"
    match = EXCEPTION_LINE.search(text)
    return f"an exception line on stderr ({match.group(0).rstrip(':')})" if match else None


def shorten(text, limit=2500):
    text = strip_ansi(text)
    return text if len(text) <= limit else text[: limit // 3] + "\n[...]\n" + text[-2 * limit // 3:]


def dom_errors(scope):
    """Errors shown in output areas under ``scope`` (a Page or Locator; JupyterLab and Voila)."""
    found = []
    stderr = scope.locator('.jp-OutputArea-output[data-mime-type="application/vnd.jupyter.stderr"]')
    for text in stderr.all_inner_texts():
        why = stderr_error(text)
        if why:
            found.append(f"[{why}]\n{shorten(text)}")
    for text in scope.locator(".jp-RenderedText").all_inner_texts():
        if "Traceback (most recent call last)" in text and not any(text[:200] in f for f in found):
            found.append(f"[a traceback in an output]\n{shorten(text)}")
    for text in scope.locator(".jp-OutputArea-output").all_inner_texts():
        if any(marker in text for marker in WIDGET_FAILURES):
            found.append(f"[widget failure]\n{shorten(text, 800)}")
    return found


class ConsoleLog:
    """The page's console errors and uncaught exceptions, for failure messages."""

    def __init__(self, page):
        self.lines = []
        page.on("console", lambda msg: self.lines.append(f"console.error: {msg.text[:400]}")
                if msg.type == "error" else None)
        page.on("pageerror", lambda err: self.lines.append(f"pageerror: {err}"))

    def tail(self, n=15):
        return "\n".join(self.lines[-n:]) or "(none)"


class LabNotebook:
    """A notebook of the repository opened in JupyterLab, in a page of its own."""

    def __init__(self, context, server, path, workspace):
        self.server, self.path = server, Path(path)
        self.rel_path = self.path.relative_to(REPO).as_posix()
        self.name = self.path.stem
        self.page = context.new_page()
        self.console = ConsoleLog(self.page)
        # A workspace of its own, so JupyterLab restores no other tab.
        self.page.goto(server.url(f"lab/workspaces/{workspace}/tree/{self.rel_path}?reset"))
        self.panel = self.page.locator(".jp-NotebookPanel:visible")
        self.kernel_indicator = self.panel.locator(".jp-Notebook-ExecutionIndicator")

    def wait_kernel_idle(self, timeout_s):
        self.page.wait_for_function(KERNEL_READY_JS, arg=self.rel_path, timeout=timeout_s * 1000, polling=250)
        self.page.evaluate("() => window.jupyterapp.shell.collapseLeft()")  # room for the notebook

    def wait_kernel_idle_now(self):
        """Until the kernel is idle (within ``expect()``'s timeout)."""
        expect(self.kernel_indicator).to_have_attribute("data-status", "idle")

    def run_all(self, timeout_s):
        """Run every cell with JupyterLab's command; wait until it has finished,
        no prompt shows [*] and the kernel is idle."""
        self.page.evaluate(RUN_ALL_JS, self.rel_path)
        self.page.wait_for_function("() => window.__ntmRun.done", timeout=timeout_s * 1000, polling=500)
        expect(self.panel.locator(".jp-InputPrompt", has_text="*")).to_have_count(0)
        expect(self.kernel_indicator).to_have_attribute("data-status", "idle")
        return self.page.evaluate("() => window.__ntmRun")

    def errors(self):
        """Every error of the notebook as a readable text (empty: none); warnings are not errors."""
        found = []
        for item in self.page.evaluate(MODEL_ERRORS_JS, self.rel_path):
            kind = stderr_error(item["text"]) if item["kind"] == "stderr" else item["kind"]
            if kind:
                found.append(f"cell {item['index']} ({kind}):\n--- source ---\n{shorten(item['source'], 1200)}\n"
                             f"--- output ---\n{shorten(item['text'])}")
        for text in dom_errors(self.panel):
            if not any(text.split("\n", 1)[-1][:200] in f for f in found):
                found.append(text)
        return found

    def watch_kernel(self):
        self.page.evaluate(WATCH_JS, self.rel_path)

    def kernel_errors(self):
        texts = self.page.evaluate("() => window.__ntmIopub || []")
        return [shorten(m["text"]) for m in texts if m["error"] or stderr_error(m["text"])]

    def screenshot_whole(self, folder, max_height=15000):
        """The whole notebook in ``<notebook>.png``: every cell is in the page
        (windowing off), so the viewport grows to the notebook's height for the
        shot, once JupyterLab's layout has followed. A notebook taller than
        ``max_height`` comes in parts, ``<notebook>-2.png``, ... Returns their names."""
        outer = self.panel.locator(".jp-WindowedPanel-outer")
        size = self.page.viewport_size
        total, visible = outer.evaluate("el => [el.scrollHeight, el.clientHeight]")
        chrome = size["height"] - visible  # menus, toolbars and status bar around the cells
        height = min(total + chrome, max_height)
        shots = []
        try:
            self.page.set_viewport_size({"width": size["width"], "height": height})
            # Lumino lays the panel out again after a resize: wait until the cells' scroller has grown.
            self.page.wait_for_function("([el, h]) => el.clientHeight >= Math.min(h, el.scrollHeight) - 2",
                                        arg=[outer.element_handle(), height - chrome])
            step = outer.evaluate("el => el.clientHeight")
            for part, top in enumerate(range(0, total, step), start=1):
                outer.evaluate("(el, top) => { el.scrollTop = top; }", top)
                name = f"{self.name}.png" if part == 1 else f"{self.name}-{part}.png"
                self.page.screenshot(path=str(Path(folder) / name), animations="disabled")
                shots.append(name)
        finally:
            self.page.set_viewport_size(size)
        return shots

    def close(self):
        """Close the page without saving and shut the kernel down (in the background,
        so the next notebook need not wait)."""
        self.page.close(run_before_unload=False)
        self.server.shutdowns.append(threading.Thread(target=delete_sessions, args=(self.server, self.rel_path)))
        self.server.shutdowns[-1].start()


def _api(server, method, path):
    req = urllib.request.Request(f"{server.base_url}/api/{path}", method=method,
                                 headers={"Authorization": f"token {server.token}"})
    with urllib.request.urlopen(req, timeout=60) as resp:
        body = resp.read()
    return json.loads(body) if body else None


def delete_sessions(server, rel_path=None):
    """Delete the sessions (so their kernels shut down) of one notebook, or all."""
    for session in _api(server, "GET", "sessions"):
        if rel_path is None or session.get("path") == rel_path:
            _api(server, "DELETE", f"sessions/{session['id']}")

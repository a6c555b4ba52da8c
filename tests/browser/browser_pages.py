"""Drive JupyterLab notebooks and ipywidgets explorers with Playwright (sync API).

:class:`LabNotebook` opens one notebook in JupyterLab, waits for its kernel,
runs all cells through ``window.jupyterapp`` (JupyterLab started with
``--LabApp.expose_app_in_browser=True``), waits until every cell has finished,
collects errors (from the notebook model and from the page) and shuts the
kernel down again.

The explorer functions work on any page that renders ipywidgets in output
areas (JupyterLab and Voila): an explorer is an output holding an
``ipywidgets.Image`` (``img.widget-image``) under its controls; a control is
moved as a person would (keyboard on the slider handle, a choice in the
``<select>``, typing, clicking) and the figure must change: a new PNG arrives
(the ``src`` changes) and the pixels on screen differ.
"""

import re
import time
from dataclasses import dataclass
from pathlib import Path

from browser_config import WIDGET_TIMEOUT

ANSI = re.compile(r"\x1b\[[0-9;]*[A-Za-z]")
# "ValueError: ...", "tensorflow.errors.NotFoundError: ...", "KeyboardInterrupt" ...
EXCEPTION_LINE = re.compile(r"^(?:[A-Za-z_][\w.]*\.)?(?:[A-Z]\w*(?:Error|Exception)|KeyboardInterrupt)(?::|$)",
                            re.MULTILINE)
WIDGET_FAILURES = ("Error displaying widget", "Failed to load model class", "Failed to create view")

EXPLORER_OUTPUT = ".jp-OutputArea-output"  # one cell output (JupyterLab and Voila)
EXPLORER_IMAGE = "img.widget-image"  # an ipywidgets.Image


def strip_ansi(text):
    return ANSI.sub("", text or "")


def stderr_error(text):
    """The reason a stderr text is an error (not a warning), or None.

    Python warnings ("...: UserWarning: ...") and log lines are not errors; a
    traceback or a line that starts with an exception name is.
    """
    text = strip_ansi(text)
    if "Traceback (most recent call last)" in text:
        return "a traceback on stderr"
    match = EXCEPTION_LINE.search(text)
    if match:
        return f"an exception line on stderr ({match.group(0).rstrip(':')})"
    return None


def shorten(text, limit=2500):
    text = strip_ansi(text)
    return text if len(text) <= limit else text[: limit // 3] + "\n[...]\n" + text[-2 * limit // 3:]


# --------------------------------------------------------------------------
# JavaScript helpers, installed in every page before JupyterLab loads
# --------------------------------------------------------------------------

INIT_SCRIPT = r"""
window.__ntmTest = {
  panel(path) {
    const app = window.jupyterapp;
    if (!app) return null;
    for (const w of app.shell.widgets('main')) {
      if (w.context && w.context.path === path && w.sessionContext) return w;
    }
    return null;
  },
  state(path) {
    const p = this.panel(path);
    const dialogs = Array.from(document.querySelectorAll('.jp-Dialog')).map(d => d.innerText.slice(0, 500));
    if (!p) return {found: false, app: !!window.jupyterapp, dialogs};
    const sc = p.sessionContext;
    const k = sc.session ? sc.session.kernel : null;
    const prompts = Array.from(p.node.querySelectorAll('.jp-InputPrompt')).map(e => e.textContent || '');
    const first = prompts.findIndex(t => t.includes('*'));
    let runningCell = null;
    if (first >= 0) {
      // the cell whose prompt that is (the prompts are in cell order)
      const cell = p.content.widgets.filter(c => c.node.querySelector('.jp-InputPrompt'))[first];
      if (cell) runningCell = {index: p.content.widgets.indexOf(cell),
                               source: cell.model.sharedModel.getSource().slice(0, 300)};
    }
    return {
      found: true, app: true, dialogs,
      ready: !!(p.context.isReady && sc.isReady),
      kernel: k ? k.status : null,
      connection: k ? k.connectionStatus : null,
      display: sc.kernelDisplayStatus,
      cells: p.content.widgets.length,
      running: prompts.filter(t => t.includes('*')).length,
      runningCell,
      run: window.__ntmRun || null,
    };
  },
  runAll(path) {
    const p = this.panel(path);
    window.jupyterapp.shell.activateById(p.id);
    window.__ntmRun = {done: false, started: Date.now()};
    window.jupyterapp.commands.execute('notebook:run-all-cells').then(
      r => { window.__ntmRun = {done: true, result: r, ms: Date.now() - window.__ntmRun.started}; },
      e => { window.__ntmRun = {done: true, error: String(e), ms: Date.now() - window.__ntmRun.started}; });
  },
  errors(path) {
    // error outputs in the notebook model: exact, whatever the DOM shows
    const p = this.panel(path);
    const found = [];
    p.content.widgets.forEach((cell, index) => {
      if (cell.model.type !== 'code') return;
      const source = cell.model.sharedModel.getSource();
      for (const o of cell.model.outputs.toJSON()) {
        if (o.output_type === 'error') {
          found.push({index, source, kind: 'error output',
                      text: `${o.ename}: ${o.evalue}\n${(o.traceback || []).join('\n')}`});
        } else if (o.output_type === 'stream' && o.name === 'stderr') {
          const text = Array.isArray(o.text) ? o.text.join('') : String(o.text || '');
          found.push({index, source, kind: 'stderr', text});
        }
      }
    });
    return found;
  },
  watch(path) {
    // every error / stderr message of the kernel from now on (widget callbacks
    // print there, not into a cell)
    const p = this.panel(path);
    const kernel = p.sessionContext.session.kernel;
    window.__ntmIopub = [];
    if (window.__ntmWatch) window.__ntmWatch.disconnect();
    const slot = (_, msg) => {
      const t = msg.header.msg_type;
      if (t === 'error') {
        window.__ntmIopub.push({kind: 'error', text: `${msg.content.ename}: ${msg.content.evalue}\n` +
                                (msg.content.traceback || []).join('\n')});
      } else if (t === 'stream' && msg.content.name === 'stderr') {
        window.__ntmIopub.push({kind: 'stderr', text: msg.content.text});
      }
    };
    kernel.iopubMessage.connect(slot);
    window.__ntmWatch = {disconnect: () => kernel.iopubMessage.disconnect(slot)};
  },
  watched() { return window.__ntmIopub || []; },
};
"""


# --------------------------------------------------------------------------
# page-level error collection (JupyterLab and Voila)
# --------------------------------------------------------------------------

def dom_errors(scope):
    """Errors shown in output areas under ``scope`` (a Page or Locator), as texts.

    Stderr outputs count only when they hold a traceback or an exception line
    (warnings do not); any rendered text with a traceback header counts; so do
    ipywidgets' "Error displaying widget" messages.
    """
    found = []
    stderr = scope.locator('.jp-OutputArea-output[data-mime-type="application/vnd.jupyter.stderr"]')
    for text in stderr.all_inner_texts():
        why = stderr_error(text)
        if why:
            found.append(f"[{why}]\n{shorten(text)}")
    for text in scope.locator(".jp-RenderedText").all_inner_texts():
        if "Traceback (most recent call last)" in text and not any(text in f for f in found):
            found.append(f"[a traceback in an output]\n{shorten(text)}")
    for text in scope.locator(".jp-OutputArea-output").all_inner_texts():
        for marker in WIDGET_FAILURES:
            if marker in text:
                found.append(f"[widget failure]\n{shorten(text, 800)}")
    return found


class ConsoleLog:
    """The page's console errors and uncaught exceptions, for failure messages."""

    def __init__(self, page):
        self.lines = []
        page.on("console", self._console)
        page.on("pageerror", lambda err: self.lines.append(f"pageerror: {err}"))

    def _console(self, msg):
        if msg.type == "error":
            self.lines.append(f"console.error: {msg.text[:400]}")

    def tail(self, n=15):
        return "\n".join(self.lines[-n:]) or "(none)"


def screenshot_whole(page, path, scroller=None, max_height=16000):
    """A screenshot of everything, also what a scrolled panel hides: the viewport
    grows to the height of ``scroller`` (a CSS selector; default: the element
    that scrolls the most) for the shot, up to ``max_height`` pixels."""
    size = page.viewport_size
    height = page.evaluate(
        """selector => {
            let outer = selector ? document.querySelector(selector) : null;
            if (!outer) {
                let best = 0;
                for (const el of document.querySelectorAll('*')) {
                    const hidden = el.scrollHeight - el.clientHeight;
                    const style = getComputedStyle(el).overflowY;
                    if (hidden > best && (style === 'auto' || style === 'scroll')) { best = hidden; outer = el; }
                }
            }
            const doc = document.scrollingElement;
            const inner = outer ? outer.scrollHeight + (window.innerHeight - outer.clientHeight) : 0;
            return Math.max(inner, doc ? doc.scrollHeight : 0);
        }""", scroller)
    try:
        if height and height > size["height"]:
            page.set_viewport_size({"width": size["width"], "height": min(int(height) + 40, max_height)})
            page.wait_for_timeout(800)
        page.screenshot(path=str(path))
    finally:
        page.set_viewport_size(size)


# --------------------------------------------------------------------------
# one notebook in JupyterLab
# --------------------------------------------------------------------------

@dataclass
class RunResult:
    seconds: float
    result: object = None
    error: str = None


class LabNotebook:
    """A notebook opened in JupyterLab in its own page."""

    def __init__(self, context, server, rel_path, workspace):
        self.server, self.rel_path = server, rel_path
        self.name = Path(rel_path).stem
        self.page = context.new_page()
        self.console = ConsoleLog(self.page)
        self.page.goto(server.notebook_url(rel_path, workspace), wait_until="domcontentloaded", timeout=120_000)

    # -- state ---------------------------------------------------------------
    def state(self):
        return self.page.evaluate("p => window.__ntmTest ? window.__ntmTest.state(p) : {found: false}",
                                  self.rel_path)

    def describe(self, state=None):
        state = state if state is not None else self.state()
        text = (f"kernel={state.get('kernel')} display={state.get('display')} "
                f"cells waiting or running={state.get('running')} dialogs={state.get('dialogs')}")
        cell = state.get("runningCell")
        if cell:
            text += f"\nfirst cell not finished: cell {cell['index']}:\n{shorten(cell['source'], 300)}"
        return text

    def wait_kernel_idle(self, timeout):
        """Until the document is loaded and its kernel is idle (or fail)."""
        deadline = time.monotonic() + timeout
        state = {}
        while time.monotonic() < deadline:
            state = self.state()
            if state.get("found") and state.get("ready") and state.get("kernel") == "idle":
                # more room for the notebook (and its screenshots): no file browser
                self.page.evaluate("() => { window.jupyterapp.shell.collapseLeft(); }")
                return state
            if state.get("kernel") == "dead":
                raise AssertionError(f"{self.name}: the kernel died while starting; {self.describe(state)}")
            self.page.wait_for_timeout(500)
        raise AssertionError(f"{self.name}: no idle kernel within {timeout:.0f} s; {self.describe(state)}\n"
                             f"browser console:\n{self.console.tail()}")

    def run_all(self, timeout):
        """Run all cells; wait until run-all has finished, the kernel is idle and no
        cell shows [*] (twice in a row). Returns a RunResult."""
        start = time.monotonic()
        self.page.evaluate("p => window.__ntmTest.runAll(p)", self.rel_path)
        deadline = start + timeout
        settled = 0
        state = {}
        while time.monotonic() < deadline:
            self.page.wait_for_timeout(1000)
            state = self.state()
            if state.get("kernel") == "dead":
                raise AssertionError(f"{self.name}: the kernel died during run-all "
                                     f"(out of memory?); {self.describe(state)}")
            run = state.get("run") or {}
            if run.get("done") and state.get("kernel") == "idle" and state.get("running") == 0:
                settled += 1
                if settled >= 2:
                    return RunResult(time.monotonic() - start, run.get("result"), run.get("error"))
            else:
                settled = 0
        raise AssertionError(f"{self.name}: run-all did not finish within {timeout:.0f} s; "
                             f"{self.describe(state)}\n" + "\n\n".join(self.errors()))

    def errors(self):
        """Every error of the notebook as a readable text (empty: none)."""
        found = []
        for item in self.page.evaluate("p => window.__ntmTest.errors(p)", self.rel_path):
            if item["kind"] == "stderr":
                why = stderr_error(item["text"])
                if not why:
                    continue  # a warning
                kind = why
            else:
                kind = item["kind"]
            found.append(f"cell {item['index']} ({kind}):\n--- source ---\n{shorten(item['source'], 1200)}\n"
                         f"--- output ---\n{shorten(item['text'])}")
        for text in dom_errors(self.panel()):
            if not any(text.split("\n", 1)[-1][:200] in f for f in found):
                found.append(text)
        return found

    def panel(self):
        return self.page.locator(".jp-NotebookPanel:visible")

    # -- kernel messages during interaction --------------------------------------
    def watch_kernel(self):
        self.page.evaluate("p => window.__ntmTest.watch(p)", self.rel_path)

    def kernel_errors(self):
        found = []
        for item in self.page.evaluate("() => window.__ntmTest.watched()"):
            if item["kind"] == "error":
                found.append(shorten(item["text"]))
            elif stderr_error(item["text"]):
                found.append(shorten(item["text"]))
        return found

    # -- screenshots ---------------------------------------------------------
    def screenshot_whole(self, path):
        screenshot_whole(self.page, path, ".jp-NotebookPanel:not(.lm-mod-hidden) .jp-WindowedPanel-outer")

    def kernel_busy(self):
        return self.state().get("kernel") != "idle"

    def close(self):
        """Close the page without saving anything and shut the notebook's kernel
        down (REST, ``DELETE /api/sessions/<id>``, finishing in the background)."""
        try:
            self.page.close(run_before_unload=False)
        finally:
            self.server.shutdown_session_of(self.rel_path)


# --------------------------------------------------------------------------
# explorers: an output with controls above an ipywidgets.Image
# --------------------------------------------------------------------------

def explorer_outputs(scope):
    """The outputs under ``scope`` (a Page or Locator) that hold an explorer."""
    return scope.locator(f"{EXPLORER_OUTPUT}:has({EXPLORER_IMAGE})")


@dataclass
class Frame:
    """What the explorer's image holds (``content``: SHA-1 of the PNG the kernel
    sent) and shows (``png``: a screenshot of the element) at one moment."""
    src: str
    content: str
    png: bytes


CONTENT_DIGEST = """async el => {
    const data = await (await fetch(el.src)).arrayBuffer();
    const digest = await crypto.subtle.digest('SHA-1', data);
    return Array.from(new Uint8Array(digest)).map(b => b.toString(16).padStart(2, '0')).join('');
}"""


def image_of(explorer):
    return explorer.locator(EXPLORER_IMAGE).first


def wait_image_loaded(img, timeout=60_000):
    img.evaluate(
        """(el, timeout) => new Promise((resolve, reject) => {
            const t0 = Date.now();
            (function poll() {
                if (el.src && el.complete && el.naturalWidth > 0) {
                    // decoded, so the screenshot shows it (not a blank box)
                    return el.decode().then(() => resolve(true), () => setTimeout(poll, 100));
                }
                if (Date.now() - t0 > timeout) return reject(new Error('image did not load: ' + el.src));
                setTimeout(poll, 100);
            })();
        })""", timeout)


def frame(img):
    """The image's current src, PNG digest and a screenshot of it (scrolled into view)."""
    for attempt in range(5):
        wait_image_loaded(img)
        src = img.get_attribute("src") or ""
        try:
            content = img.evaluate(CONTENT_DIGEST)
        except Exception:  # the blob was replaced (and revoked) meanwhile: read the new one
            img.page.wait_for_timeout(300)
            continue
        img.scroll_into_view_if_needed()
        png = img.screenshot(animations="disabled")
        if (img.get_attribute("src") or "") == src:
            return Frame(src, content, png)
    raise AssertionError("the figure kept changing while it was read")


def wait_new_frame(img, before, timeout_s):
    """Wait until the image shows a new PNG (src changed, loaded); return the new Frame.

    Raises AssertionError when no new image arrives within ``timeout_s``.
    """
    try:
        img.page.wait_for_function(
            "([el, old]) => el.src && el.src !== old && el.complete && el.naturalWidth > 0",
            arg=[img.element_handle(), before.src], timeout=timeout_s * 1000, polling=100)
    except Exception as err:  # playwright TimeoutError: say what did not happen
        raise AssertionError(f"no new image within {timeout_s:.0f} s ({type(err).__name__})") from None
    # the PNG of one message is rendered: let layout settle before the screenshot
    img.page.wait_for_timeout(150)
    return frame(img)


def control_label(control):
    label = control.locator(".widget-label").first
    text = label.inner_text().strip() if label.count() else ""
    return text or control.evaluate("e => e.className")


def readout(slider):
    return slider.locator(".widget-readout").first.inner_text().strip()


def _aria(handle):
    values = handle.evaluate(
        "h => [h.getAttribute('aria-valuenow'), h.getAttribute('aria-valuemin'), h.getAttribute('aria-valuemax')]")
    return [float(v) for v in values]


def move_slider(slider, fraction=0.2, max_presses=8, timeout_s=20):
    """Move a slider with the keyboard, as a person would: focus its handle and
    press an arrow key until it has moved ``fraction`` of its range, hit its end
    or been pressed ``max_presses`` times. ArrowRight, or ArrowLeft when the handle sits in the upper part of the
    range. Falls back to dragging the handle with the mouse. Returns the
    (before, after) readouts; fails when the readout does not change."""
    page = slider.page
    handle = slider.locator(".noUi-handle").first
    before = readout(slider)
    handle.scroll_into_view_if_needed()
    handle.focus()
    start, low, high = _aria(handle)
    span = max(high - low, 1e-9)
    go_left = (start - low) / span > 0.6
    key = "ArrowLeft" if go_left else "ArrowRight"
    value = start
    for _ in range(max_presses):
        handle.press(key)
        now = _aria(handle)[0]
        if now == value:  # at the end of the range
            break
        value = now
        if abs(value - start) >= fraction * span:
            break
    deadline = time.monotonic() + timeout_s
    after = readout(slider)
    while after == before and value != start and time.monotonic() < deadline:
        page.wait_for_timeout(200)
        after = readout(slider)
    if after == before:
        # the keyboard did nothing: drag the handle along the track instead
        track = slider.locator(".noUi-base").first.bounding_box()
        box = handle.bounding_box()
        x, y = box["x"] + box["width"] / 2, box["y"] + box["height"] / 2
        dx = -track["width"] * fraction if go_left else track["width"] * fraction
        page.mouse.move(x, y)
        page.mouse.down()
        page.mouse.move(x + dx, y, steps=8)
        page.mouse.up()
        page.wait_for_timeout(300)
        key = "a mouse drag"
        after = readout(slider)
    assert after != before, f"slider readout stayed {before!r} after {key}"
    return before, after


def choose_next_option(select):
    """Pick the option after the current one in a ``<select>``; returns (before, after)."""
    before = select.evaluate("s => s.options[s.selectedIndex] ? s.options[s.selectedIndex].text : ''")
    count = select.evaluate("s => s.options.length")
    index = select.evaluate("s => s.selectedIndex")
    assert count > 1, f"dropdown has {count} option(s): nothing to change"
    select.scroll_into_view_if_needed()
    select.select_option(index=(index + 1) % count)
    after = select.evaluate("s => s.options[s.selectedIndex].text")
    return before, after


GREEK = {"α": "alpha", "β": "beta", "γ": "gamma", "δ": "delta", "σ": "sigma", "τ": "tau", "μ": "mu"}


def slug(text):
    """An ASCII file-name part for a control's label ("β (key strength)" -> "beta-key-strength")."""
    for letter, name in GREEK.items():
        text = text.replace(letter, f" {name} ")
    return re.sub(r"[^A-Za-z0-9]+", "-", text).strip("-").lower()[:40] or "control"


# --------------------------------------------------------------------------
# driving one explorer
# --------------------------------------------------------------------------

def settle(img, busy=None, quiet_s=0.5, timeout_s=None):
    """Wait until the figure is final: no new image for ``quiet_s`` and, when
    ``busy`` is given, ``busy()`` false (the kernel idle). A slider moved by
    several key presses sends several values, and a new sequence takes the
    AttentionInspector a while, so the first new image is not always the last."""
    timeout_s = timeout_s or WIDGET_TIMEOUT
    deadline = time.monotonic() + timeout_s
    src, since = img.get_attribute("src"), time.monotonic()
    while time.monotonic() < deadline:
        img.page.wait_for_timeout(200)
        now = img.get_attribute("src")
        if now != src or (busy is not None and busy()):
            src, since = now, time.monotonic()
        elif time.monotonic() - since >= quiet_s:
            return
    raise AssertionError(f"the figure (or the kernel) did not settle within {timeout_s:.0f} s")


def explorer_message(explorer):
    html = explorer.locator(".widget-html")
    return " ".join(t.strip() for t in html.all_inner_texts()) if html.count() else ""


def change_control(explorer, control, label):
    """Change one control as a person would; returns 'before -> after' (for the report)."""
    cls = control.get_attribute("class") or ""
    if "widget-slider" in cls:
        before, after = move_slider(control)
    elif "widget-dropdown" in cls:
        before, after = choose_next_option(control.locator("select"))
    elif "widget-text" in cls:
        box = control.locator("input, textarea").first
        before = box.input_value()
        if box.get_attribute("type") == "number":
            after = str(int(float(before or 0)) + 1)
            box.fill("")
            box.press_sequentially(after, delay=30)
            box.press("Enter")
        else:
            after = type_pattern_and_run(explorer, box, bits=8)
    else:
        raise AssertionError(f"do not know how to use control {label!r} ({cls})")
    return f"{before!r} -> {after!r}"


PATTERN_ROWS = ["10110010", "01100110", "11110000", "00001111", "10101010", "01010101"]


def type_pattern_and_run(explorer, box, bits):
    """Type a copy pattern (rows of ``bits`` bits), press the explorer's button;
    when the message says the model wants another width, type that width."""
    pattern = " ".join(row[:bits].ljust(bits, "0") for row in PATTERN_ROWS)
    box.click()
    box.fill("")
    box.press_sequentially(pattern, delay=10)
    box.press("Tab")
    explorer.locator("button").first.click()
    explorer.page.wait_for_timeout(500)
    message = explorer_message(explorer)
    width = re.search(r"needs (\d+) bits", message)
    if "Cannot use" in message and width and int(width.group(1)) != bits:
        return type_pattern_and_run(explorer, box, int(width.group(1)))
    assert "Cannot use" not in message, f"the explorer refused the pattern {pattern!r}: {message}"
    return pattern


def drive_explorer(explorer, name, screenshots_dir, only=None, busy=None):
    """Change every control of an explorer (or those whose label contains one of
    ``only``); after each change the figure must show a new, different image.
    ``busy()``, if given, tells whether the kernel is still working.
    Saves ``<name>--before.png``, ``<name>--after.png`` and the figure after each
    control. Returns one 'label: before -> after (figure changed)' per control."""
    img = image_of(explorer)
    wait_image_loaded(img, timeout=WIDGET_TIMEOUT * 1000)
    explorer.scroll_into_view_if_needed()
    settle(img, busy)
    explorer.screenshot(path=str(screenshots_dir / f"{name}--before.png"))
    controls = explorer.locator(".widget-slider, .widget-dropdown, .widget-text")
    count = controls.count()
    assert count > 0, f"{name}: no controls found in the explorer"
    changes = []
    current = frame(img)
    for j in range(count):
        control = controls.nth(j)
        label = control_label(control)
        if only and not any(key in label for key in only):
            continue
        t0 = time.monotonic()
        what = change_control(explorer, control, label)
        try:
            wait_new_frame(img, current, WIDGET_TIMEOUT)
            settle(img, busy)
            new = frame(img)
        except AssertionError as err:
            raise AssertionError(f"{name}: after {label}: {what}, {err}; message: "
                                 f"{explorer_message(explorer)!r}") from None
        assert new.content != current.content, f"{name}: after {label}: {what}, the kernel sent the same figure"
        assert new.png != current.png, (f"{name}: after {label}: {what}, the kernel sent a new figure but "
                                        f"the page shows the same pixels")
        (screenshots_dir / f"{name}--{j:02d}-{slug(label)}.png").write_bytes(new.png)
        changes.append(f"{label}: {what} (figure changed, {time.monotonic() - t0:.1f} s)")
        current = new
    explorer.screenshot(path=str(screenshots_dir / f"{name}--after.png"))
    assert changes, f"{name}: no control matched {only}"
    return changes

"""Use an explorer as a person would and check that its figure follows.

An explorer is a cell output holding an ``ipywidgets.Image`` (its figure)
under its controls (JupyterLab and Voila alike). Each control is changed once
(one key press on a slider handle, the next option of a dropdown, a number or
a typed pattern and the button); after each change a new PNG must arrive (the
image's ``src`` changes: ``expect()`` waits for it) whose bytes and on-screen
pixels differ from the last.
"""

import re

from playwright.sync_api import expect

EXPLORER_IMAGE = "img.widget-image"
PATTERN_ROWS = ["10110010", "01100110", "11110000", "00001111", "10101010", "01010101"]
GREEK = {"α": "alpha", "β": "beta", "γ": "gamma", "δ": "delta", "σ": "sigma", "τ": "tau", "μ": "mu"}

# SHA-1 of the PNG the kernel sent (a blob: URL the page holds).
IMAGE_DIGEST_JS = """async el => {
    const digest = await crypto.subtle.digest('SHA-1', await (await fetch(el.src)).arrayBuffer());
    return Array.from(new Uint8Array(digest)).map(b => b.toString(16).padStart(2, '0')).join('');
}"""


def explorer_outputs(scope):
    """The outputs under ``scope`` (a Page or Locator) that hold an explorer."""
    return scope.locator(f".jp-OutputArea-output:has({EXPLORER_IMAGE})")


def slug(text):
    """An ASCII file-name part for a control's label ("β (key strength)" -> "beta-key-strength")."""
    for letter, name in GREEK.items():
        text = text.replace(letter, f" {name} ")
    return re.sub(r"[^A-Za-z0-9]+", "-", text).strip("-").lower()[:40] or "control"


def wait_loaded(img):
    """Until the image has a decoded picture (so a screenshot shows it, not a blank box)."""
    expect(img).to_have_js_property("complete", True)
    expect(img).not_to_have_js_property("naturalWidth", 0)


def figure(img):
    """(src, SHA-1 of the PNG the kernel sent, screenshot of the element)."""
    wait_loaded(img)
    src = img.get_attribute("src")
    return src, img.evaluate(IMAGE_DIGEST_JS), img.screenshot(animations="disabled")


def message(explorer):
    return " ".join(t.strip() for t in explorer.locator(".widget-html").all_inner_texts())


def move_slider(slider):
    """One key on the slider's handle (down when it sits in the upper part of its
    range); returns the readouts (before, after)."""
    handle = slider.locator(".noUi-handle").first
    readout = slider.locator(".widget-readout").first
    before = readout.inner_text().strip()
    now, low, high = (float(handle.get_attribute(a)) for a in ("aria-valuenow", "aria-valuemin", "aria-valuemax"))
    # One key, one new value (one figure): PageUp/PageDown move the handle five steps,
    # enough to show (a single step of a fine slider may change nothing visible).
    handle.press("PageDown" if now - low > 0.6 * (high - low) else "PageUp")
    expect(readout).not_to_have_text(before)
    return before, readout.inner_text().strip()


def next_option(select):
    """Choose the option after the current one; returns (before, after)."""
    options = select.locator("option").all_inner_texts()
    assert len(options) > 1, f"dropdown has {len(options)} option(s): nothing to change"
    index = select.evaluate("s => s.selectedIndex")
    select.select_option(index=(index + 1) % len(options))
    return options[index], options[(index + 1) % len(options)]


def type_pattern_and_run(explorer, box, bits=8):
    """Type a copy pattern (rows of ``bits`` bits) and press the explorer's button;
    when the explorer answers that the model needs another width, type that width."""
    pattern = " ".join(row[:bits].ljust(bits, "0") for row in PATTERN_ROWS)
    box.fill(pattern)
    box.press("Tab")
    explorer.locator("button").first.click()
    answer = explorer.locator(".widget-html")
    expect(answer).to_contain_text(re.compile(r"typed pattern|Cannot use"))
    width = re.search(r"needs (\d+) bits", message(explorer))
    if "Cannot use" in message(explorer) and width and int(width.group(1)) != bits:
        return type_pattern_and_run(explorer, box, int(width.group(1)))
    assert "Cannot use" not in message(explorer), f"the explorer refused {pattern!r}: {message(explorer)}"
    return pattern


def change(explorer, control):
    """Change one control; returns 'before -> after' for the report."""
    cls = control.get_attribute("class") or ""
    if "widget-slider" in cls:
        before, after = move_slider(control)
    elif "widget-dropdown" in cls:
        before, after = next_option(control.locator("select"))
    elif "widget-text" in cls:
        box = control.locator("input, textarea").first
        before = box.input_value()
        if box.get_attribute("type") == "number":
            after = str(int(float(before or 0)) + 1)
            box.fill(after)
            box.press("Enter")
        else:
            after = type_pattern_and_run(explorer, box)
    else:
        raise AssertionError(f"do not know how to use the control {cls!r}")
    return f"{before!r} -> {after!r}"


def drive(explorer, name, folder, only=None, idle=None):
    """Change every control of an explorer (or those whose label contains one of
    ``only``); after each, a new and different figure must arrive. ``idle()``, if
    given, waits until the kernel is idle (so the last of its figures is in).
    Saves ``<name>--before.png``, ``<name>--NN-<control>.png`` per control and
    ``<name>--after.png``; returns one line per control for the report."""
    img = explorer.locator(EXPLORER_IMAGE).first
    explorer.scroll_into_view_if_needed()
    if idle:
        idle()
    current = figure(img)
    explorer.screenshot(path=str(folder / f"{name}--before.png"))
    controls = explorer.locator(".widget-slider, .widget-dropdown, .widget-text")
    assert controls.count() > 0, f"{name}: no controls in the explorer"
    lines = []
    for j, control in enumerate(controls.all()):
        label = " ".join(control.locator(".widget-label").all_inner_texts()).strip() or f"control {j}"
        if only and not any(key in label for key in only):
            continue
        what = change(explorer, control)
        expect(img, f"{name}: after {label}: {what}, no new figure arrived").not_to_have_attribute(
            "src", current[0])
        if idle:
            idle()
        new = figure(img)
        assert new[1] != current[1], f"{name}: after {label}: {what}, the kernel sent the same figure"
        assert new[2] != current[2], f"{name}: after {label}: {what}, a new figure but the same pixels on screen"
        (folder / f"{name}--{j:02d}-{slug(label)}.png").write_bytes(new[2])
        lines.append(f"{label}: {what}")
        current = new
    explorer.screenshot(path=str(folder / f"{name}--after.png"))
    assert lines, f"{name}: no control matched {only}"
    return lines

"""Build the course website: the notebooks executed in quick mode, TEACHING.md,
the experiment records and the API reference, as one static Sphinx site.

    python tools/build_site.py            # writes build/site/index.html
    python tools/build_site.py --execute  # re-execute every notebook first

The notebooks come executed from ``build/executed/`` (the notebooks test stage
writes them there, so CI executes each notebook once); one that is missing or
older than its source is executed here, in quick mode. Pages are assembled in
``build/site-src`` (README.md is the home page) and built with myst-nb and the
book theme (``site/conf.py``). MathJax comes from the npm registry at build
time and is served from the site, so a page fetches nothing from a CDN.
Widgets are shown as the static figure of their explorer, with a note on how
to run them live.
"""

import argparse
import base64
import html
import json
import os
import pkgutil
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
BUILD = REPO / "build"
SRC = BUILD / "site-src"
OUT = BUILD / "site"
EXECUTED = Path(os.environ.get("NTM_EXECUTED_DIR", BUILD / "executed"))
DEPS = BUILD / "site-deps"
MATHJAX = "mathjax@3.2.2"
WIDGET_MIME = "application/vnd.jupyter.widget-view+json"
WIDGET_NOTE = (
    "<p class='widget-note'><em>An interactive explorer: this page shows its starting figure. "
    "Open the notebook in Jupyter to move its controls.</em></p>"
)


def lessons():
    return sorted((REPO / "notebooks").glob("[0-9][0-9]_*.ipynb"))


def execute(source, target):
    """Run one notebook in quick mode from notebooks/ and save it with its outputs."""
    import nbformat
    from nbclient import NotebookClient

    nb = nbformat.read(source, as_version=4)
    env = dict(os.environ, NTM_QUICK="1", MPLBACKEND="module://matplotlib_inline.backend_inline")
    env.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
    NotebookClient(nb, timeout=600, kernel_name="python3", resources={"metadata": {"path": str(source.parent)}}).execute(env=env)
    target.parent.mkdir(parents=True, exist_ok=True)
    nbformat.write(nb, target)


def executed_notebook(source, force=False):
    target = EXECUTED / source.name
    if force or not target.exists() or target.stat().st_mtime < source.stat().st_mtime:
        t0 = time.perf_counter()
        execute(source, target)
        print(f"executed {source.name} in {time.perf_counter() - t0:.0f} s")
    return target


def static_widgets(nb):
    """Replace each widget view by its static figure (if the explorer gave one) and a note;
    leave the set-up cell out."""
    for cell in nb["cells"]:
        for output in cell.get("outputs", []):
            data = output.get("data", {})
            if WIDGET_MIME not in data:
                continue
            png = data.get("image/png")
            image = f"<img alt='the explorer at its start' src='data:image/png;base64,{png}'/>" if png else ""
            output["data"] = {"text/html": WIDGET_NOTE + image}
    nb.get("metadata", {}).pop("widgets", None)
    for cell in nb["cells"]:
        # The set-up cell installs the package in a bare kernel: nothing to read on a web page.
        if cell["cell_type"] == "code" and "NTM_COURSE_SOURCE" in "".join(cell["source"]):
            cell.setdefault("metadata", {}).setdefault("tags", []).append("remove-cell")
    return nb


def rewrite_links(text):
    """Repository links, as the site lays the files out."""
    return re.sub(r"\(notebooks/(\d\d_\w+)\.py\)", r"(notebooks/\1.ipynb)", text)


def copy_pages():
    (SRC / "docs").mkdir(parents=True)
    readme = (REPO / "README.md").read_text()
    # Links to files that are not pages (scripts, the licence) stay plain text.
    readme = re.sub(r"\[([^\]]+)\]\((?!https?:|#|docs/|notebooks/|TEACHING\.md)[^)]+\)", r"\1", readme)
    (SRC / "index.md").write_text(rewrite_links(readme) + toc())
    (SRC / "TEACHING.md").write_text(rewrite_links((REPO / "TEACHING.md").read_text()))
    for page in sorted((REPO / "docs").glob("*.md")):
        text = page.read_text().replace("](../README.md)", "](../index.md)")
        (SRC / "docs" / page.name).write_text(text)
    shutil.copytree(REPO / "docs" / "images", SRC / "docs" / "images")


def copy_notebooks(force):
    (SRC / "notebooks").mkdir()
    for source in lessons():
        nb = json.loads(executed_notebook(source, force).read_text())
        (SRC / "notebooks" / source.name).write_text(json.dumps(static_widgets(nb)))


def api_page():
    """An API reference of every public module of ntm_core, found by walking the package."""
    import ntm_core

    names = ["ntm_core"] + sorted(
        m.name
        for m in pkgutil.walk_packages(ntm_core.__path__, "ntm_core.")
        if not any(part.startswith("_") for part in m.name.split(".")[1:]) and not m.name.startswith("ntm_core.data")
    )
    lines = ["# API reference", "", "Generated from the docstrings of `ntm_core`.", ""]
    for name in names:
        # The package's own page gives its docstring only: its public names are
        # documented in the modules they come from.
        members = [] if name == "ntm_core" else ["   :members:"]
        lines += [f"## `{name}`", "", "```{eval-rst}", f".. automodule:: {name}", *members, "```", ""]
    (SRC / "api.md").write_text("\n".join(lines))


def npm_package(spec):
    """The folder of an npm package, ``name@version`` or ``alias@npm:name@version``,
    installed from the npm registry into build/site-deps when missing or of another
    version (tools/build_slides.py uses it too)."""
    name, alias, target = spec.partition("@npm:")
    if not alias:
        name, target = spec.rpartition("@")[0], spec
    version = target.rpartition("@")[2]
    folder = DEPS / "node_modules" / name
    manifest = folder / "package.json"
    if not manifest.exists() or json.loads(manifest.read_text()).get("version") != version:
        DEPS.mkdir(parents=True, exist_ok=True)
        subprocess.run(["npm", "install", "--no-audit", "--no-fund", "--prefix", str(DEPS), spec], check=True)
    return folder


def mathjax():
    script = npm_package(MATHJAX) / "es5" / "tex-svg-full.js"
    target = SRC / "_static" / "mathjax"
    target.mkdir(parents=True)
    shutil.copy(script, target / script.name)


def toc():
    """The site's navigation: the guide and the lessons, then the reference pages."""
    course = "\n".join(["TEACHING.md"] + [f"notebooks/{p.name}" for p in lessons()])
    reference = "\n".join([f"docs/{p.name}" for p in sorted((REPO / "docs").glob("*.md"))] + ["api.md"])
    return f"\n\n```{{toctree}}\n:hidden:\n:caption: Course\n\n{course}\n```\n\n```{{toctree}}\n:hidden:\n:caption: Reference\n\n{reference}\n```\n"


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--execute", action="store_true", help="execute every notebook again")
    args = parser.parse_args(argv)
    t0 = time.perf_counter()
    shutil.rmtree(SRC, ignore_errors=True)
    shutil.rmtree(OUT, ignore_errors=True)
    copy_pages()
    copy_notebooks(args.execute)
    api_page()
    mathjax()
    cmd = [sys.executable, "-m", "sphinx", "-b", "html", "-q", "-c", str(REPO / "site"), str(SRC), str(OUT)]
    subprocess.run(cmd, check=True)
    pages = len(list(OUT.rglob("*.html")))
    print(f"built {OUT / 'index.html'}: {pages} pages in {time.perf_counter() - t0:.0f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())

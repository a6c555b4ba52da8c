"""Build the reveal.js slide decks of notebooks 01 and 03 into build/slides/.

    python tools/build_slides.py      # writes build/slides/01_the_paper.slides.html, ...

A deck is ``jupyter nbconvert --to slides`` of the executed notebook (from
build/executed/, as the website uses it: executed in quick mode when missing
or older than its source), with the cells' slide metadata deciding what goes
on which slide. Everything a deck loads sits beside it, so it opens without
internet: reveal.js, require.js, jQuery and MathJax 2 (the versions
nbconvert's reveal template is written for) come from the npm registry at
build time, through the website's helper (tools/build_site.py), and the
decks point at these copies. An explorer shows its starting figure, as on
the website. The build fails if a deck still refers to anything outside.

Open a deck from a local web server (``python -m http.server -d build/slides``);
the browser suite (tests/browser/test_slides.py) does that.
"""

import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import build_site  # noqa: E402  (its npm helper, executed notebooks and static widgets)

REPO = build_site.REPO
OUT = REPO / "build" / "slides"
DECKS = ["01_the_paper", "03_addressing"]
# What nbconvert's reveal template loads; the versions it is written for.
REVEAL = "reveal.js@4.0.2"
REQUIRE = "requirejs@2.3.7"
JQUERY = "jquery@2.2.4"
MATHJAX2 = "mathjax2@npm:mathjax@2.7.7"  # the template configures MathJax 2 (MathJax.Hub)
# Each formula once: no quick preview and no second, MathML copy (Chromium draws MathML itself).
MATHJAX_LOCAL_CONFIG = """MathJax.Hub.Config({"fast-preview": {disabled: true}, AssistiveMML: {disabled: true}});
MathJax.Ajax.loadComplete("[MathJax]/config/local/slides.js");
"""
# Mermaid diagrams: none in these notebooks; the template imports mermaid from a CDN regardless.
MERMAID_IMPORT = re.compile(r'<script type="module">\s*import mermaid from [^<]*</script>', re.S)
# What a page loads by itself (links a reader may follow are fine).
CSS_IMPORT_OUTSIDE = re.compile(r"@import url\((?:https?:)?//[^)]*\);?\n?")
OUTSIDE = re.compile(r'''<(?:script|img|iframe|link)\b[^>]*\b(?:src|href)=["'](?:https?:)?//[^"']*|import [^;]* from ["']https?://''')


def vendor():
    """Copy the decks' JavaScript beside them; returns the nbconvert options that point there."""
    shutil.copytree(build_site.npm_package(REVEAL) / "dist", OUT / "reveal.js" / "dist")
    shutil.copytree(build_site.npm_package(REVEAL) / "plugin", OUT / "reveal.js" / "plugin")
    for theme in (OUT / "reveal.js" / "dist" / "theme").glob("*.css"):
        # Web fonts from a font CDN: the theme falls back to its local fonts and sans-serif.
        theme.write_text(CSS_IMPORT_OUTSIDE.sub("", theme.read_text()))
    (OUT / "lib").mkdir()
    shutil.copy(build_site.npm_package(REQUIRE) / "require.js", OUT / "lib" / "require.js")
    shutil.copy(build_site.npm_package(JQUERY) / "dist" / "jquery.min.js", OUT / "lib" / "jquery.min.js")
    # MathJax 2 without its unpacked sources and the fonts the CommonHTML output never loads.
    skip = shutil.ignore_patterns("unpacked", "*.eot", "*.otf", "svg", "Asana-Math", "Gyre-*", "Latin-Modern",
                                  "Neo-Euler", "STIX*", "png", "imageFonts.js")
    shutil.copytree(build_site.npm_package(MATHJAX2), OUT / "mathjax", ignore=skip)
    (OUT / "mathjax" / "config" / "local" / "slides.js").write_text(MATHJAX_LOCAL_CONFIG)
    return ["--reveal-prefix=reveal.js",
            "--SlidesExporter.require_js_url=lib/require.js",
            "--SlidesExporter.jquery_url=lib/jquery.min.js",
            "--SlidesExporter.mathjax_url=mathjax/MathJax.js?config=TeX-AMS_CHTML-full,Safe,local/slides",
            "--TagRemovePreprocessor.remove_cell_tags=remove-cell"]


def deck(name, options, workdir):
    """One deck: the executed notebook, its widgets as static figures, through nbconvert."""
    import nbformat

    source = REPO / "notebooks" / f"{name}.ipynb"
    nb = build_site.static_widgets(nbformat.read(build_site.executed_notebook(source), as_version=4))
    if not any(c.metadata.get("slideshow", {}).get("slide_type") == "slide" for c in nb.cells):
        raise SystemExit(f"{source.relative_to(REPO)} has no slide metadata: nothing to make a deck of")
    staged = Path(workdir) / source.name
    nbformat.write(nb, staged)
    subprocess.run([sys.executable, "-m", "jupyter", "nbconvert", "--to", "slides", *options,
                    "--output-dir", str(OUT), str(staged)], check=True)
    target = OUT / f"{name}.slides.html"
    text = MERMAID_IMPORT.sub("", target.read_text())
    outside = sorted({m.group(0) for m in OUTSIDE.finditer(text)})
    if outside:
        raise SystemExit(f"{target.relative_to(REPO)} still loads from outside: {outside}")
    target.write_text(text)
    return target


def main():
    t0 = time.perf_counter()
    shutil.rmtree(OUT, ignore_errors=True)
    OUT.mkdir(parents=True)
    options = vendor()
    with tempfile.TemporaryDirectory() as workdir:
        built = [deck(name, options, workdir) for name in DECKS]
    for target in built:
        print(f"built {target.relative_to(REPO)}")
    print(f"slides: {len(built)} decks in {time.perf_counter() - t0:.0f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())

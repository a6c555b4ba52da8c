"""Sphinx configuration of the course website (built by tools/build_site.py).

The site is assembled in build/site-src from the repository's own files:
README.md as the home page, TEACHING.md, docs/*.md, the notebooks executed in
quick mode, and an API reference. Everything the pages need is served from
the site itself (MathJax included): nothing is fetched from a CDN at build
time or when a page is viewed.
"""

import os

project = "ntm-notebooks"
author = "the ntm-notebooks authors"
copyright = "2026, the ntm-notebooks authors"

extensions = ["myst_nb", "sphinx.ext.autodoc", "sphinx.ext.napoleon", "sphinx.ext.mathjax"]

# The notebooks arrive executed (by the notebooks test stage, or by
# tools/build_site.py): never execute them again here.
nb_execution_mode = "off"
# A widget is shown as the static figure its explorer adds to its output
# (image/png), since no kernel runs behind a static page.
nb_mime_priority_overrides = [
    ("html", "application/vnd.jupyter.widget-view+json", None),
    ("html", "image/png", 5),
]
myst_enable_extensions = ["dollarmath", "amsmath"]
myst_heading_anchors = 3

exclude_patterns = ["_build", "**.ipynb_checkpoints"]
suppress_warnings = ["mystnb.unknown_mime_type", "myst.header"]

html_theme = "sphinx_book_theme"
html_title = "Neural Turing Machines, a course"
# Relative to this folder (sphinx-build -c site): tools/build_site.py puts
# MathJax in build/site-src/_static.
html_static_path = ["../build/site-src/_static"]
html_theme_options = {
    "repository_url": os.environ.get("NTM_COURSE_REPOSITORY", ""),
    "use_repository_button": bool(os.environ.get("NTM_COURSE_REPOSITORY")),
    "show_toc_level": 2,
}
# MathJax from _static (copied in by tools/build_site.py), not from a CDN.
mathjax_path = "mathjax/tex-svg-full.js"

autodoc_member_order = "bysource"
# Keras' own docstrings (from_config, ...) are markdown, not reStructuredText:
# show ours only.
autodoc_inherit_docstrings = False
napoleon_custom_sections = [("Call arguments", "params_style")]
autodoc_typehints = "none"

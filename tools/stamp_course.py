"""Stamp a course's own repository into the notebooks' set-up cells and links.

    python tools/stamp_course.py --repo https://github.com/OWNER/ntm-notebooks
    python tools/stamp_course.py --repo https://github.com/OWNER/ntm-notebooks --branch fall-2026
    python tools/stamp_course.py --source /path/to/ntm_notebooks-0.1.0-py3-none-any.whl

Every notebook's first code cell installs the package where it is missing
(Colab, a fresh kernel) from ``NTM_COURSE_SOURCE``; this command sets that
source (by default ``git+<repo>@<branch>``) in every ``notebooks/*.py`` and
syncs its ``.ipynb``. With a GitHub ``--repo`` it also writes "Open in Colab"
and "Launch Binder" links into each notebook's title cell and into the
README, between the ``course-links`` markers. Links are plain text links, not
badge images, so a page shows nothing fetched from elsewhere.
Run it in the course's own clone, commit, push: students then open the
notebooks from the links.
"""

import argparse
import re
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
SOURCE_LINE = re.compile(r'^NTM_COURSE_SOURCE = ".*"$', re.M)
LINKS = re.compile(r"(<!-- course-links -->)(.*?)(<!-- /course-links -->)", re.S)
GITHUB = re.compile(r"^https://github\.com/(?P<owner>[\w.-]+)/(?P<name>[\w.-]+?)(?:\.git)?/?$")


def links(repo, branch, notebook=None):
    """Markdown links to open ``notebook`` (or the collection) on Colab and Binder."""
    match = GITHUB.match(repo or "")
    if not match:
        return ""
    slug = f"{match['owner']}/{match['name']}"
    binder = f"https://mybinder.org/v2/gh/{slug}/{branch}"
    if notebook is None:
        return f"[Launch Binder]({binder}?labpath=notebooks) · [Open in Colab](https://colab.research.google.com/github/{slug}/blob/{branch}/notebooks/01_the_paper.ipynb)"
    colab = f"https://colab.research.google.com/github/{slug}/blob/{branch}/notebooks/{notebook}"
    return f"[Open in Colab]({colab}) · [Launch Binder]({binder}?labpath=notebooks/{notebook})"


def stamp_text(text, source, link_text, comment="", links_required=True):
    """``text`` with its source line and links block replaced; ValueError if one is missing."""
    if source is not None:
        if not SOURCE_LINE.search(text):
            raise ValueError("no `NTM_COURSE_SOURCE = \"...\"` line to stamp")
        text = SOURCE_LINE.sub(f"NTM_COURSE_SOURCE = {source!r}".replace("'", '"'), text, count=1)
    if not LINKS.search(text):
        if not links_required:
            return text
        raise ValueError("no <!-- course-links --> ... <!-- /course-links --> block to stamp")
    body = f"\n{comment}{link_text}\n{comment}" if link_text else ""
    return LINKS.sub(lambda m: m.group(1) + body + m.group(3), text, count=1)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repo", help="the course's repository, e.g. https://github.com/OWNER/ntm-notebooks")
    parser.add_argument("--branch", default="main")
    parser.add_argument("--source", help="what the set-up cells install (default: git+REPO@BRANCH); a wheel path or URL works too")
    parser.add_argument("--root", default=str(REPO), help="the clone to stamp (default: this one)")
    args = parser.parse_args(argv)
    if not args.repo and not args.source:
        parser.error("give --repo, --source or both")
    source = args.source or f"git+{args.repo.rstrip('/')}@{args.branch}"
    root = Path(args.root)

    notebooks = sorted((root / "notebooks").glob("*.py"))
    for path in notebooks:
        text = stamp_text(path.read_text(), source, links(args.repo, args.branch, path.with_suffix(".ipynb").name), "# ", links_required=False)
        path.write_text(text)
        # jupytext's sync keeps the .ipynb's cell ids: the diff is the stamped lines only.
        subprocess.run([sys.executable, "-m", "jupytext", "--quiet", "--sync", str(path)], check=True)
    readme = root / "README.md"
    readme.write_text(stamp_text(readme.read_text(), None, links(args.repo, args.branch)))
    print(f"stamped {len(notebooks)} notebooks and README.md: set-up cells install {source}")
    if args.repo and not GITHUB.match(args.repo):
        print("(no Colab or Binder links: both open notebooks from a GitHub repository)")
    return 0


if __name__ == "__main__":
    sys.exit(main())

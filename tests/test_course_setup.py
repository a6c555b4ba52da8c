"""Notebooks that set themselves up, and the command that stamps a course's source into them.

The end-to-end test is the Colab case, offline: a local git repository stands
in for the course's published one, ``tools/stamp_course.py`` stamps its URL
into a notebook, and the notebook runs from a temporary folder in a fresh
virtual environment where ``ntm_core`` is not installed: its first code cell
must install the package from that URL, and the rest of the notebook must run.
"""

import importlib.util
import json
import os
import subprocess
import sys
import sysconfig
from pathlib import Path

import pytest

pytestmark = pytest.mark.once

REPO = Path(__file__).resolve().parent.parent
NOTEBOOKS = sorted((REPO / "notebooks").glob("*.ipynb"))


def load_stamp():
    spec = importlib.util.spec_from_file_location("stamp_course", REPO / "tools" / "stamp_course.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


stamp = load_stamp()


def first_code_cell(path):
    nb = json.loads(path.read_text())
    return "".join(next(c for c in nb["cells"] if c["cell_type"] == "code")["source"])


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.name for p in NOTEBOOKS])
def test_first_code_cell_installs_the_package_only_where_missing(path):
    cell = first_code_cell(path)
    assert stamp.SOURCE_LINE.search(cell), f"{path.name}: the first code cell must set NTM_COURSE_SOURCE"
    assert 'find_spec("ntm_core") is None' in cell, f"{path.name}: the set-up must do nothing where ntm_core is installed"


def test_set_up_cell_does_nothing_where_installed():
    namespace = {}
    exec(first_code_cell(NOTEBOOKS[0]), namespace)  # ntm_core is installed here: no pip, no error
    assert "NTM_COURSE_SOURCE" in namespace


def test_links_for_a_github_repository():
    text = stamp.links("https://github.com/uni/ntm-course", "fall", "03_addressing.ipynb")
    assert "https://colab.research.google.com/github/uni/ntm-course/blob/fall/notebooks/03_addressing.ipynb" in text
    assert "https://mybinder.org/v2/gh/uni/ntm-course/fall?labpath=notebooks/03_addressing.ipynb" in text
    assert stamp.links("https://gitlab.example.org/uni/ntm", "main", "x.ipynb") == ""


def test_stamp_text_replaces_source_and_links_and_refuses_unstampable_text():
    text = 'x\nNTM_COURSE_SOURCE = "old"\n<!-- course-links -->\n<!-- /course-links -->\n'
    out = stamp.stamp_text(text, "git+file:///tmp/c@main", "[Open](u)")
    assert 'NTM_COURSE_SOURCE = "git+file:///tmp/c@main"' in out and "[Open](u)" in out
    assert stamp.stamp_text(out, "s2", "[Again](v)").count("<!-- course-links -->") == 1
    with pytest.raises(ValueError, match="NTM_COURSE_SOURCE"):
        stamp.stamp_text("no source here", "s", "")
    with pytest.raises(ValueError, match="course-links"):
        stamp.stamp_text('NTM_COURSE_SOURCE = "a"', "s", "")


def test_readme_has_a_links_block():
    assert stamp.LINKS.search((REPO / "README.md").read_text())


def run(cmd, **kwargs):
    proc = subprocess.run(cmd, capture_output=True, text=True, **kwargs)
    assert proc.returncode == 0, f"{' '.join(map(str, cmd))} failed:\n{proc.stdout[-3000:]}\n{proc.stderr[-3000:]}"
    return proc


@pytest.mark.slow
def test_a_stamped_notebook_installs_the_course_in_a_fresh_environment(tmp_path):
    # The course's "published" repository: a clone of this one, with this
    # working tree's files, committed.
    course = tmp_path / "course"
    run(["git", "clone", "--quiet", "--no-hardlinks", str(REPO), str(course)])
    for rel in run(["git", "ls-files", "--modified", "--others", "--exclude-standard"], cwd=REPO).stdout.split():
        if (REPO / rel).is_file():
            (course / rel).parent.mkdir(parents=True, exist_ok=True)
            (course / rel).write_bytes((REPO / rel).read_bytes())
    run([sys.executable, str(course / "tools" / "stamp_course.py"), "--root", str(course),
         "--repo", "https://github.com/uni/ntm-course", "--source", f"git+file://{course}"])
    run(["git", "add", "-A"], cwd=course)
    run(["git", "-c", "user.name=t", "-c", "user.email=t@t", "commit", "-qm", "stamp"], cwd=course)
    stamped = json.loads((course / "notebooks" / "01_the_paper.ipynb").read_text())
    assert f"git+file://{course}" in first_code_cell(course / "notebooks" / "01_the_paper.ipynb")
    assert "colab.research.google.com/github/uni/ntm-course" in "".join(stamped["cells"][0]["source"])

    # A fresh environment without ntm_core. Its other dependencies are this
    # environment's site-packages on its path (a plain path entry: this
    # environment's editable install of ntm_core is not activated there), so
    # the test downloads nothing but the build backend.
    venv = tmp_path / "venv"
    run([sys.executable, "-m", "venv", str(venv)])
    python = venv / "bin" / "python"
    site = run([str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"]).stdout.strip()
    Path(site, "deps-of-the-test-environment.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
    away = tmp_path / "student"
    away.mkdir()
    probe = run([str(python), "-c", "import importlib.util; print(importlib.util.find_spec('ntm_core'))"], cwd=away)
    assert probe.stdout.strip() == "None", "the fresh environment must not see ntm_core before the set-up cell"

    notebook = away / "01_the_paper.ipynb"
    notebook.write_text(json.dumps(stamped))
    script = (
        "import nbformat, sys\n"
        "from nbclient import NotebookClient\n"
        "nb = nbformat.read(sys.argv[1], as_version=4)\n"
        "NotebookClient(nb, timeout=600, kernel_name='python3', resources={'metadata': {'path': sys.argv[2]}}).execute()\n"
        "nbformat.write(nb, sys.argv[1])\n"
    )
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV")}
    env.update(NTM_QUICK="1", MPLBACKEND="module://matplotlib_inline.backend_inline", PATH=f"{venv / 'bin'}:{env['PATH']}")
    run([str(python), "-c", script, str(notebook), str(away)], cwd=away, env=env)
    where = run([str(python), "-c", "import ntm_core; print(ntm_core.__file__)"], cwd=away).stdout.strip()
    assert where.startswith(str(venv)), f"ntm_core was imported from {where}, not installed into the fresh environment"
    assert str(REPO) not in where

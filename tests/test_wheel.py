"""The package works installed from its wheel, far from the repository (issue 16).

The wheel is built from a copy of the working tree and installed into a fresh
virtual environment under pytest's temporary folder with a plain ``pip
install``, its dependencies held to the versions of the lock,
binder/requirements.txt. They come from a wheelhouse, a folder of wheels that
the first run downloads (about 700 MB, TensorFlow's wheel most of it) and
later runs install from offline: ``$NTM_WHEELHOUSE``, by default
``~/.cache/ntm-notebooks/wheelhouse`` (pip's own cache would do, where it is
kept; delete the folder to reclaim the space). Then, from a temporary folder
and with the repository nowhere on ``sys.path``:

* every checkpoint of ``data/pretrained`` is listed and loads, with the json
  beside it, and every result of ``data/results`` is installed;
* notebooks/01_the_paper.ipynb runs in quick mode in a kernel of that
  environment.

Last, the same copy installed editable (``--no-deps``) must find ``data/``
through importlib.resources too. Each step's wall time is printed. Slow
(it installs TensorFlow), so it runs once, in the TensorFlow pass.
"""

import hashlib
import json
import os
import shutil
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import pytest

pytestmark = [pytest.mark.once, pytest.mark.slow]

REPO = Path(__file__).resolve().parent.parent
LOCK = REPO / "binder" / "requirements.txt"
NOTEBOOK = REPO / "notebooks" / "01_the_paper.ipynb"
# What the copy leaves out: version control, environments, build outputs and
# training runs (the wheel is built from the sources and data/ only).
NOT_COPIED = shutil.ignore_patterns(
    ".git", ".venv", "venv", "runs", "build", "dist", "*.egg-info", "__pycache__",
    ".pytest_cache", ".hypothesis", ".ipynb_checkpoints", "browser-screenshots", "node_modules",
)
TIMES = {}
WHEELHOUSE = Path(os.environ.get("NTM_WHEELHOUSE") or Path(
    os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "ntm-notebooks" / "wheelhouse")


def repo_data_files():
    """The files the wheel must carry, as paths relative to data/."""
    data = REPO / "data"
    files = [*data.glob("pretrained/*.keras"), *data.glob("pretrained/*.json"), *data.glob("results/*.json")]
    return sorted(p.relative_to(data).as_posix() for p in files)


def repo_modules():
    """Every module of ntm_core in the working tree, as wheel paths."""
    return sorted(p.relative_to(REPO).as_posix() for p in (REPO / "ntm_core").rglob("*.py")
                  if "__pycache__" not in p.parts)


def missing_from_wheel(wheel):
    """The data files and ntm_core modules of the repository that ``wheel`` lacks."""
    with zipfile.ZipFile(wheel) as z:
        names = set(z.namelist())
    wanted = [f"ntm_core/data/{f}" for f in repo_data_files()] + repo_modules()
    return [name for name in wanted if name not in names]


def sha256(path):
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def run(cmd, step, **kwargs):
    """Run ``cmd``; on failure show its output's tail. Records the wall time under ``step``."""
    t0 = time.monotonic()
    proc = subprocess.run(cmd, capture_output=True, text=True, **kwargs)
    TIMES[step] = TIMES.get(step, 0.0) + time.monotonic() - t0
    assert proc.returncode == 0, (
        f"{step}: {' '.join(map(str, cmd))} exited {proc.returncode}\n"
        f"--- stdout (tail)\n{proc.stdout[-4000:]}\n--- stderr (tail)\n{proc.stderr[-6000:]}"
    )
    return proc


def venv_env(venv):
    """The environment of a process of ``venv``: its bin/ first, nothing of this
    environment's or the repository's on the import path."""
    env = {k: v for k, v in os.environ.items()
           if k not in {"PYTHONPATH", "PYTHONHOME", "VIRTUAL_ENV", "PYTHONSTARTUP"}}
    env.update(VIRTUAL_ENV=str(venv), PATH=f"{venv / 'bin'}{os.pathsep}{env.get('PATH', '')}",
               PYTHONNOUSERSITE="1", KERAS_BACKEND="tensorflow", TF_CPP_MIN_LOG_LEVEL="2",
               PIP_DISABLE_PIP_VERSION_CHECK="1")
    return env


def venv_pip(venv):
    return [sys.executable, "-m", "pip", "--python", str(venv / "bin" / "python")]


@pytest.fixture(scope="module")
def source_copy(tmp_path_factory):
    src = tmp_path_factory.mktemp("checkout") / "ntm-notebooks"
    shutil.copytree(REPO, src, ignore=NOT_COPIED)
    return src


@pytest.fixture(scope="module")
def wheel(source_copy, tmp_path_factory):
    dist = tmp_path_factory.mktemp("dist")
    run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--quiet", "-w", str(dist), str(source_copy)],
        "build the wheel")
    wheels = list(dist.glob("ntm_notebooks-*.whl"))
    assert len(wheels) == 1, f"expected one wheel, got {wheels}"
    return wheels[0]


@pytest.fixture(scope="module")
def venv(wheel, tmp_path_factory):
    """A fresh environment with the wheel installed, and ipykernel and nbclient to run a notebook."""
    venv = tmp_path_factory.mktemp("venv") / "env"
    # This environment's pip installs into the new one (pip --python): no copy
    # of pip to bootstrap there.
    run([sys.executable, "-m", "venv", "--without-pip", str(venv)], "create the venv")
    pip = venv_pip(venv)
    wanted = ["-c", str(LOCK), str(wheel), "ipykernel", "nbclient", "nbformat"]
    # --no-compile: byte-compiling all of TensorFlow would double the install;
    # Python compiles what it imports anyway.
    offline = [*pip, "install", "--quiet", "--no-compile", "--no-index", "--find-links", str(WHEELHOUSE), *wanted]
    WHEELHOUSE.mkdir(parents=True, exist_ok=True)
    t0 = time.monotonic()
    if subprocess.run(offline, capture_output=True, env=venv_env(venv)).returncode != 0:
        TIMES["pip install, offline (wheelhouse incomplete)"] = time.monotonic() - t0
        # pip keeps the files already in the folder and fetches the others
        run([*pip, "download", "--quiet", "-d", str(WHEELHOUSE), *wanted],
            "pip download into the wheelhouse", env=venv_env(venv))
        for stale in WHEELHOUSE.glob("ntm_notebooks-*.whl"):
            stale.unlink()  # the wheel under test comes from dist/, never from here
        run(offline, "pip install the wheel and its dependencies", env=venv_env(venv))
    else:
        TIMES["pip install the wheel and its dependencies"] = time.monotonic() - t0
    return venv


@pytest.fixture(scope="module")
def workdir(tmp_path_factory):
    """Where the venv's processes run: neither the repository nor inside it."""
    path = tmp_path_factory.mktemp("elsewhere")
    assert REPO not in path.parents
    return path


def run_in_venv(venv, workdir, code, step):
    proc = run([venv / "bin" / "python", "-c", code], step, cwd=workdir, env=venv_env(venv))
    return json.loads(proc.stdout.strip().splitlines()[-1])


LOAD_EVERYTHING = """
import hashlib, json, sys
import ntm_core
from ntm_core import pretrained

digest = lambda obj: hashlib.sha256(json.dumps(obj, sort_keys=True).encode()).hexdigest()
files = {p.relative_to(pretrained.DATA_DIR).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
         for p in pretrained.DATA_DIR.rglob("*") if p.suffix in (".keras", ".json")}
loaded = {}
for name in ntm_core.available_pretrained():
    model, info = ntm_core.load_pretrained(name)
    loaded[name] = {"params": int(model.count_params()), "info": digest(info)}
result = sorted(pretrained.RESULTS_DIR.glob("*.json"))[0].stem
print(json.dumps({
    "module": ntm_core.__file__, "data_dir": str(pretrained.DATA_DIR), "sys_path": sys.path,
    "available": ntm_core.available_pretrained(), "files": files, "loaded": loaded,
    "result": [result, digest(ntm_core.load_result(result))],
}))
"""


def test_wheel_carries_every_data_file_and_module(wheel):
    missing = missing_from_wheel(wheel)
    assert not missing, f"the wheel lacks {len(missing)} file(s) of the repository: {missing[:10]}"
    with zipfile.ZipFile(wheel) as z:
        assert any(n.endswith(".dist-info/licenses/LICENSE") for n in z.namelist()), "no LICENSE in the wheel"


def test_missing_data_check_itself(tmp_path):
    # a wheel of the code alone, as the one before issue 16, must be caught
    bare = tmp_path / "bare.whl"
    with zipfile.ZipFile(bare, "w") as z:
        for name in repo_modules():
            z.writestr(name, "")
    missing = missing_from_wheel(bare)
    assert missing == [f"ntm_core/data/{f}" for f in repo_data_files()]
    assert any(m.endswith(".keras") for m in missing) and any("/results/" in m for m in missing)


def test_installed_wheel_loads_every_checkpoint_from_anywhere(venv, workdir):
    out = run_in_venv(venv, workdir, LOAD_EVERYTHING, "load every checkpoint")
    site = Path(out["module"]).resolve().parent.parent
    assert venv.resolve() in site.parents, f"ntm_core came from {out['module']}, not the new venv"
    assert Path(out["data_dir"]).resolve() == site / "ntm_core" / "data"
    assert not [p for p in out["sys_path"] if p and REPO in (Path(p).resolve(), *Path(p).resolve().parents)], (
        f"the repository is on the venv's sys.path: {out['sys_path']}")

    data = REPO / "data"
    assert out["available"] == sorted(p.stem for p in data.glob("pretrained/*.keras"))
    assert out["files"] == {f: sha256(data / f) for f in repo_data_files()}, "installed data differ from data/"
    for name, loaded in out["loaded"].items():
        info = json.loads((data / "pretrained" / f"{name}.json").read_text())
        expected = hashlib.sha256(json.dumps(info, sort_keys=True).encode()).hexdigest()
        assert loaded["info"] == expected, f"{name}: load_pretrained's info is not the json beside it"
        assert loaded["params"] > 0
    name, result_digest = out["result"]
    result = json.loads((data / "results" / f"{name}.json").read_text())
    assert result_digest == hashlib.sha256(json.dumps(result, sort_keys=True).encode()).hexdigest()


EXECUTE_NOTEBOOK = """
import json, sys
import nbformat
from nbclient import NotebookClient

nb = nbformat.read(sys.argv[1], as_version=4)
nb.cells.append(nbformat.v4.new_code_cell(
    "import sys, ntm_core\\nprint(ntm_core.__file__)\\nprint(sys.executable)"))
NotebookClient(nb, timeout=600, kernel_name="python3", resources={"metadata": {"path": "."}}).execute()
print(json.dumps(nb.cells[-1].outputs[0]["text"].split()))
"""


def test_installed_wheel_runs_notebook_01_in_quick_mode(venv, workdir, capsys):
    notebook = shutil.copy(NOTEBOOK, workdir / NOTEBOOK.name)
    env = venv_env(venv)
    env.update(NTM_QUICK="1", MPLBACKEND="module://matplotlib_inline.backend_inline", TMPDIR=str(workdir))
    proc = run([venv / "bin" / "python", "-c", EXECUTE_NOTEBOOK, notebook], "run notebook 01 (quick)",
               cwd=workdir, env=env)
    module, executable = json.loads(proc.stdout.strip().splitlines()[-1])
    assert venv.resolve() in Path(module).resolve().parents, f"the kernel imported {module}"
    assert Path(executable).parent == venv / "bin", f"the kernel ran {executable}, not the venv's python"


def test_editable_install_finds_data_through_importlib_resources(venv, workdir, source_copy, capsys):
    run([*venv_pip(venv), "install", "--quiet", "--no-deps", "-e", str(source_copy)],
        "pip install -e (no deps)", env=venv_env(venv))
    out = run_in_venv(venv, workdir, """
import importlib.resources, importlib.util, json
import ntm_core
from ntm_core import pretrained
print(json.dumps({"spec": importlib.util.find_spec("ntm_core.data").origin,
                  "files": str(importlib.resources.files("ntm_core.data")),
                  "data_dir": str(pretrained.DATA_DIR), "available": ntm_core.available_pretrained()}))
""", "editable: find the data")
    data = source_copy / "data"
    assert Path(out["spec"]) == data / "__init__.py", "the editable install does not map ntm_core.data to data/"
    assert Path(out["files"]) == data and Path(out["data_dir"]) == data
    assert out["available"] == sorted(p.stem for p in data.glob("pretrained/*.keras"))
    with capsys.disabled():
        print("\n[wheel test times] " + ", ".join(f"{k}: {v:.0f} s" for k, v in TIMES.items()))

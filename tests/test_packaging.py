"""Packaging and repository hygiene: backend-independent, so marked ``once``.

(a) environment.yml stays in step with pyproject.toml (the single source of
    dependencies);
(b) every notebook under notebooks/ is stored clean and is parametrisable
    (a ``parameters`` cell of literal assignments, then a cell reading
    NTM_QUICK from os.environ);
(c) README.md opens with the set-up and test commands, and the test command is
    .ci/run;
(d) the lock, binder/requirements.txt (written by tools/lock.py), pins every
    dependency pyproject.toml declares for the package and its notebooks
    extra, and Binder installs it before the package (binder/postBuild);
(e) LICENSE, LICENSE-notebooks and CITATION.cff agree with pyproject.toml.
"""

import ast
import json
import os
import re
import stat
import subprocess
import tomllib
from pathlib import Path

import pytest
import yaml
from packaging.requirements import Requirement
from packaging.specifiers import InvalidSpecifier, SpecifierSet
from packaging.utils import canonicalize_name
from packaging.version import InvalidVersion, Version

pytestmark = pytest.mark.once

REPO = Path(__file__).resolve().parent.parent
PYPROJECT_PATH = REPO / "pyproject.toml"
ENVIRONMENT_PATH = REPO / "environment.yml"
README_PATH = REPO / "README.md"
LOCK_PATH = REPO / "binder" / "requirements.txt"
BINDER_DIR = REPO / "binder"
CITATION_PATH = REPO / "CITATION.cff"
LOCKED_EXTRAS = ("notebooks",)  # tools/lock.py's EXTRAS
CI_RUN_PATH = REPO / ".ci" / "run"
NOTEBOOK_DIR = REPO / "notebooks"

PROJECT_NAME = "ntm-notebooks"
SETUP_COMMAND = (
    'python3 -m venv .venv && .venv/bin/pip install -e ".[notebooks]" '
    "&& .venv/bin/jupyter lab notebooks/"
)
TEST_COMMAND = "bash .ci/run"

# conda-forge names that differ from the PyPI names used in pyproject.toml
CONDA_TO_PYPI = {"pytorch": "torch", "py-opencv": "opencv-python"}


# ---------------------------------------------------------------------------
# helpers


def load_pyproject():
    with open(PYPROJECT_PATH, "rb") as f:
        return tomllib.load(f)


def load_environment():
    with open(ENVIRONMENT_PATH) as f:
        return yaml.safe_load(f)


def extras_defined():
    return set(load_pyproject()["project"].get("optional-dependencies", {}))


def pyproject_requirements():
    """Every requirement of the project, from dependencies and all extras."""
    project = load_pyproject()["project"]
    reqs = [Requirement(r) for r in project.get("dependencies", [])]
    for group in project.get("optional-dependencies", {}).values():
        reqs.extend(Requirement(r) for r in group)
    return reqs


def conda_dependencies():
    return [d for d in load_environment()["dependencies"] if isinstance(d, str)]


def pip_section():
    sections = [
        d for d in load_environment()["dependencies"] if isinstance(d, dict) and "pip" in d
    ]
    assert len(sections) == 1, "environment.yml needs exactly one `- pip:` section"
    return [str(line) for line in sections[0]["pip"]]


LOCAL_INSTALL = re.compile(r"^(?:-e|--editable)[ =]\s*\.(?:\[(?P<extras>[^\]]*)\])?$")


def parse_local_install(line):
    """'-e .[a,b]' -> {'a', 'b'}; None when the line is not an editable install of '.'."""
    m = LOCAL_INSTALL.match(line.strip())
    if not m:
        return None
    return {e.strip() for e in (m.group("extras") or "").split(",") if e.strip()}


def parse_conda_spec(spec):
    """'numpy=1.26' / 'numpy >=1.26,<2' / 'conda-forge::numpy=1.26=py311*' ->
    (PyPI name, SpecifierSet) in PEP 440 terms."""
    spec = spec.split("::", 1)[-1].strip()
    m = re.match(r"^([A-Za-z0-9_.\-]+)\s*(.*)$", spec)
    name, version = m.group(1), m.group(2).replace(" ", "")
    name = CONDA_TO_PYPI.get(name, name)
    if version.startswith("=") and not version.startswith("=="):
        # conda's "=1.2" means 1.2.*; a second "=" starts a build string
        version = version[1:].split("=", 1)[0]
        version = "==" + (version if version.endswith("*") else version + ".*")
    elif version and version[0].isdigit():  # "numpy 1.26.*"
        version = "==" + version.split("=", 1)[0]
    return canonicalize_name(name), SpecifierSet(version)


def _versions_in(specifier_set):
    for s in specifier_set:
        yield s.version.rstrip(".*")


def specifiers_compatible(a, b):
    """Whether some version satisfies both specifier sets.

    Intervals that intersect contain one of their own (inclusive) lower bounds
    or a version just above an exclusive one, so probing those suffices for
    the ==, >=, >, <=, <, ~= and .* specifiers found in dependency lists.
    """
    candidates = {"0"}
    for v in list(_versions_in(a)) + list(_versions_in(b)):
        candidates.update({v, v + ".0", v + ".1", v + ".post1"})
    for c in candidates:
        try:
            version = Version(c)
        except InvalidVersion:
            continue
        if a.contains(version, prereleases=True) and b.contains(version, prereleases=True):
            return True
    return False


# ---------------------------------------------------------------------------
# (a) environment.yml <-> pyproject.toml


def test_environment_uses_conda_forge_only():
    env = load_environment()
    assert env.get("channels") == ["conda-forge"]


def test_environment_python_satisfies_requires_python():
    pythons = [d for d in conda_dependencies() if parse_conda_spec(d)[0] == "python"]
    assert len(pythons) == 1, f"one python spec expected in environment.yml, got {pythons}"
    m = re.fullmatch(r"python\s*=\s*(\d+\.\d+)", pythons[0].strip())
    assert m, f"pin python to a minor version (python=3.X), got {pythons[0]!r}"
    minor = m.group(1)
    requires = SpecifierSet(load_pyproject()["project"]["requires-python"])
    for patch in ("0", "99"):  # every 3.X.* release, first and last
        assert Version(f"{minor}.{patch}") in requires, (
            f"environment.yml's python={minor} is outside requires-python {requires}"
        )


def test_environment_installs_pip():
    names = [parse_conda_spec(d)[0] for d in conda_dependencies()]
    assert "pip" in names, "the `pip:` section needs pip itself among the conda dependencies"


def test_environment_is_constrained_by_the_lock():
    constraints = [line.split(None, 1)[1].strip() for line in pip_section()
                   if line.startswith("-c ") or line.startswith("--constraint ")]
    assert constraints == ["binder/requirements.txt"], (
        "environment.yml's pip section should hold pip to the lock: '-c binder/requirements.txt'"
    )
    # conda runs pip from environment.yml's folder: the path is relative to it
    assert (ENVIRONMENT_PATH.parent / constraints[0]).resolve() == LOCK_PATH.resolve()
    assert LOCK_PATH.is_file()


def test_environment_installs_this_project_with_notebooks_extra():
    installs = [x for x in map(parse_local_install, pip_section()) if x is not None]
    assert len(installs) == 1, (
        "environment.yml's pip section must install this repository once, as '-e .[notebooks]'"
    )
    assert "notebooks" in installs[0]
    assert load_pyproject()["project"]["name"] == PROJECT_NAME


def test_environment_extras_exist_in_pyproject():
    for extras in filter(None, map(parse_local_install, pip_section())):
        missing = extras - extras_defined()
        assert not missing, f"environment.yml asks for extras {missing} not in pyproject.toml"


def test_environment_pins_agree_with_pyproject():
    """A package named in both files must have a version allowed by both."""
    declared = {}
    for req in pyproject_requirements():
        declared.setdefault(canonicalize_name(req.name), []).append(req.specifier)

    pinned = []
    for spec in conda_dependencies():
        pinned.append((spec, *parse_conda_spec(spec)))
    for line in pip_section():
        if parse_local_install(line) is not None or line.startswith("-"):
            continue
        req = Requirement(line)
        pinned.append((line, canonicalize_name(req.name), req.specifier))

    for text, name, spec in pinned:
        for wanted in declared.get(name, []):
            assert specifiers_compatible(spec, wanted), (
                f"environment.yml's {text!r} contradicts pyproject.toml's {name}{wanted}"
            )


def test_same_package_same_specifier_across_extras():
    """e.g. torch==2.13.0 in both the test and torch extras."""
    seen = {}
    for req in pyproject_requirements():
        if req.marker is not None:
            continue
        name = canonicalize_name(req.name)
        seen.setdefault(name, set()).add(str(req.specifier))
    differing = {n: s for n, s in seen.items() if len(s) > 1}
    assert not differing, f"one package, different specifiers in pyproject.toml: {differing}"


def test_compatibility_checker_itself():
    # guards the helper the pin test relies on
    assert specifiers_compatible(SpecifierSet("==2.13.0"), SpecifierSet("==2.13.0"))
    assert not specifiers_compatible(SpecifierSet("==2.12.*"), SpecifierSet("==2.13.0"))
    assert specifiers_compatible(SpecifierSet(">=1.26"), SpecifierSet("<3"))
    assert not specifiers_compatible(SpecifierSet("<1.26"), SpecifierSet(">=1.26"))
    assert specifiers_compatible(SpecifierSet(">1.2"), SpecifierSet("<1.3"))
    assert parse_conda_spec("numpy=1.26") == ("numpy", SpecifierSet("==1.26.*"))
    assert parse_conda_spec("conda-forge::pytorch=2.13.0=cpu*") == (
        "torch", SpecifierSet("==2.13.0.*"))
    assert parse_conda_spec("pip") == ("pip", SpecifierSet(""))
    assert parse_local_install("-e .[notebooks]") == {"notebooks"}
    assert parse_local_install("--editable=.[a, b]") == {"a", "b"}
    assert parse_local_install("-e ../other") is None
    with pytest.raises(InvalidSpecifier):
        SpecifierSet("=1.2")  # why parse_conda_spec rewrites conda's "="


# ---------------------------------------------------------------------------
# (c) README.md and .ci/run


def readme_intro():
    """README.md up to its first '## ' heading."""
    lines = README_PATH.read_text().splitlines()
    intro = []
    for line in lines:
        if line.startswith("## "):
            break
        intro.append(line)
    return intro


def fenced_blocks(lines):
    blocks, current = [], None
    for line in lines:
        if line.startswith("```"):
            if current is None:
                current = {"lang": line[3:].strip(), "body": []}
            else:
                blocks.append(current)
                current = None
        elif current is not None:
            current["body"].append(line)
    assert current is None, "unclosed ``` fence in README.md"
    return blocks


def readme_commands():
    blocks = fenced_blocks(readme_intro())
    commands = []
    for block in blocks:
        assert block["lang"] in {"bash", "sh", "shell", "console"}, (
            f"README.md's first commands should be fenced as shell, got {block['lang']!r}"
        )
        body = [line for line in block["body"] if line.strip()]
        assert len(body) == 1, f"one command per block in README.md's opening, got {body}"
        commands.append(body[0].strip())
    return commands


def test_readme_opens_with_exactly_setup_and_test_commands():
    assert readme_intro()[0].startswith("# "), "README.md starts with its title"
    assert readme_commands() == [SETUP_COMMAND, TEST_COMMAND]


def test_readme_test_command_is_ci_run():
    command = readme_commands()[1].split()
    assert command[0] == "bash"
    assert (REPO / command[1]).resolve() == CI_RUN_PATH.resolve()


def test_readme_setup_uses_same_venv_as_ci_run():
    assert ".venv" in readme_commands()[0]
    assert "python3 -m venv .venv" in CI_RUN_PATH.read_text()


def test_ci_run_is_executable_strict_bash():
    mode = CI_RUN_PATH.stat().st_mode
    assert mode & stat.S_IXUSR, ".ci/run must be executable (chmod +x)"
    text = CI_RUN_PATH.read_text()
    assert text.startswith("#!/usr/bin/env bash\n") or text.startswith("#!/bin/bash\n")
    assert "set -euo pipefail" in text
    subprocess.run(["bash", "-n", str(CI_RUN_PATH)], check=True)


def test_ci_run_exports_quiet_headless_environment():
    text = CI_RUN_PATH.read_text()
    for assignment in ("MPLBACKEND=Agg", "TF_CPP_MIN_LOG_LEVEL=2", "PYTHONUNBUFFERED=1"):
        assert re.search(rf"^export {assignment}$", text, re.M), assignment


def test_ci_run_covers_the_three_backends():
    text = CI_RUN_PATH.read_text()
    for backend in ("tensorflow", "jax", "torch"):
        assert f"KERAS_BACKEND={backend} python -m pytest" in text, backend


def test_extras_named_in_readme_and_ci_run_exist():
    referenced = set()
    for path in (README_PATH, CI_RUN_PATH):
        for group in re.findall(r"\.\[([A-Za-z0-9_,\- ]+)\]", path.read_text()):
            referenced.update(e.strip() for e in group.split(","))
    assert {"test", "notebooks", "browser"} <= referenced
    missing = referenced - extras_defined()
    assert not missing, f"extras referenced but not in pyproject.toml: {missing}"


def test_ci_run_markers_are_registered():
    registered = {m.split(":", 1)[0].strip()
                  for m in load_pyproject()["tool"]["pytest"]["ini_options"]["markers"]}
    text = CI_RUN_PATH.read_text()
    # marker expressions: pytest's `-m EXPR` / `-m "EXPR"`, and the shell
    # variables holding one (…SELECTION="EXPR")
    expressions = [quoted or bare for quoted, bare in
                   re.findall(r'pytest\b[^\n]*?\s-m\s+(?:"([^"$]+)"|(\w+))', text)]
    expressions += re.findall(r'SELECTION="([^"]+)"', text)
    used = set()
    for expression in expressions:
        used.update(re.findall(r"[A-Za-z_]+", expression))
    used -= {"not", "and", "or"}
    assert {"once", "slow", "browser", "notebooks"} <= used
    assert used <= registered, f"unregistered markers in .ci/run: {used - registered}"


# ---------------------------------------------------------------------------
# (b) notebooks


def find_notebooks():
    if not NOTEBOOK_DIR.is_dir():
        return []
    return sorted(
        p for p in NOTEBOOK_DIR.rglob("*.ipynb") if ".ipynb_checkpoints" not in p.parts
    )


NOTEBOOKS = find_notebooks()
NO_NOTEBOOKS = "no notebooks under notebooks/ yet: nothing to check"
notebook_params = pytest.mark.parametrize(
    "path",
    NOTEBOOKS or [None],
    ids=[str(p.relative_to(REPO)) for p in NOTEBOOKS] or ["no-notebooks"],
)


def load_notebook(path):
    if path is None:
        pytest.skip(NO_NOTEBOOKS)
    with open(path, encoding="utf-8") as f:
        return json.load(f)


def source(cell):
    src = cell.get("source", "")
    return "".join(src) if isinstance(src, list) else src


def parameters_cell_index(nb):
    tagged = [i for i, c in enumerate(nb["cells"])
              if "parameters" in c.get("metadata", {}).get("tags", [])]
    assert len(tagged) == 1, f"need exactly one cell tagged 'parameters', found {len(tagged)}"
    assert nb["cells"][tagged[0]]["cell_type"] == "code", "the 'parameters' cell must be code"
    return tagged[0]


def _is_os_environ(node):
    return (isinstance(node, ast.Attribute) and node.attr == "environ"
            and isinstance(node.value, ast.Name) and node.value.id == "os")


def _is_ntm_quick(node):
    return isinstance(node, ast.Constant) and node.value == "NTM_QUICK"


def reads_ntm_quick_from_environ(tree):
    for node in ast.walk(tree):
        if isinstance(node, ast.Subscript) and _is_os_environ(node.value) \
                and _is_ntm_quick(node.slice):
            return True  # os.environ["NTM_QUICK"]
        if isinstance(node, ast.Call) and node.args and _is_ntm_quick(node.args[0]):
            f = node.func
            if isinstance(f, ast.Attribute) and f.attr in {"get", "__getitem__"} \
                    and _is_os_environ(f.value):
                return True  # os.environ.get("NTM_QUICK", ...)
            if isinstance(f, ast.Attribute) and f.attr == "getenv" \
                    and isinstance(f.value, ast.Name) and f.value.id == "os":
                return True  # os.getenv("NTM_QUICK")
        if isinstance(node, ast.Compare) and _is_ntm_quick(node.left) \
                and any(_is_os_environ(c) for c in node.comparators):
            return True  # "NTM_QUICK" in os.environ
    return False


def parse_cell(src):
    """Python source of a code cell, IPython magics (%, !) turned into calls."""
    from IPython.core.inputtransformer2 import TransformerManager

    return ast.parse(TransformerManager().transform_cell(src))


@notebook_params
def test_notebook_is_valid_nbformat4(path):
    nb = load_notebook(path)
    import nbformat

    assert nb.get("nbformat") == 4
    nbformat.validate(nbformat.reads(json.dumps(nb), as_version=4))


@notebook_params
def test_notebook_has_no_outputs(path):
    nb = load_notebook(path)
    dirty = [i for i, c in enumerate(nb["cells"])
             if c["cell_type"] == "code"
             and (c.get("outputs") or c.get("execution_count") is not None)]
    assert not dirty, (
        f"code cells {dirty} keep outputs or execution counts: clear them before committing "
        "(jupyter nbconvert --clear-output --inplace NOTEBOOK)"
    )


@notebook_params
def test_notebook_has_no_widget_state(path):
    nb = load_notebook(path)
    assert "widgets" not in nb.get("metadata", {}), (
        "notebook metadata keeps widget state: clear it (JupyterLab: Settings > "
        "Save Widget State Automatically, off) or drop metadata.widgets"
    )
    cells = [i for i, c in enumerate(nb["cells"]) if "widgets" in c.get("metadata", {})]
    assert not cells, f"cells {cells} keep widget state in their metadata"


@notebook_params
def test_notebook_kernelspec_is_python3(path):
    nb = load_notebook(path)
    kernelspec = nb.get("metadata", {}).get("kernelspec", {})
    assert kernelspec.get("name") == "python3", f"kernelspec is {kernelspec}"


@notebook_params
def test_notebook_parameters_cell_is_literal_assignments(path):
    nb = load_notebook(path)
    cell = nb["cells"][parameters_cell_index(nb)]
    tree = ast.parse(source(cell))  # no magics allowed here
    assert tree.body, "the 'parameters' cell is empty"
    for stmt in tree.body:
        line = ast.get_source_segment(source(cell), stmt)
        assert isinstance(stmt, ast.Assign), f"not a plain assignment: {line!r}"
        assert all(isinstance(t, ast.Name) for t in stmt.targets), (
            f"assign to plain names only: {line!r}"
        )
        try:
            ast.literal_eval(stmt.value)
        except (ValueError, TypeError, SyntaxError):
            pytest.fail(f"not a literal value: {line!r}")


@notebook_params
def test_notebook_reads_ntm_quick_right_after_parameters(path):
    nb = load_notebook(path)
    i = parameters_cell_index(nb)
    assert i + 1 < len(nb["cells"]), "no cell after the 'parameters' cell"
    after = nb["cells"][i + 1]
    assert after["cell_type"] == "code", "the cell after 'parameters' must be code"
    assert reads_ntm_quick_from_environ(parse_cell(source(after))), (
        "the cell after 'parameters' must read NTM_QUICK from os.environ, "
        "e.g. QUICK = os.environ.get(\"NTM_QUICK\") == \"1\""
    )


def test_ntm_quick_detector_itself():
    yes = [
        'import os\nQUICK = os.environ.get("NTM_QUICK", "0") == "1"',
        'import os\nif os.environ["NTM_QUICK"]: pass',
        'import os\nQUICK = "NTM_QUICK" in os.environ',
        'import os\n%matplotlib inline\nQUICK = bool(os.getenv("NTM_QUICK"))',
    ]
    no = ['QUICK = True', 'import os\nos.environ.get("QUICK")', 'x = "NTM_QUICK"']
    for src in yes:
        assert reads_ntm_quick_from_environ(parse_cell(src)), src
    for src in no:
        assert not reads_ntm_quick_from_environ(parse_cell(src)), src


# ---------------------------------------------------------------------------
# (d) the lock and Binder


LOCK_LINE = re.compile(r"^(?P<name>[A-Za-z0-9][A-Za-z0-9._\-]*)==(?P<version>[^\s;#]+)$")


def parse_lock(text):
    """``name==version`` lines -> {canonical name: Version}; comments and blank
    lines skipped, anything else (ranges, -e, paths, options) rejected."""
    pins = {}
    for number, line in enumerate(text.splitlines(), 1):
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        m = LOCK_LINE.match(line)
        assert m, f"line {number} of the lock is not an exact pin (name==version): {line!r}"
        name = canonicalize_name(m.group("name"))
        assert name not in pins, f"{name} is pinned twice in the lock"
        pins[name] = Version(m.group("version"))
    return pins


def lock_pins():
    return parse_lock(LOCK_PATH.read_text())


def locked_requirements():
    """What tools/lock.py resolves: the base dependencies and the locked extras."""
    project = load_pyproject()["project"]
    reqs = list(project.get("dependencies", []))
    for extra in LOCKED_EXTRAS:
        reqs += project["optional-dependencies"][extra]
    return [Requirement(r) for r in reqs]


def test_lock_pins_every_declared_dependency_within_its_specifier():
    pins = lock_pins()
    for req in locked_requirements():
        name = canonicalize_name(req.name)
        assert name in pins, (
            f"pyproject.toml's {req} is not in binder/requirements.txt: run `python tools/lock.py`")
        assert req.specifier.contains(pins[name], prereleases=True), (
            f"the lock pins {name}=={pins[name]}, outside pyproject.toml's {req}: run `python tools/lock.py`")


def test_lock_does_not_pin_the_project_itself():
    # postBuild installs it from the checkout; a pin would fetch it from the index
    assert canonicalize_name(PROJECT_NAME) not in lock_pins()


def test_lock_agrees_with_environment_pins():
    pins = lock_pins()
    for spec in conda_dependencies():
        name, specifier = parse_conda_spec(spec)
        if name in pins:
            assert specifier.contains(pins[name], prereleases=True), (
                f"environment.yml's {spec!r} contradicts the lock's {name}=={pins[name]}")


def lock_python():
    m = re.search(r"resolved for CPython (\d+\.\d+)", LOCK_PATH.read_text())
    assert m, "the lock's header should say which Python it was resolved for"
    return m.group(1)


def test_binder_environment_and_lock_use_one_python():
    env_python = re.fullmatch(r"python\s*=\s*(\d+\.\d+)", next(
        d.strip() for d in conda_dependencies() if parse_conda_spec(d)[0] == "python")).group(1)
    runtime = (BINDER_DIR / "runtime.txt").read_text().strip()
    assert runtime == f"python-{env_python}", f"binder/runtime.txt says {runtime!r}, environment.yml {env_python}"
    assert lock_python() == env_python, "the lock was resolved for another Python: run tools/lock.py with it"


def test_binder_uses_its_own_folder_and_the_lock():
    # repo2docker reads binder/ and then ignores environment.yml at the root; a
    # local reference (-e, a path) in requirements.txt would make it copy the
    # repository first, so every notebook edit would reinstall TensorFlow.
    assert LOCK_PATH.is_file()
    for name in ("environment.yml", "Pipfile", "setup.py", "pyproject.toml"):
        assert not (BINDER_DIR / name).exists(), f"binder/{name} would change how Binder installs"
    lock_pins()  # only exact pins


def test_binder_postbuild_installs_the_package_without_dependencies():
    post = BINDER_DIR / "postBuild"
    assert post.stat().st_mode & stat.S_IXUSR, "binder/postBuild must be executable"
    text = post.read_text()
    assert text.startswith("#!/bin/bash\n") and "set -euo pipefail" in text
    installs = [line.split() for line in text.splitlines()
                if re.match(r"^\s*(python -m )?pip install\b", line)]
    assert len(installs) == 1, f"one pip install in binder/postBuild, got {installs}"
    assert "--no-deps" in installs[0] and installs[0][-1] == ".", installs[0]
    subprocess.run(["bash", "-n", str(post)], check=True)


def test_lock_parser_itself():
    assert parse_lock("# c\n\nNumPy==2.4.6\njupyterlab_server==2.28.1\n") == {
        "numpy": Version("2.4.6"), "jupyterlab-server": Version("2.28.1")}
    for bad in ("numpy>=2", "-e .", "numpy==2.4.6\nnumpy==2.4.7", "./wheel.whl"):
        with pytest.raises(AssertionError):
            parse_lock(bad)


def test_lock_tool_renders_what_the_checks_read():
    import importlib.util

    spec = importlib.util.spec_from_file_location("lock_tool", REPO / "tools" / "lock.py")
    lock_tool = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(lock_tool)
    assert lock_tool.LOCK == LOCK_PATH and lock_tool.EXTRAS == LOCKED_EXTRAS
    assert lock_tool.environment_python() == lock_python()
    assert [Requirement(r) for r in lock_tool.declared_requirements()] == locked_requirements()
    text = lock_tool.render({"zeta": "1.0", "Alpha": "2.0"}, "3.11")
    assert parse_lock(text) == {"alpha": Version("2.0"), "zeta": Version("1.0")}
    assert text.index("Alpha==2.0") < text.index("zeta==1.0")
    assert "resolved for CPython 3.11" in text


# ---------------------------------------------------------------------------
# (e) licences and citation


def test_license_files_exist_and_ship_in_the_wheel_metadata():
    project = load_pyproject()["project"]
    assert project["license"] == "MIT"
    assert project["license-files"] == ["LICENSE"]
    text = (REPO / "LICENSE").read_text()
    assert text.startswith("MIT License\n")
    assert "Copyright (c) 2026 the ntm-notebooks authors" in text
    notebooks = (REPO / "LICENSE-notebooks").read_text()
    assert "CC BY 4.0" in notebooks and "https://creativecommons.org/licenses/by/4.0/" in notebooks


def test_citation_cff_is_valid_and_matches_pyproject():
    cff = yaml.safe_load(CITATION_PATH.read_text())
    assert cff["cff-version"] == "1.2.0"
    for key in ("message", "title", "authors", "version", "license", "references"):
        assert cff.get(key), f"CITATION.cff needs {key!r}"
    assert cff["authors"] == [{"name": "ntm-notebooks authors"}]
    project = load_pyproject()["project"]
    assert str(cff["version"]) == project["version"], "CITATION.cff's version is not pyproject.toml's"
    assert cff["license"] == project["license"]
    paper = [r for r in cff["references"] if "1410.5401" in json.dumps(r)]
    assert len(paper) == 1, "CITATION.cff should reference Graves, Wayne & Danihelka 2014 (arXiv:1410.5401)"
    paper = paper[0]
    assert paper["title"] == "Neural Turing Machines" and paper["year"] == 2014
    assert [a["family-names"] for a in paper["authors"]] == ["Graves", "Wayne", "Danihelka"]

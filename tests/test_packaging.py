"""Packaging and repository hygiene: backend-independent, so marked ``once``.

(a) environment.yml stays in step with pyproject.toml (the single source of
    dependencies);
(b) every notebook under notebooks/ is stored clean and is parametrisable
    (a ``parameters`` cell of literal assignments, then a cell reading
    NTM_QUICK from os.environ);
(c) README.md opens with the set-up and test commands, and the test command is
    .ci/run.
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

"""Pin the dependencies declared in pyproject.toml into binder/requirements.txt.

    python tools/lock.py            # resolve and rewrite binder/requirements.txt

pyproject.toml stays the one place where dependencies are declared; this
resolves its ``dependencies`` and the ``notebooks`` extra with pip (``pip
install --dry-run --ignore-installed --report``: nothing is installed, the
environment running it does not matter) and writes every package pip would
install, pinned with ``==``. Run it with the Python that environment.yml and
binder/runtime.txt name (it refuses another minor version), since a
resolution holds for one Python version and platform: Binder's, CPython on
Linux x86_64. It needs the package index, as any ``pip install`` does.

Who reads the lock: Binder (repo2docker) installs binder/requirements.txt
before it copies the repository in, then binder/postBuild installs the
package itself with ``--no-deps``, so editing a notebook does not reinstall
TensorFlow; environment.yml passes it to pip as constraints (``-c``), which
pin the versions without forcing a Linux-only package onto another platform.
tests/test_packaging.py checks that the lock still covers pyproject.toml.
"""

import argparse
import json
import re
import subprocess
import sys
import tempfile
import tomllib
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
PYPROJECT = REPO / "pyproject.toml"
ENVIRONMENT = REPO / "environment.yml"
LOCK = REPO / "binder" / "requirements.txt"
EXTRAS = ("notebooks",)

HEADER = """\
# Pinned dependencies of ntm-notebooks (pyproject.toml's dependencies and the
# {extras} extra), resolved for CPython {python} on Linux x86_64, Binder's platform.
# Generated from pyproject.toml by `python tools/lock.py`: do not edit by hand.
# Binder installs this before copying the repository, then binder/postBuild
# installs the package with --no-deps; environment.yml uses it as constraints.
"""


def declared_requirements(pyproject_path=PYPROJECT, extras=EXTRAS):
    """The requirement strings of the base dependencies and the given extras."""
    with open(pyproject_path, "rb") as f:
        project = tomllib.load(f)["project"]
    requirements = list(project.get("dependencies", []))
    for extra in extras:
        requirements += project.get("optional-dependencies", {})[extra]
    return requirements


def environment_python(environment_path=ENVIRONMENT):
    """The minor version environment.yml pins (``python=3.11`` -> ``"3.11"``)."""
    m = re.search(r"^\s*-\s*python\s*=\s*(\d+\.\d+)\s*$", environment_path.read_text(), re.M)
    if not m:
        raise SystemExit(f"no `- python=X.Y` line in {environment_path}")
    return m.group(1)


def resolve(requirements, python=sys.executable):
    """``{name: version}`` of everything pip would install for ``requirements``."""
    with tempfile.TemporaryDirectory() as tmp:
        report = Path(tmp) / "report.json"
        subprocess.run(
            [python, "-m", "pip", "install", "--dry-run", "--ignore-installed", "--quiet",
             "--only-binary=:all:", "--report", str(report), *requirements],
            check=True,
        )
        installs = json.loads(report.read_text())["install"]
    return {item["metadata"]["name"]: item["metadata"]["version"] for item in installs}


def render(pins, python, extras=EXTRAS):
    lines = [HEADER.format(extras=", ".join(f"`{e}`" for e in extras), python=python)]
    lines += [f"{name}=={pins[name]}\n" for name in sorted(pins, key=str.lower)]
    return "".join(lines)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--output", type=Path, default=LOCK, help="default: binder/requirements.txt")
    args = parser.parse_args(argv)

    wanted = environment_python()
    running = f"{sys.version_info.major}.{sys.version_info.minor}"
    if running != wanted:
        raise SystemExit(f"environment.yml and Binder use Python {wanted}; this is {running}: "
                         f"run tools/lock.py with Python {wanted}.")
    pins = resolve(declared_requirements())
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(render(pins, wanted))
    print(f"wrote {len(pins)} pins to {args.output}")


if __name__ == "__main__":
    main()

"""ntm_core's import graph runs one way: from the notebooks' helpers down to the equations.

Each module's imports of other ntm_core modules are read with ``ast`` (no
import runs) and must point to a lower layer, or stay inside the module's
own subpackage. The layers, bottom up: the argument checks; the equations,
metrics and static figures; the heads and the tasks; the cell; the layer;
what uses a built model (trace, models, evaluation); resizing; training;
the shipped checkpoints; the teaching checks; the widgets; and at the top
the package's own ``__init__`` and command line, which nothing imports.
"""

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "ntm_core"
LAYERS = [
    {"validation"},
    {"addressing", "memory", "metrics", "viz"},
    {"heads", "tasks"},
    {"cell"},
    {"layer"},
    {"trace", "models", "evaluation"},
    {"resize"},
    {"training"},
    {"pretrained", "data"},
    {"teaching"},
    {"widgets"},
    {"<package>", "__main__"},
]
LAYER_OF = {name: i for i, names in enumerate(LAYERS) for name in names}
MAX_LINES = 420  # "no module over about 400 lines"


def unit(module):
    """The layer unit of a dotted module name: ``ntm_core.tasks.copy`` -> ``tasks``."""
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else "<package>"


def imports():
    """``(importing module, imported module)`` for every import of ntm_core inside ntm_core."""
    found = []
    for path in sorted(PACKAGE.rglob("*.py")):
        module = ".".join(path.relative_to(PACKAGE.parent).with_suffix("").parts).removesuffix(".__init__")
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.ImportFrom) and not node.level and (node.module or "").startswith("ntm_core"):
                for alias in node.names:
                    target = f"{node.module}.{alias.name}"
                    as_path = PACKAGE.parent / target.replace(".", "/")
                    found.append((module, target if as_path.with_suffix(".py").exists() or as_path.is_dir()
                                  else node.module))
            elif isinstance(node, ast.Import):
                found += [(module, alias.name) for alias in node.names if alias.name.startswith("ntm_core")]
    return found


def test_every_unit_has_a_layer():
    units = {unit(m) for pair in imports() for m in pair}
    units |= {p.stem if p.is_file() else p.name for p in PACKAGE.iterdir()
              if (p.suffix == ".py" and p.stem != "__init__") or (p.is_dir() and (p / "__init__.py").exists())}
    assert units <= set(LAYER_OF), f"modules without a layer: {sorted(units - set(LAYER_OF))}"


def test_imports_point_down():
    upward = [(source, target) for source, target in imports()
              if unit(source) != unit(target) and LAYER_OF[unit(target)] >= LAYER_OF[unit(source)]]
    assert not upward, "imports that run up or sideways:\n" + "\n".join(f"  {s} -> {t}" for s, t in upward)


def test_nothing_imports_the_package_root():
    assert not [s for s, t in imports() if t == "ntm_core" and s != "ntm_core.__main__"]


@pytest.mark.parametrize("path", sorted(PACKAGE.rglob("*.py")), ids=lambda p: str(p.relative_to(PACKAGE)))
def test_modules_are_short(path):
    lines = len(path.read_text().splitlines())
    assert lines <= MAX_LINES, f"{path.name} has {lines} lines: one job per module"

"""Shared helpers for the ntm_core tests.

The package itself is backend-neutral (keras.ops only); the tests may use the
backend frameworks directly, which is what ``grad_of`` does.
"""

import os

if os.environ.get("KERAS_BACKEND") == "jax":
    # JAX compiles every model (and every new shape); the models here are tiny,
    # so XLA's optimisation passes cost far more than they save.
    os.environ.setdefault("XLA_FLAGS", "--xla_backend_optimization_level=0")

import keras  # noqa: E402

if keras.backend.backend() == "torch":
    import torch

    # On a small, shared CPU torch's intra-op thread pool makes every tiny op
    # of the recurrent loop tens of times slower (threads spin waiting for
    # each other). The NTM's tensors are tiny: one thread is fastest.
    torch.set_num_threads(1)


# Lines for the terminal summary travel with the tests' reports, so they reach
# this process from pytest-xdist's workers too, whose own output pytest does not
# show: a test's ``record_property("timing_report", text)`` (section "timings"),
# or a report's attribute ``summary_lines``, (section, line) pairs set by any
# phase (tests/browser/conftest.py).
_SECTIONS = {}


def pytest_runtest_logreport(report):
    if report.when == "call":
        _SECTIONS.setdefault("timings", []).extend(
            value for name, value in report.user_properties if name == "timing_report")
    for section, line in getattr(report, "summary_lines", ()):
        _SECTIONS.setdefault(section, []).append(line)


def pytest_terminal_summary(terminalreporter):
    for section, lines in _SECTIONS.items():
        if lines:
            terminalreporter.section(section)
            for line in dict.fromkeys(lines):  # each xdist worker may say the same thing
                terminalreporter.write_line(line)


# The test files that take longest, longest first (from `.ci/run`'s 15 slowest
# tests; each builds a wheel, a virtual environment or trains several toy runs).
# .ci/run hands whole files to its xdist workers in collection order
# (`--dist loadfile --no-loadscope-reorder`); starting the long ones first keeps
# a long file from being the last one left while the other worker idles.
LONGEST_FIRST = ("test_training_run.py", "test_wheel.py", "test_course_setup.py", "test_training_cli.py",
                 "test_training_resume.py")


def pytest_collection_modifyitems(items):
    rank = {name: i for i, name in enumerate(LONGEST_FIRST)}
    items.sort(key=lambda item: rank.get(item.path.name, len(rank)))  # stable: the rest keep their order

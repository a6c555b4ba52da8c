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


# Timing reports (a test's ``record_property("timing_report", text)``) travel
# with the test's report, so they reach this process from pytest-xdist's
# workers too, whose own output pytest does not show.
_TIMING_REPORTS = []


def pytest_runtest_logreport(report):
    if report.when == "call":
        _TIMING_REPORTS.extend(value for name, value in report.user_properties if name == "timing_report")


def pytest_terminal_summary(terminalreporter):
    if _TIMING_REPORTS:
        terminalreporter.section("timings")
        for text in _TIMING_REPORTS:
            terminalreporter.write_line(text)

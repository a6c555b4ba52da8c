"""The classroom setup (classroom/, docs/classroom.md).

Fast checks, in the default run: the JupyterHub config loads and means what it
says, the Zero to JupyterHub values parse, both give the same per-student
limits, and those limits cover what the measured class used
(data/results/classroom_loadtest.json). Plus the load test's own helpers.

``-m classroom`` (not in the default run: it starts a hub) runs the load test
with two students and checks that both finished the lessons and that nothing
it started is left running.
"""

import json
import re
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
CLASSROOM = REPO / "classroom"
CONFIG = CLASSROOM / "jupyterhub_config.py"
VALUES = CLASSROOM / "z2jh-values.yaml"
MEASUREMENT = REPO / "data" / "results" / "classroom_loadtest.json"
MB = 2**20

sys.path.insert(0, str(CLASSROOM))

PER_STUDENT_FIELDS = {"student", "spawn_s", "kernel_start_s", "first_output_s", "finish_06_s", "finish_03_s",
                      "total_s", "peak_kernel_06_rss_mb", "peak_kernel_03_rss_mb", "peak_student_rss_mb",
                      "peak_student_pss_mb", "cpu_kernel_06_s", "failures", "finished"}
TOP_FIELDS = {"command", "date", "machine", "students", "per_student", "idle_fresh", "idle_after_lessons",
              "load_average_before", "load_average_during", "load_average_after", "orphans", "summary",
              "all_finished", "wall_s"}


def to_bytes(spec):
    """JupyterHub's ByteSpecification as worked out by hand: K/M/G/T are powers of 1024."""
    m = re.fullmatch(r"(\d+(?:\.\d+)?)([KMGT])", str(spec))
    assert m, spec
    return int(float(m.group(1)) * 1024 ** "KMGT".index(m.group(2)) * 1024)


def load_config(tmp_path, monkeypatch, password="a-shared-password"):
    from traitlets.config.loader import PyFileConfigLoader

    monkeypatch.setenv("NTM_CLASS_STATE", str(tmp_path / "state"))
    monkeypatch.setenv("NTM_CLASS_HOMES", str(tmp_path / "home"))
    monkeypatch.setenv("NTM_CLASS_PASSWORD", password)
    return PyFileConfigLoader(CONFIG.name, path=str(CLASSROOM)).load_config()


def values():
    yaml = pytest.importorskip("yaml")
    return yaml.safe_load(VALUES.read_text())


def test_config_loads_and_keeps_state_out_of_the_repository(tmp_path, monkeypatch):
    cfg = load_config(tmp_path, monkeypatch)
    assert cfg.JupyterHub.spawner_class == "jupyterhub.spawner.SimpleLocalProcessSpawner"
    assert cfg.JupyterHub.authenticator_class == "shared-password"
    assert cfg.JupyterHub.db_url == f"sqlite:///{tmp_path / 'state' / 'jupyterhub.sqlite'}"
    assert cfg.JupyterHub.cookie_secret_file == str(tmp_path / "state" / "jupyterhub_cookie_secret")
    assert cfg.SimpleLocalProcessSpawner.home_dir_template == str(tmp_path / "home" / "{username}")
    assert (tmp_path / "state").is_dir()
    assert cfg.Spawner.cmd[0].endswith("jupyterhub-singleuser")


def test_config_limits_parse_as_jupyterhub_reads_them(tmp_path, monkeypatch):
    pytest.importorskip("jupyterhub")
    from jupyterhub.spawner import SimpleLocalProcessSpawner

    cfg = load_config(tmp_path, monkeypatch)
    spawner = SimpleLocalProcessSpawner(config=cfg)
    assert spawner.mem_limit == to_bytes(cfg.Spawner.mem_limit)
    assert spawner.mem_guarantee == to_bytes(cfg.Spawner.mem_guarantee)
    assert spawner.cpu_limit == float(cfg.Spawner.cpu_limit)
    assert spawner.mem_guarantee < spawner.mem_limit


def test_shared_password_is_checked_by_the_authenticator(tmp_path, monkeypatch):
    pytest.importorskip("jupyterhub")
    from jupyterhub.authenticators.shared import SharedPasswordAuthenticator

    cfg = load_config(tmp_path, monkeypatch, password="short")
    with pytest.raises(Exception, match="8 characters"):
        SharedPasswordAuthenticator(config=cfg)


def test_values_file_has_what_a_class_needs():
    v = values()
    single = v["singleuser"]
    assert single["image"]["name"] and single["image"]["tag"]
    assert to_bytes(single["memory"]["guarantee"]) < to_bytes(single["memory"]["limit"])
    assert 0 < single["cpu"]["guarantee"] <= single["cpu"]["limit"]
    assert v["cull"]["enabled"] is True and v["cull"]["timeout"] > 0
    hook = " ".join(single["lifecycleHooks"]["postStart"]["exec"]["command"])
    assert "gitpuller" in hook and "|| " in hook  # a failed pull must not stop the server


def test_config_and_values_give_the_same_limits(tmp_path, monkeypatch):
    cfg = load_config(tmp_path, monkeypatch)
    single = values()["singleuser"]
    assert to_bytes(single["memory"]["limit"]) == to_bytes(cfg.Spawner.mem_limit)
    assert to_bytes(single["memory"]["guarantee"]) == to_bytes(cfg.Spawner.mem_guarantee)
    assert float(single["cpu"]["limit"]) == float(cfg.Spawner.cpu_limit)
    assert float(single["cpu"]["guarantee"]) == float(cfg.Spawner.cpu_guarantee)


def test_measurement_file_has_the_fields():
    record = json.loads(MEASUREMENT.read_text())
    assert TOP_FIELDS <= set(record)
    assert record["students"] == len(record["per_student"]) >= 2
    for row in record["per_student"]:
        assert PER_STUDENT_FIELDS <= set(row), row["student"]
    assert len(record["load_average_before"]) == 3


def test_limits_cover_the_measured_class(tmp_path, monkeypatch):
    """The limit holds the biggest measured student (server + both kernels) with 25 % to spare;
    the guarantee holds what an idle student who has run the lessons keeps (PSS)."""
    cfg = load_config(tmp_path, monkeypatch)
    record = json.loads(MEASUREMENT.read_text())
    assert record["all_finished"]
    peak_rss = max(row["peak_student_rss_mb"] for row in record["per_student"]) * MB
    assert to_bytes(cfg.Spawner.mem_limit) >= 1.25 * peak_rss
    assert to_bytes(cfg.Spawner.mem_guarantee) >= record["idle_after_lessons"]["per_student_pss_mb"] * MB


def test_explorer_cells_select_every_explorer_of_notebook_03():
    from kernel_ws import code_cells, explorer_cells

    source = (REPO / "notebooks" / "03_addressing.py").read_text()
    calls = re.findall(r"^(\w+Explorer)\(", source, re.M)
    assert len(calls) >= 5
    picked = code_cells(REPO / "notebooks" / "03_addressing.ipynb", explorer_cells)
    assert sorted(name for c in picked for name in calls if c.startswith(name + "(")) == sorted(calls)
    assert any("SEED" in c and "=" in c for c in picked)  # the parameters cell the explorers use
    assert len(picked) < len(code_cells(REPO / "notebooks" / "03_addressing.ipynb"))


def test_kernel_id_from_an_ipykernel_command_line():
    from memsample import _kernel_id

    cmd = ["/venv/bin/python", "-m", "ipykernel_launcher", "-f", "/run/jupyter/kernel-5d2a-77.json"]
    assert _kernel_id(cmd) == "5d2a-77"
    assert _kernel_id(["/venv/bin/jupyterhub-singleuser", "--allow-root"]) is None


def test_summary_of_a_column():
    from loadtest import summary

    assert summary([3.0, None, 1.0, 2.0, 10.0]) == {"min": 1.0, "median": 2.5, "mean": 4.0, "max": 10.0}
    assert summary([None]) is None


@pytest.mark.classroom
@pytest.mark.once  # keeps it out of .ci/run's jax and torch passes, whose -m replaces addopts
def test_a_class_of_two_runs_the_lessons(tmp_path):
    pytest.importorskip("jupyterhub")
    pytest.importorskip("websocket")
    import loadtest

    out = tmp_path / "class.json"
    rc = loadtest.main(["--students", "2", "--json", str(out), "--timeout", "1500"])
    record = json.loads(out.read_text())
    assert record["error"] is None, record.get("hub_log_tail")
    assert record["orphans"] == []
    assert TOP_FIELDS <= set(record)
    assert len(record["per_student"]) == 2
    for row in record["per_student"]:
        assert PER_STUDENT_FIELDS <= set(row)
        assert row["failures"] == [], row["failures"]
        assert row["finished"] and row["cells_06"] > 10
        assert 0 < row["first_output_s"] <= row["finish_06_s"]
        assert row["peak_kernel_06_rss_mb"] > 100  # a kernel that imported TensorFlow and Keras
    assert record["all_finished"] and rc == 0

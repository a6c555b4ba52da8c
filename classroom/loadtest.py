"""A measured class on one machine: N students run the lessons at the same time.

    python classroom/loadtest.py --students 8 --json data/results/classroom_loadtest.json

Starts JupyterHub on 127.0.0.1 (free ports) with classroom/jupyterhub_config.py
plus a test overlay (state, homes and logs in a temporary folder, never in the
repository; an admin API token for a `loadtest` service), creates N student
users through the hub's REST API, copies the lessons into every home (where
nbgitpuller would put them) and starts every student's server. Each server
gets a kernel; once all are up, every student at the same moment runs notebook
06 (inspector included) and then, in a second kernel, the explorers of notebook
03 (classroom/kernel_ws.py), all in quick mode (NTM_QUICK=1). A sampler thread
follows every student's process tree (server and kernels: the spawner is local)
with psutil. Recorded per student: peak memory, time to first output, time to
finish, failures; and the memory of idle servers with idle kernels, and the
machine's load average. Then everything it started is stopped and checked gone.

Needs `configurable-http-proxy` (npm); when it is not on PATH it is installed
once with npm into build/classroom-proxy/. Traffic goes only to 127.0.0.1.
"""

import argparse
import json
import os
import platform
import secrets
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import psutil

sys.path.insert(0, str(Path(__file__).resolve().parent))
from kernel_ws import Kernel, code_cells, explorer_cells, http_json  # noqa: E402
from memsample import ProcessSampler  # noqa: E402

REPO = Path(__file__).resolve().parent.parent
CONFIG = REPO / "classroom" / "jupyterhub_config.py"
PROXY_PREFIX = REPO / "build" / "classroom-proxy"
PROXY_PACKAGE = "configurable-http-proxy@5.3.0"
NB06 = "06_inspecting_attention.ipynb"
NB03 = "03_addressing.ipynb"
MARKER = "NTM_CLASSROOM_LOADTEST"  # in every process's environment: the orphan check finds them by it

OVERLAY = """\
c = get_config()  # noqa: F821
load_subconfig({config!r})  # noqa: F821
c.JupyterHub.hub_bind_url = "http://127.0.0.1:{hub_port}"
c.ConfigurableHTTPProxy.api_url = "http://127.0.0.1:{api_port}"
c.ConfigurableHTTPProxy.command = [{proxy!r}]
c.JupyterHub.services = [{{"name": "loadtest", "api_token": {token!r}}}]
c.JupyterHub.load_roles = [{{"name": "loadtest", "services": ["loadtest"],
    "scopes": ["admin:users", "admin:servers", "access:servers", "list:users", "read:users"]}}]
c.JupyterHub.cleanup_servers = True
c.JupyterHub.cleanup_proxy = True
c.Spawner.environment = {{**c.Spawner.environment, "NTM_QUICK": "1", "TMPDIR": {tmp!r}, {marker!r}: {tmp!r}}}
"""


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def find_proxy():
    """configurable-http-proxy on PATH, else under build/classroom-proxy (npm install, once)."""
    on_path = shutil.which("configurable-http-proxy")
    if on_path:
        return on_path
    local = PROXY_PREFIX / "node_modules" / ".bin" / "configurable-http-proxy"
    if not local.exists():
        print(f"installing {PROXY_PACKAGE} into {PROXY_PREFIX} with npm", flush=True)
        PROXY_PREFIX.mkdir(parents=True, exist_ok=True)
        subprocess.run(["npm", "install", "--no-audit", "--no-fund", "--prefix", str(PROXY_PREFIX), PROXY_PACKAGE],
                       check=True, timeout=600)
    return str(local)


def wait_for(predicate, timeout, what, interval=0.5):
    """Poll ``predicate`` (a connection refused counts as not yet) until truthy, at most ``timeout`` s."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            value = predicate()
        except OSError:  # urllib's URLError included: the server is not listening yet
            value = None
        if value:
            return value
        time.sleep(interval)
    raise TimeoutError(f"{what}: not within {timeout} s")


def summary(values):
    values = [v for v in values if v is not None]
    if not values:
        return None
    return {"min": round(min(values), 1), "median": round(statistics.median(values), 1),
            "mean": round(statistics.fmean(values), 1), "max": round(max(values), 1)}


class Class:
    """The hub, its students and their servers; ``stop()`` ends all of it."""

    def __init__(self, students, tmp, cell_timeout):
        self.tmp, self.cell_timeout = tmp, cell_timeout
        self.names = [f"student{i:02d}" for i in range(1, students + 1)]
        self.token = secrets.token_hex(32)
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.api = self.url + "/hub/api"
        self.hub = None
        self.seen = {}  # pid -> create_time of everything we started, for the orphan check

    def start_hub(self, proxy):
        (self.tmp / "state").mkdir()
        overlay = self.tmp / "loadtest_config.py"
        overlay.write_text(OVERLAY.format(config=str(CONFIG), hub_port=free_port(), api_port=free_port(),
                                          proxy=proxy, token=self.token, tmp=str(self.tmp), marker=MARKER))
        env = {**os.environ, MARKER: str(self.tmp), "NTM_CLASS_STATE": str(self.tmp / "state"),
               "NTM_CLASS_HOMES": str(self.tmp / "home"), "NTM_CLASS_PASSWORD": secrets.token_hex(8),
               "NTM_CLASS_BIND_URL": self.url}
        self.log = open(self.tmp / "jupyterhub.log", "w")
        # cwd = the temporary folder: the proxy's pid file and anything else lands there.
        self.hub = subprocess.Popen([sys.executable, "-m", "jupyterhub", "-f", str(overlay)], cwd=self.tmp,
                                    env=env, stdout=self.log, stderr=subprocess.STDOUT, start_new_session=True)
        self._remember(self.hub.pid)
        wait_for(lambda: self.hub.poll() is not None or http_json("GET", self.api + "/", self.token, timeout=5)[0] == 200,
                 120, "hub answering")
        if self.hub.poll() is not None:
            raise RuntimeError(f"JupyterHub exited with {self.hub.returncode}; log: {self.tmp / 'jupyterhub.log'}")

    def _remember(self, pid):
        try:
            self.seen[pid] = psutil.Process(pid).create_time()
        except psutil.Error:
            pass

    def create_students(self):
        homes = self.tmp / "home"
        for name in self.names:
            lessons = homes / name / "ntm-notebooks" / "notebooks"
            lessons.mkdir(parents=True)
            for nb in (NB03, NB06):
                shutil.copy(REPO / "notebooks" / nb, lessons / nb)
        status, body = http_json("POST", self.api + "/users", self.token, {"usernames": self.names})
        if status != 201:
            raise RuntimeError(f"creating users: HTTP {status} {body}")

    def spawn_all(self, timeout):
        t0 = time.monotonic()
        for name in self.names:
            status, body = http_json("POST", f"{self.api}/users/{name}/server", self.token, {})
            if status not in (201, 202):
                raise RuntimeError(f"starting {name}'s server: HTTP {status} {body}")
        ready = {}

        def all_ready():
            for name in self.names:
                if name in ready:
                    continue
                _, model = http_json("GET", f"{self.api}/users/{name}", self.token, timeout=10)
                server = (model or {}).get("servers", {}).get("")
                if server is None:  # the hub dropped it: the spawn failed (see the hub's log)
                    raise RuntimeError(f"{name}'s server failed to start")
                if server and server.get("ready"):
                    ready[name] = round(time.monotonic() - t0, 1)
            return len(ready) == len(self.names)

        wait_for(all_ready, timeout, "every student's server ready", interval=1.0)
        return ready

    def server_pids(self):
        """{student: pid of the single-user server}, found among the hub's children by JUPYTERHUB_USER."""
        pids = {}
        for child in psutil.Process(self.hub.pid).children(recursive=True):
            try:
                user = child.environ().get("JUPYTERHUB_USER")
            except psutil.Error:
                continue
            if user in self.names and "singleuser" in " ".join(child.cmdline()):
                pids[user] = child.pid
        for child in psutil.Process(self.hub.pid).children(recursive=True):
            self._remember(child.pid)
        return pids

    def base(self, name):
        return f"{self.url}/user/{name}/"

    def stop(self, timeout=60):
        """Stop the servers through the API, then the hub (which stops its proxy)."""
        if self.hub is None or self.hub.poll() is not None:
            return
        for name in self.names:
            try:
                http_json("DELETE", f"{self.api}/users/{name}/server", self.token, timeout=10)
            except OSError:
                pass
        try:
            wait_for(lambda: all(not (http_json("GET", f"{self.api}/users/{n}", self.token, timeout=10)[1] or {})
                                 .get("servers") for n in self.names), timeout, "servers stopped", interval=1.0)
        except (TimeoutError, OSError):
            pass
        self.hub.send_signal(signal.SIGTERM)
        try:
            self.hub.wait(timeout)
        except subprocess.TimeoutExpired:
            self.hub.kill()
            self.hub.wait(10)
        self.log.close()

    def leftovers(self):
        """Processes we started that are still alive: remembered pids and anything carrying MARKER."""
        alive = []
        for proc in psutil.process_iter(["pid", "create_time", "cmdline"]):
            try:
                ours = self.seen.get(proc.pid) == proc.info["create_time"] or \
                    proc.environ().get(MARKER) == str(self.tmp)
            except psutil.Error:
                continue
            if ours and proc.pid != os.getpid():
                alive.append(proc)
        return alive


def student_run(klass, name, barrier, result, deadline):
    """One student: a kernel for 06 (started before the barrier), then 03's explorers in a second kernel."""
    base = klass.base(name)
    try:
        k06 = Kernel(base, klass.token, "ntm-notebooks/notebooks/" + NB06)
        result["kernel_start_s"] = round(k06.start_s, 1)
        result["kernel_06"] = k06.id
    except Exception as exc:
        result["failures"].append({"notebook": NB06, "ename": type(exc).__name__, "evalue": str(exc)[:300]})
        barrier.abort()
        return
    try:
        barrier.wait(timeout=max(1.0, deadline - time.monotonic()))
    except threading.BrokenBarrierError:
        result["failures"].append({"notebook": NB06, "ename": "BrokenBarrierError", "evalue": "another student failed"})
        k06.close()
        return
    t0 = time.monotonic()
    home_nb = REPO / "notebooks"
    run = k06.run_cells(code_cells(home_nb / NB06), klass.cell_timeout)
    result.update(first_output_s=run["first_output_s"], finish_06_s=round(run["finish_s"], 1), cells_06=run["cells"])
    result["failures"] += [{"notebook": NB06, **f} for f in run["failures"]]
    k06.close()
    try:
        k03 = Kernel(base, klass.token, "ntm-notebooks/notebooks/" + NB03)
        result["kernel_03"] = k03.id
        run = k03.run_cells(code_cells(home_nb / NB03, explorer_cells), klass.cell_timeout)
        result.update(finish_03_s=round(run["finish_s"], 1), cells_03=run["cells"])
        result["failures"] += [{"notebook": NB03, **f} for f in run["failures"]]
        k03.close()
    except Exception as exc:
        result["failures"].append({"notebook": NB03, "ename": type(exc).__name__, "evalue": str(exc)[:300]})
    if result.get("first_output_s") is not None:
        result["first_output_s"] = round(result["first_output_s"], 2)
    result["total_s"] = round(time.monotonic() - t0, 1)


def run_class(students, cell_timeout=600, total_timeout=2400, idle_wait=10.0, keep_temp=False):
    t_start = time.monotonic()
    load_before = os.getloadavg()
    baseline_available = psutil.virtual_memory().available
    proxy = find_proxy()
    tmp = Path(tempfile.mkdtemp(prefix="ntm-classroom-"))
    klass = Class(students, tmp, cell_timeout)
    record = {"students": students, "orphans": [], "error": None}
    sampler = None
    try:
        klass.start_hub(proxy)
        klass.create_students()
        spawn_s = klass.spawn_all(timeout=300)
        servers = wait_for(lambda: (p := klass.server_pids()) and len(p) == students and p, 30, "server processes")
        sampler = ProcessSampler(servers, interval=0.5, max_seconds=total_timeout)
        sampler.start()
        results = {name: {"student": name, "spawn_s": spawn_s[name], "failures": []} for name in klass.names}
        # students + 1 parties: each student thread starts its 06 kernel and waits; this thread
        # measures the idle class, then is the last party, releasing every student at the same moment.
        barrier = threading.Barrier(students + 1)
        deadline = time.monotonic() + total_timeout
        threads = [threading.Thread(target=student_run, args=(klass, n, barrier, results[n], deadline), daemon=True)
                   for n in klass.names]
        for t in threads:
            t.start()
        idle_fresh = None
        try:
            wait_for(lambda: barrier.n_waiting == students or barrier.broken, 300, "kernels started", 0.2)
            if not barrier.broken:
                time.sleep(idle_wait)  # let the last kernel settle
                idle_fresh = sampler.snapshot(psutil.virtual_memory().available, baseline_available)
            barrier.wait(timeout=30)
        except (threading.BrokenBarrierError, TimeoutError):
            barrier.abort()
        for t in threads:
            t.join(timeout=max(1.0, deadline - time.monotonic()))
        unfinished = [t.name for t in threads if t.is_alive()]
        time.sleep(idle_wait)
        idle_after = sampler.snapshot(psutil.virtual_memory().available, baseline_available)
        sampler.stop()
        kernel_names = {(n, r[k]): k[-2:] for n, r in results.items() for k in ("kernel_06", "kernel_03") if k in r}
        peaks = sampler.peaks(kernel_names)
        for name, res in results.items():
            res.update(peaks.get(name, {}))
            res["finished"] = not res["failures"] and res.get("total_s") is not None
        record.update(per_student=[results[n] for n in klass.names], idle_fresh=idle_fresh, idle_after_lessons=idle_after,
                      unfinished_threads=len(unfinished), load_average_during=sampler.load_summary())
    except Exception as exc:
        record["error"] = f"{type(exc).__name__}: {exc}"
        log = tmp / "jupyterhub.log"
        if log.exists():
            record["hub_log_tail"] = log.read_text(errors="replace")[-3000:]
    finally:
        if sampler is not None:
            sampler.stop()
        klass.stop()
        time.sleep(2)
        left = klass.leftovers()
        record["orphans"] = [{"pid": p.pid, "cmdline": " ".join(p.info["cmdline"] or [])[:200]} for p in left]
        for proc in left:  # started by this run: end them one by one, by pid
            try:
                proc.kill()
            except psutil.Error:
                pass
        if not keep_temp:
            shutil.rmtree(tmp, ignore_errors=True)
    record["load_average_before"] = [round(x, 2) for x in load_before]
    record["load_average_after"] = [round(x, 2) for x in os.getloadavg()]
    record["wall_s"] = round(time.monotonic() - t_start, 1)
    return record


def describe_machine():
    import jupyter_server
    import jupyterhub
    info = {"cpus": os.cpu_count(), "memory_total_gb": round(psutil.virtual_memory().total / 2**30, 1),
            "python": platform.python_version(), "platform": platform.platform(),
            "jupyterhub": jupyterhub.__version__, "jupyter_server": jupyter_server.__version__,
            "keras_backend": "tensorflow"}
    return info


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--students", type=int, default=8, help="number of students (servers), 1-64")
    parser.add_argument("--json", type=Path, help="write the measurement here")
    parser.add_argument("--cell-timeout", type=float, default=600, help="seconds one cell may take")
    parser.add_argument("--timeout", type=float, default=2400, help="seconds the whole class may take")
    parser.add_argument("--keep-temp", action="store_true", help="keep the temporary folder (hub log, homes)")
    args = parser.parse_args(argv)
    if not 1 <= args.students <= 64:
        parser.error(f"--students must be between 1 and 64, got {args.students}")
    record = {"command": "python classroom/loadtest.py " + " ".join(sys.argv[1:] if argv is None else argv),
              "date": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()), "machine": describe_machine()}
    record.update(run_class(args.students, args.cell_timeout, args.timeout, keep_temp=args.keep_temp))
    per = record.get("per_student", [])
    record["summary"] = {key: summary([r.get(key) for r in per]) for key in
                         ("spawn_s", "kernel_start_s", "first_output_s", "finish_06_s", "finish_03_s", "total_s",
                          "peak_kernel_06_rss_mb", "peak_kernel_06_pss_mb", "peak_kernel_03_rss_mb",
                          "peak_student_rss_mb", "peak_student_pss_mb", "cpu_kernel_06_s", "cpu_kernel_03_s")}
    record["all_finished"] = bool(per) and all(r["finished"] for r in per) and record["error"] is None
    text = json.dumps(record, indent=2) + "\n"
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(text)
    print(format_table(record))
    return 0 if record["all_finished"] and not record["orphans"] else 1


def format_table(record):
    rows = ["student    spawn  kernel  first out  finish 06  finish 03  peak 06 kernel  peak student (RSS/PSS)  "
            "CPU 06  failures"]
    for r in record.get("per_student", []):
        fails = "; ".join(f"{f.get('notebook', '')}[{f.get('cell', '-')}] {f.get('ename')}" for f in r["failures"]) or "0"
        rows.append(f"{r['student']:<10} {r['spawn_s']:>5} {r.get('kernel_start_s', '-'):>7} {r.get('first_output_s', '-'):>10}"
                    f" {r.get('finish_06_s', '-'):>10} {r.get('finish_03_s', '-'):>10}"
                    f" {r.get('peak_kernel_06_rss_mb', '-'):>12} MB {r.get('peak_student_rss_mb', '-'):>10}"
                    f"/{r.get('peak_student_pss_mb', '-')} MB  {r.get('cpu_kernel_06_s', '-')} s  {fails}")
    during = record.get("load_average_during") or {}
    rows.append(f"error: {record['error']}; orphans: {len(record['orphans'])}; wall {record['wall_s']} s; "
                f"load average before {record['load_average_before']}, during: max {during.get('max_1min')}, "
                f"mean {during.get('mean_1min')} (1 min)")
    return "\n".join(rows)


if __name__ == "__main__":
    sys.exit(main())

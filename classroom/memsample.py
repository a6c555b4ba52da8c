"""Memory of every student's process tree (server + kernels), sampled with psutil.

RSS counts each process's shared libraries in full, so summing RSS over many
kernels overstates what they take together; PSS splits shared pages between
the processes sharing them, so the PSS of N students adds up to what the
machine gives them. Both are recorded: RSS for a per-student limit (a
container's cgroup is charged for what its processes touch), PSS for how many
students one machine holds.
"""

import os
import statistics
import threading
import time

import psutil

MB = 2**20


def _kernel_id(cmdline):
    """The kernel id from an ipykernel command line (its connection file is kernel-<id>.json)."""
    for arg in cmdline:
        name = os.path.basename(arg)
        if name.startswith("kernel-") and name.endswith(".json"):
            return name[len("kernel-"):-len(".json")]
    return None


class ProcessSampler(threading.Thread):
    def __init__(self, servers, interval=0.5, max_seconds=3600, load_every=5.0):
        super().__init__(daemon=True)
        self.servers = dict(servers)  # student -> server pid
        self.interval, self.max_seconds, self.load_every = interval, max_seconds, load_every
        self._stop_event = threading.Event()
        self._lock = threading.Lock()
        self._peak = {name: {"rss": 0, "pss": 0, "server_rss": 0, "kernels": {}} for name in self.servers}
        self.load = []  # (seconds since start, 1-minute load average)

    def _measure(self, name):
        """(tree rss, tree pss, server rss, {kernel id: (rss, pss, cpu seconds)}) of one student, now."""
        try:
            server = psutil.Process(self.servers[name])
            procs = [server] + server.children(recursive=True)
        except psutil.Error:
            return 0, 0, 0, {}
        rss = pss = server_rss = 0
        kernels = {}
        for proc in procs:
            try:
                info = proc.memory_full_info()
                cmdline = proc.cmdline()
                cpu = proc.cpu_times()
            except psutil.Error:
                continue
            rss, pss = rss + info.rss, pss + info.pss
            if proc.pid == server.pid:
                server_rss = info.rss
            kid = _kernel_id(cmdline)
            if kid:
                kernels[kid] = (info.rss, info.pss, cpu.user + cpu.system)
        return rss, pss, server_rss, kernels

    def run(self):
        t0 = last_load = time.monotonic()
        self.load.append((0.0, os.getloadavg()[0]))
        while not self._stop_event.is_set() and time.monotonic() - t0 < self.max_seconds:
            for name in self.servers:
                rss, pss, server_rss, kernels = self._measure(name)
                with self._lock:
                    peak = self._peak[name]
                    peak["rss"], peak["pss"] = max(peak["rss"], rss), max(peak["pss"], pss)
                    peak["server_rss"] = max(peak["server_rss"], server_rss)
                    for kid, (k_rss, k_pss, k_cpu) in kernels.items():
                        old = peak["kernels"].get(kid, (0, 0, 0.0))
                        peak["kernels"][kid] = (max(old[0], k_rss), max(old[1], k_pss), max(old[2], k_cpu))
            now = time.monotonic()
            if now - last_load >= self.load_every:
                self.load.append((round(now - t0, 1), os.getloadavg()[0]))
                last_load = now
            self._stop_event.wait(self.interval)

    def stop(self):
        self._stop_event.set()
        if self.is_alive():
            self.join(timeout=30)

    def peaks(self, kernel_names):
        """{student: peak figures in MB}; ``kernel_names`` maps (student, kernel id) to a label like "06"."""
        out = {}
        with self._lock:
            for name, peak in self._peak.items():
                row = {"peak_student_rss_mb": round(peak["rss"] / MB), "peak_student_pss_mb": round(peak["pss"] / MB),
                       "peak_server_rss_mb": round(peak["server_rss"] / MB)}
                for kid, (k_rss, k_pss, k_cpu) in peak["kernels"].items():
                    label = kernel_names.get((name, kid))
                    if label:
                        row[f"peak_kernel_{label}_rss_mb"] = round(k_rss / MB)
                        row[f"peak_kernel_{label}_pss_mb"] = round(k_pss / MB)
                        # CPU seconds the kernel used (last sample): unlike wall times, load-independent
                        row[f"cpu_kernel_{label}_s"] = round(k_cpu, 1)
                out[name] = row
        return out

    def snapshot(self, available_now, available_before):
        """Memory of every student now (meant for an idle moment), and the machine's change since the start."""
        rows = [self._measure(name) for name in self.servers]
        n = len(rows)
        rss = [r[0] / MB for r in rows]
        pss = [r[1] / MB for r in rows]
        return {"per_student_rss_mb": round(statistics.fmean(rss)), "per_student_rss_mb_max": round(max(rss)),
                "per_student_pss_mb": round(statistics.fmean(pss)), "per_student_pss_mb_max": round(max(pss)),
                "kernels_per_student": round(statistics.fmean(len(r[3]) for r in rows), 2),
                "machine_used_mb_per_student": round((available_before - available_now) / MB / n),
                "note": "machine_used is the drop in available memory since before the hub started, over N; "
                        "other jobs on the machine move it"}

    def load_summary(self):
        values = [v for _, v in self.load]
        return {"max_1min": round(max(values), 2), "mean_1min": round(statistics.fmean(values), 2),
                "samples": [[t, round(v, 2)] for t, v in self.load]}

"""The load the load tests put on a server, and what it measured: Python reader threads
(Stats, drive, phase) or wrk (wrk_phase, Debian's package wrk, which the project does not
install), and the percentiles and table rows both are printed with.

bench/load.py runs the scenarios (readers, hostile searchers and ingestion at once; the
page cache's phases) with these. Every request goes to 127.0.0.1 with a timeout, every
thread stops at a deadline or a request cap, and wrk runs for a set time under a timeout.
"""

import http.client
import random
import re
import subprocess
import threading
import time
from collections import Counter, defaultdict

from serving import HOST, REQUEST_TIMEOUT, get

MAX_REQUESTS_PER_THREAD = 200_000
WRK = "wrk"


class Stats:
    def __init__(self):
        self.lock = threading.Lock()
        self.samples = defaultdict(list)  # (group, label) -> [seconds]
        self.errors = Counter()  # (group, label) -> n
        self.statuses = defaultdict(Counter)  # (group, label) -> status -> n

    def add(self, group, label, seconds, status):
        ok = isinstance(status, int) and 200 <= status < 400
        with self.lock:
            self.samples[group, label].append(seconds)
            self.statuses[group, label][status] += 1
            if not ok:
                self.errors[group, label] += 1


def drive(port, group, targets, stats, deadline, seed, headers=None):
    """Fetch the targets round robin until the deadline (or the request cap), each request
    with `headers`."""
    rng = random.Random(seed)
    order = list(targets)
    rng.shuffle(order)
    for n in range(MAX_REQUESTS_PER_THREAD):
        if time.monotonic() >= deadline:
            return
        label, path = order[n % len(order)]
        started = time.perf_counter()
        try:
            status, _ = get(port, path, timeout=REQUEST_TIMEOUT, headers=headers)
        except (OSError, http.client.HTTPException) as exc:
            status = type(exc).__name__
        stats.add(group, label, time.perf_counter() - started, status)


def pct(sorted_values, p):
    if not sorted_values:
        return float("nan")
    k = min(len(sorted_values) - 1, max(0, round(p / 100 * len(sorted_values) + 0.5) - 1))
    return sorted_values[k]


def row(label, values, errors, elapsed):
    v = sorted(values)
    latencies = [pct(v, p) for p in (50, 90, 99)]
    return line(label, len(v), errors, latencies, len(v) / elapsed, digits=0)


def line(label, requests, errors, latencies, rate, digits=1) -> str:
    """A table row: requests, errors, p50/p90/p99 in ms (`latencies` in seconds), req/s."""
    ms = " ".join(f"{seconds * 1000:>8.{digits}f}" for seconds in latencies)
    return f"  {label[:44]:<44} {requests:>6} {errors:>6} {ms} {rate:>7.1f}"


def wrk_version() -> str:
    done = subprocess.run([WRK, "--version"], capture_output=True, text=True, timeout=10)
    return (done.stdout or done.stderr).split(" [")[0].strip() or "wrk"


WRK_UNITS = {"us": 1e-6, "ms": 1e-3, "s": 1.0}
PERCENTILES = (50, 90, 99)


class Phase:
    """What one phase of load measured, from wrk or from the Python readers alike:
    requests, errors, latency percentiles (seconds), requests/s and, from the readers,
    the statuses answered."""

    def __init__(self, requests: int, errors: int, latency: dict, rate: float, statuses=None):
        self.requests, self.errors, self.latency, self.rate = requests, errors, latency, rate
        self.statuses = statuses or {}

    @classmethod
    def of_wrk(cls, output: str) -> "Phase":
        def number(pattern, default=None):
            found = re.search(pattern, output, re.MULTILINE)
            if found is None and default is None:
                raise SystemExit(f"wrk printed no {pattern!r}:\n{output}")
            return found.groups() if found else default

        latency = {}
        for p in PERCENTILES:
            value, unit = number(rf"^\s*{p}%\s+([\d.]+)(us|ms|s)\s*$")
            latency[p] = float(value) * WRK_UNITS[unit]
        socket = number(r"connect (\d+), read (\d+), write (\d+), timeout (\d+)", ("0",) * 4)
        errors = int(number(r"Non-2xx or 3xx responses: (\d+)", ("0",))[0])
        return cls(
            requests=int(number(r"^\s*(\d+) requests in")[0]),
            errors=errors + sum(map(int, socket)),
            latency=latency,
            rate=float(number(r"^Requests/sec:\s*([\d.]+)")[0]),
        )

    @classmethod
    def of_readers(cls, stats: Stats, label: str, seconds: float) -> "Phase":
        samples = sorted(stats.samples["readers", label])
        return cls(
            requests=len(samples),
            errors=stats.errors["readers", label],
            latency={p: pct(samples, p) for p in PERCENTILES},
            rate=len(samples) / seconds,
            statuses=dict(stats.statuses["readers", label]),
        )

    def row(self, label: str) -> str:
        latencies = [self.latency[p] for p in PERCENTILES]
        return line(label, self.requests, self.errors, latencies, self.rate)


def wrk_phase(
    port: int, label: str, path: str, connections: int, seconds: float, headers: dict
) -> Phase:
    """phase(), the load from wrk (Debian's package): one path for `seconds` over
    `connections` connections in (at most) two threads; bounded by its own duration and a
    timeout."""
    threads = min(2, connections)  # wrk wants a connection for each thread at least
    command = [WRK, "-t", str(threads), "-c", str(connections), "-d", f"{seconds:.0f}s"]
    command += ["--latency"]
    command += ["--timeout", f"{REQUEST_TIMEOUT:.0f}s"]
    for name, value in headers.items():
        command += ["-H", f"{name}: {value}"]
    done = subprocess.run(
        [*command, f"http://{HOST}:{port}{path}"],
        capture_output=True,
        text=True,
        timeout=seconds + REQUEST_TIMEOUT + 10,
        check=True,
    )
    return Phase.of_wrk(done.stdout)


def phase(port: int, label: str, path: str, readers: int, seconds: float, headers: dict) -> Phase:
    """Readers fetching one path for `seconds`, each request with `headers`."""
    stats = Stats()
    deadline = time.monotonic() + seconds
    threads = [
        threading.Thread(
            target=drive,
            args=(port, "readers", [(label, path)], stats, deadline, i, headers),
            daemon=True,
        )
        for i in range(readers)
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=seconds + REQUEST_TIMEOUT + 5)
    return Phase.of_readers(stats, label, seconds)

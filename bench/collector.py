"""Benchmark: what Python's garbage collector costs the uncached timeline, with and without
the long-lived objects set aside (tradewatch/long_lived.py, called by gunicorn.conf.py).

    .venv/bin/python bench/collector.py [--database-url sqlite:////tmp/tw_bench_pages/pages_1000.sqlite3]
                                        [--requests 20] [--path /]

Prints figures; asserts nothing. Give it a database bench/pages.py built (the default is
its 1,000-event SQLite build; it is only read, never written). Each mode runs in a fresh
Python process, as a gunicorn worker would: Django set up, DEBUG off, one request of the
page to build what is built lazily (URL resolver, templates, translations), then
--requests requests with the page cache emptied before each, through django.test.Client:

- as is: the collector as Python leaves it;
- set aside: tradewatch.long_lived.set_aside() after setting up and again after the first
  request, as gunicorn.conf.py does.

For each: wall time a request (median, p90, max, mean) and CPU time (mean), the collections of each
generation and the time spent in them (gc.callbacks), and the objects the collector still
walks at the end (gc.get_objects() of every generation, the frozen ones excluded).
"""

import argparse
import gc
import json
import os
import statistics
import sys
import time

from load import pct
from scratch import check_target, machine, run

DEFAULT = "sqlite:////tmp/tw_bench_pages/pages_1000.sqlite3"
MODES = ("as is", "set aside")


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", default=DEFAULT, help="a bench/pages.py build")
    parser.add_argument("--requests", type=int, default=20, help="uncached requests a mode")
    parser.add_argument("--path", default="/", help="the page to request")
    args = parser.parse_args(argv)
    config = check_target(args.database_url)
    if config["ENGINE"].endswith("sqlite3") and not os.path.exists(config["NAME"]):
        raise SystemExit(
            f"{config['NAME']} does not exist: build it first "
            "(.venv/bin/python bench/pages.py --build-only --engines sqlite --sizes 1000)"
        )
    if not 1 <= args.requests <= 500:
        parser.error("--requests: 1 to 500")
    results = {}
    for mode in MODES:
        done = run(
            __file__, "measure", mode, str(args.requests), args.path, database=args.database_url
        )
        results[mode] = json.loads(done.stdout)
    first = results[MODES[0]]
    print(f"Machine: {first['machine']}")
    print(
        f"{args.path} on {args.database_url}: {first['bytes']:,} bytes, "
        f"{args.requests} uncached requests a mode, each mode in a fresh process\n"
    )
    print(
        f"  {'mode':<10} {'wall p50':>9} {'p90':>7} {'max':>7} {'mean':>7} {'CPU/req':>8} "
        f"{'gen-2 runs':>10} {'gen-2 ms/req':>12} {'gen 0+1 ms/req':>14} "
        f"{'walked':>9} {'frozen':>9}"
    )
    for mode, r in results.items():
        n = r["requests"]
        print(
            f"  {mode:<10} {r['p50']:>9.1f} {r['p90']:>7.1f} {r['max']:>7.1f} {r['mean']:>7.1f} "
            f"{r['cpu'] / n:>8.1f} {r['runs'][2]:>10} {r['gc ms'][2] / n:>12.1f} "
            f"{(r['gc ms'][0] + r['gc ms'][1]) / n:>14.1f} {r['walked']:>9,} {r['frozen']:>9,}"
        )
    print(
        "\n(ms; walked = objects in the collector's generations at the end, the ones a full "
        "collection goes through; frozen = set aside, never walked again)"
    )
    return 0


def measure(mode: str, requests: int, path: str) -> dict:
    """One mode, in this (fresh) process: the figures as a dict."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tradewatch.settings")
    import django

    django.setup()
    from django.conf import settings
    from django.core.cache import cache
    from django.db import connection
    from django.test import Client

    from tradewatch.long_lived import set_aside

    settings.DEBUG = False
    if mode == "set aside":  # its log line goes to stderr (and LOG_LEVEL is ERROR here)
        set_aside()
    client = Client()
    response = client.get(path)
    if response.status_code != 200:
        raise SystemExit(f"{path} answered {response.status_code}")
    if mode == "set aside":
        set_aside()

    runs, spent, started = [0, 0, 0], [0.0, 0.0, 0.0], {}

    def timed(phase, info):
        if phase == "start":
            started["at"] = time.perf_counter()
        else:
            generation = info["generation"]
            runs[generation] += 1
            spent[generation] += (time.perf_counter() - started.pop("at")) * 1000

    walls = []
    gc.callbacks.append(timed)
    cpu = time.process_time()
    for _ in range(requests):
        cache.clear()
        start = time.perf_counter()
        client.get(path)
        walls.append((time.perf_counter() - start) * 1000)
    cpu = (time.process_time() - cpu) * 1000
    gc.callbacks.remove(timed)
    walls.sort()
    return {
        "machine": machine(connection.vendor),
        "bytes": len(response.content),
        "requests": requests,
        "p50": statistics.median(walls),
        "p90": pct(walls, 90),  # as bench/load.py reports it
        "max": walls[-1],
        "mean": statistics.fmean(walls),
        "cpu": cpu,
        "runs": runs,
        "gc ms": spent,
        "walked": len(gc.get_objects()),
        "frozen": gc.get_freeze_count(),
    }


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] == "measure":
        mode, requests, path = sys.argv[2], int(sys.argv[3]), sys.argv[4]
        print(json.dumps(measure(mode, requests, path)))
        sys.exit(0)
    sys.exit(main())

"""Benchmark: how long the pipeline takes per report, against dateparser's search_dates.

    .venv/bin/python bench/pipeline.py [ROUNDS]

Prints figures; asserts nothing. The comparison is why articles.pipeline.dates finds candidates
with patterns before parsing them: search_dates over whole texts is the slow, noisy
alternative the design warns about.
"""

import statistics
import sys
import time
from datetime import datetime
from datetime import time as clock
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from dateparser.search import search_dates  # noqa: E402

from articles.pipeline.analysis import analyse  # noqa: E402
from articles.reports import decode, parse_report  # noqa: E402


def timed(fn, rounds):
    samples = []
    for _ in range(rounds):
        start = time.perf_counter()
        fn()
        samples.append(time.perf_counter() - start)
    return statistics.median(samples), min(samples)


def main(rounds: int = 5):
    reports = [
        parse_report(decode(p.read_bytes()), p.name)
        for p in sorted((ROOT / "fixtures" / "reports").glob("*.txt"))
    ]
    chars = sum(len(r.body) for r in reports)
    print(f"{len(reports)} seed reports, {chars} characters, {rounds} rounds each")

    def pipeline():
        for r in reports:
            analyse(r.body, r.published)

    first = time.perf_counter()
    pipeline()  # the first round fills the parse cache and compiles dateparser's data
    print(f"pipeline, first round:     {1000 * (time.perf_counter() - first):8.1f} ms")
    median, best = timed(pipeline, rounds)
    print(f"pipeline, warm:            {1000 * median:8.1f} ms median, {1000 * best:.1f} ms best")
    print(f"  per report:              {1000 * median / len(reports):8.1f} ms")
    claims = sum(len(analyse(r.body, r.published).claims) for r in reports)
    print(f"  claims found:            {claims:8d}")

    def whole_text_search():
        return [
            search_dates(
                r.body,
                languages=["en"],
                settings={"RELATIVE_BASE": datetime.combine(r.published, clock())},
            )
            or []
            for r in reports
        ]

    median, _ = timed(whole_text_search, rounds)
    found = [words for hits in whole_text_search() for words, _ in hits]
    print(f"search_dates, whole texts: {1000 * median:8.1f} ms median, {len(found)} 'dates':")
    print("  " + ", ".join(repr(words) for words in found[:20]) + ", …")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 5)

"""Reports analysed ahead, in processes of their own, while the door writes the ones before.

The analysis (articles.pipeline.analyse) reads no database: it needs only the report's
text and day, the topics' keywords and the timeline's dates around that day, which the
door reads anyway. It is a quarter of a report's time in the batch door, spent while the
batch's transaction holds the write lock (SQLite's only one). With Analysts, a batch's
reports are analysed in other processes while this one writes: on two CPUs, a report
costs the door its writes, and the analysis of the next report runs beside them.

    with Analysts() as analysts:
        results = ingest_reports(reports, analysts=analysts)

The analysts also make each report's wire signature (articles.pipeline.wire), which
needs no database either. The door (articles.services) asks for each report's when it
gets to it, and makes them itself if the analysts cannot (their process died, or it
raised): the result is the same either way, only slower. The processes are forked, so they start
with everything this one has loaded; they never touch the database, and they end when
the `with` block does.
"""

import multiprocessing
from concurrent.futures import Future, ProcessPoolExecutor
from datetime import date

from .pipeline.analysis import Analysis, analyse
from .pipeline.dates import Known
from .pipeline.wire import signature, signed_text


class Analysts:
    """A pool of `processes` analysing reports (articles.pipeline.analyse) ahead."""

    def __init__(self, processes: int = 1):
        if processes < 1:
            raise ValueError("Analysts needs at least one process")
        self.processes = processes
        self.pool: ProcessPoolExecutor | None = None

    def __enter__(self) -> "Analysts":
        # Forked: a worker starts at once, with the pipeline's compiled patterns and word
        # lists already in memory (spawning one re-imports Django and the pipeline).
        self.pool = ProcessPoolExecutor(
            max_workers=self.processes, mp_context=multiprocessing.get_context("fork")
        )
        return self

    def __exit__(self, *exc) -> None:
        pool, self.pool = self.pool, None
        if pool is not None:
            pool.shutdown(wait=True, cancel_futures=True)

    def submit(
        self, body: str, published: date, topics: dict[str, list[str]], known: tuple[Known, ...]
    ) -> Future:
        """The future (Analysis, signature) of the report: made_ahead()'s."""
        if self.pool is None:
            raise RuntimeError("Analysts are used inside their `with` block")
        return self.pool.submit(made_ahead, body, published, topics, known)


def made_ahead(
    body: str, published: date, topics: dict[str, list[str]], known: tuple[Known, ...]
) -> tuple[Analysis, bytes | None]:
    """What an analyst makes of a report: analyse(body, published, topics, known), and the
    wire signature of its passages (articles.pipeline.wire), which needs no database
    either and which the door would otherwise make while it holds the write lock."""
    analysis = analyse(body, published, topics, known)
    return analysis, signature(signed_text(analysis.passages))


class Ahead:
    """What one batch asked of its analysts, by report: made() gives a report's analysis
    and signature when they were asked for with the same inputs, else None (the door then
    makes them itself)."""

    def __init__(self):
        self._futures: dict[tuple[str, date], tuple[dict, tuple, Future]] = {}

    def ask(self, analysts: Analysts, body: str, published: date, topics, known) -> None:
        future = analysts.submit(body, published, topics, known)
        self._futures[body, published] = (topics, known, future)

    def made(
        self, body: str, published: date, topics, known
    ) -> tuple[Analysis, bytes | None] | None:
        asked = self._futures.pop((body, published), None)
        if asked is None or asked[:2] != (topics, known):
            return None
        try:
            return asked[2].result()
        except Exception:  # noqa: BLE001 — a dead process, or an analysis that raised:
            return None  # the door analyses it itself, and says what went wrong if it fails

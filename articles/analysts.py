"""Reports analysed ahead, in processes of their own, while the door writes the ones before.

The analysis (articles.pipeline.analyse) reads no database: it needs only the report's
text and day, the topics' keywords and the timeline's dates around that day, which the
door reads anyway. Nor does the wire signature of its passages (articles.pipeline.wire).
Together they are nearly half of a report's time in the batch door, spent while the
batch's transaction holds the write lock (SQLite's only one). With Analysts, other
processes make them for a batch's reports while this one writes:

    with Analysts() as analysts:
        results = ingest_reports(reports, analysts=analysts)

The door (articles.services) asks for each report's when it gets to it, and makes them
itself if the analysts cannot (their process died, or the analysis raised): the result
is the same either way, only slower.

Each analyst is a forked process (it starts at once, with the pipeline's compiled
patterns and word lists already in memory) joined to this one by a pipe: a batch's
reports go to it in one message, and it sends back what it made of each, in order, as
it goes. No thread of this process relays them (as concurrent.futures' would, taking
the interpreter's lock from the writes for every report): the door reads a report's
answer from the pipe when it needs it. The analysts never touch the database, and end
when the `with` block does.
"""

import logging
import multiprocessing
import queue
import threading
from datetime import date
from itertools import count

from tradewatch.long_lived import set_aside

from .pipeline.analysis import Analysis, analyse
from .pipeline.dates import Known
from .pipeline.wire import signature, signed_text

logger = logging.getLogger(__name__)

# How long the end of the `with` block waits for an analyst to finish before stopping it.
STOP_SECONDS = 10
# A report of one sentence, with a date for the date parser and words enough to sign.
WARM_UP = (
    "On October 30, 2025, President Trump and President Xi met in Busan, South Korea, and "
    "agreed to a one-year truce in the trade war that had raised tariffs on both sides, "
    "officials said on Thursday."
)


def made_ahead(
    body: str, published: date, topics: dict[str, list[str]], known: tuple[Known, ...]
) -> tuple[Analysis, bytes | None]:
    """What an analyst makes of a report: analyse(body, published, topics, known), and the
    wire signature of its passages, which the door would otherwise make while it holds
    the write lock."""
    analysis = analyse(body, published, topics, known)
    return analysis, signature(signed_text(analysis.passages))


def warm_up() -> None:
    """Load what the pipeline and the signature load when first used: the date parser's
    data, numpy, datasketch and scipy, a third of a second."""
    made_ahead(WARM_UP, date(2025, 10, 31), {}, ())


def ready_to_ingest() -> int:
    """Ready this process for a long ingest (manage.py ingest calls it before the first
    report): what the pipeline loads, loaded, then all the process holds set aside from the
    garbage collector (tradewatch.long_lived). Else every full collection of the ingest
    walks Django's, the pipeline's and the date parser's objects again, 150 ms each, one
    every 200 reports or so: a seventh of the writer's time (docs/performance.md, "Thirteenth
    pass"). Processes forked after it (the analysts, --jobs on PostgreSQL) inherit what it
    set aside. Returns how many objects are set aside in all."""
    warm_up()
    return set_aside()


def _work(pipe) -> None:
    """An analyst's life: each message is a list of (number, report's inputs); each
    report's answer goes back as (number, made_ahead(...)), or (number, None) when that
    raised. None, or the pipe closing, ends it.

    Messages are taken in as they come, by a thread of the analyst's own: the door may
    send the next batch's reports before it has read every answer to the last, and
    neither must wait for the other with a full pipe."""
    jobs: queue.SimpleQueue = queue.SimpleQueue()

    def take_in():
        while True:
            try:
                message = pipe.recv()
            except (EOFError, OSError):
                message = None
            jobs.put(message)
            if message is None:
                return

    threading.Thread(target=take_in, daemon=True).start()
    while (batch := jobs.get()) is not None:
        for number, inputs in batch:
            try:
                made = made_ahead(*inputs)
            except Exception:  # noqa: BLE001 — the door analyses it again and says why it fails
                made = None
            try:
                pipe.send((number, made))
            except Exception:  # noqa: BLE001 — an answer that cannot be sent: the door's to make
                pipe.send((number, None))


class Analysts:
    """`processes` analysts, started by `with` and stopped at its end."""

    def __init__(self, processes: int = 1):
        if processes < 1:
            raise ValueError("Analysts needs at least one process")
        self.processes = processes
        self.running: list[tuple[multiprocessing.Process, object]] = []
        self.numbers = count()  # each report asked for, across batches

    def __enter__(self) -> "Analysts":
        # Loaded once, here, for the analysts to start with; the door's wire grouping
        # uses it too.
        warm_up()
        context = multiprocessing.get_context("fork")
        for _ in range(self.processes):
            ours, theirs = context.Pipe()
            process = context.Process(target=_work, args=(theirs,), daemon=True)
            process.start()
            theirs.close()
            self.running.append((process, ours))
        return self

    def __exit__(self, *exc) -> None:
        running, self.running = self.running, []
        for _, pipe in running:
            try:
                pipe.send(None)
            except OSError:
                pass  # gone already
        for process, pipe in running:
            process.join(STOP_SECONDS)
            if process.is_alive():
                process.kill()
                process.join()
            pipe.close()

    def send(self, share: int, jobs: list) -> bool:
        """Send an analyst its jobs; False when its process is gone."""
        try:
            self.running[share][1].send(jobs)
        except OSError:
            return False
        return True


class Ahead:
    """What the door asks of the analysts (ask(), a batch or two at a time): made() gives a
    report's (analysis, signature) when they were asked for with the same inputs, else
    None (the door then makes them). finish() reads what was asked and not taken, so that
    the pipes are clear for whatever asks next."""

    def __init__(self, analysts: Analysts):
        self.analysts = analysts
        self._asked: dict[tuple[str, date], tuple[tuple, int, int]] = {}
        self._waiting: list[int] = [0] * len(analysts.running)  # answers not read yet
        self._answers: dict[int, object] = {}  # read, not yet taken
        self._lost: set[int] = set()  # analysts whose process died

    def ask(self, reports: list[tuple]) -> None:
        """Send the reports' inputs (body, published, topics, known) to the analysts,
        shared out in turn. A report asked for already is not asked again."""
        analysts = self.analysts
        shares: list[list] = [[] for _ in analysts.running]
        for inputs in reports:
            if (inputs[0], inputs[1]) in self._asked:
                continue
            body, published, *rest = inputs
            number = next(analysts.numbers)
            share = number % len(shares)
            shares[share].append((number, inputs))
            self._asked[body, published] = (tuple(rest), share, number)
            self._waiting[share] += 1
        for share, jobs in enumerate(shares):
            if jobs and share not in self._lost and not analysts.send(share, jobs):
                self._lose(share)

    def _lose(self, share: int) -> None:
        if share not in self._lost:
            logger.warning("an analyst stopped; the door analyses its reports itself")
        self._lost.add(share)
        self._waiting[share] = 0

    def made(self, body: str, published: date, topics, known) -> tuple | None:
        asked = self._asked.pop((body, published), None)
        if asked is None:
            return None
        inputs, share, number = asked
        while number not in self._answers and not self._read(share):
            pass
        made = self._answers.pop(number, None)
        return made if inputs == (topics, known) else None

    def _read(self, share: int) -> bool:
        """Read the analyst's next answer; True when there is none to read (all read, or
        its process is gone)."""
        if share in self._lost or not self._waiting[share]:
            return True
        try:
            number, made = self.analysts.running[share][1].recv()
        except Exception:  # noqa: BLE001 — a dead process (EOFError), a broken answer
            self._lose(share)
            return True
        self._waiting[share] -= 1
        self._answers[number] = made
        return False

    def finish(self) -> None:
        for share in range(len(self._waiting)):
            while not self._read(share):
                pass
        self._answers.clear()
        self._asked.clear()

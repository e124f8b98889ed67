"""The baseline the ingest benchmark measures the pipeline against: dateparser's
search_dates over whole texts (languages=["en"], RELATIVE_BASE the publication date,
PREFER_DATES_FROM "current_period"), timed, and both scored on the seeds' gold date
mentions (tests/data/gold_dates.json) by the rule of tests/articles/test_dates.py: a
mention is found when a match overlaps its words in its sentence and resolves right.
search_dates gives substrings: each is located in the text, in order, to get its offsets.
"""

import time
from datetime import date, datetime
from datetime import time as clock
from types import SimpleNamespace

from reports import Seed


def search_settings(published: date) -> dict:
    return {
        "RELATIVE_BASE": datetime.combine(published, clock()),
        "PREFER_DATES_FROM": "current_period",
    }


def whole_text_dates(raw: str, published: date) -> list[tuple[str, datetime]]:
    from dateparser.search import search_dates

    return search_dates(raw, languages=["en"], settings=search_settings(published)) or []


def search_dates_pass(inputs) -> list[float]:
    """search_dates over each whole text once: the seconds of each."""
    times = []
    for raw, published, *_ in inputs:
        start = time.perf_counter()
        whole_text_dates(raw, published)
        times.append(time.perf_counter() - start)
    return times


# --- recall on the gold ----------------------------------------------------------------


def located(text: str, found: list[str]) -> list[tuple[int, int] | None]:
    """Offsets of each substring search_dates returned, found in order in the text."""
    spans, cursor = [], 0
    for words_ in found:
        at = text.find(words_, cursor)
        if at < 0:
            at = text.find(words_)
        if at < 0:
            spans.append(None)
            continue
        spans.append((at, at + len(words_)))
        cursor = at + len(words_)
    return spans


def gold_recall(seeds: list[Seed], keywords) -> dict:
    """Both recalls on the seeds' gold mentions, and how many matches each returned."""
    from articles.pipeline.analysis import analyse
    from articles.services import known_dates
    from tests.articles.test_dates import resolves_right
    from tests.seeds import load_gold

    gold = {r["file"]: r for r in load_gold()["reports"]}
    out = {"mentions": 0, "pipeline": 0, "search_dates": 0, "unlocated": 0}
    out |= {"pipeline_matches": 0, "search_dates_matches": 0, "missed": []}
    for seed in seeds:
        entry = gold[seed.path.name]
        published = date.fromisoformat(entry["published"])
        raw = seed.report.body
        analysis = analyse(raw, published, keywords, tuple(known_dates(published)))
        body = analysis.body
        ours = [
            (claim.start + m.start, claim.start + m.end, m)
            for claim in analysis.claims
            for m in claim.dates
        ]
        hits = whole_text_dates(raw, published)
        theirs = [
            (span[0], span[1], SimpleNamespace(date_start=dt.date(), date_end=dt.date()))
            for span, (_, dt) in zip(located(raw, [w for w, _ in hits]), hits, strict=True)
            if span is not None
        ]
        out["unlocated"] += len(hits) - len(theirs)
        out["pipeline_matches"] += len(ours)
        out["search_dates_matches"] += len(hits)
        for mention in entry["mentions"]:
            mention = {**mention, "published": published}
            out["mentions"] += 1
            for name, text, matches in (("pipeline", body, ours), ("search_dates", raw, theirs)):
                at = text.find(mention["sentence"])
                if at < 0:
                    out["missed"].append((name, mention["mention"], "sentence not in the text"))
                    continue
                first = at + mention["sentence"].index(mention["mention"])
                last = first + len(mention["mention"])
                if any(
                    s < last and first < e and resolves_right(m, mention) for s, e, m in matches
                ):
                    out[name] += 1
                else:
                    out["missed"].append((name, mention["mention"], seed.path.name[:3]))
    return out

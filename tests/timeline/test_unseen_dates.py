"""Date mentions of reports the pipeline was not built on, scored as a user would check them.

tests/data/unseen/u*.txt are reports written by other outlets' hands (a US wire story, a
British business paper, state media, a newsletter, a markets story, an Asian daily, an
analysis, an explainer), and gold_dates_u*.json their date mentions checked by hand, blind
to the code. Each report goes in through `ingest --json` on the seeded timeline, the way an
editor's batch does, and every gold mention must come out of it resolved right: the same
rule as the seeds' gold file (a day inside the span, a month overlapping it, a span equal).
"""

import io
import json
from datetime import date

import pytest
from django.core.management import call_command

from tests.articles.test_dates import gold_range
from tests.seeds import ROOT

UNSEEN = ROOT / "tests" / "data" / "unseen"
GOLD = [
    {**mention, "file": report["file"], "published": report["published"]}
    for path in sorted(UNSEEN.glob("gold_dates_u*.json"))
    for report in json.loads(path.read_text(encoding="utf-8"))["reports"]
    for mention in report["mentions"]
]
BAR = 0.95


def _words(text: str) -> str:
    return " ".join(text.split())


@pytest.fixture
def ingested(seeded):
    """Every unseen report ingested on the seeded timeline: its claims by file name."""
    files = sorted({m["file"] for m in GOLD})
    out = io.StringIO()
    call_command("ingest", "--json", *[str(UNSEEN / f) for f in files], stdout=out)
    return {
        row["file"].rsplit("/", 1)[-1]: row["claims"]
        for row in json.loads(out.getvalue())["articles"]
    }


def resolved(mention: dict, claims: list[dict]) -> list[dict]:
    """The stored mentions that carry the gold words in the gold sentence, resolved right."""
    sentence, words = _words(mention["sentence"]), _words(mention["mention"])
    first, last, kind = gold_range(mention)
    right = []
    for claim in claims:
        said = _words(claim["sentence"])
        if sentence not in said and said not in sentence:
            continue
        for m in claim["mentions"]:
            text = _words(m["text"])
            if words not in text and text not in words:
                continue
            start, end = date.fromisoformat(m["start"]), date.fromisoformat(m["end"])
            if (
                (kind == "span" and (start, end) == (first, last))
                or (kind == "month" and start <= last and end >= first)
                or (kind == "day" and start <= first <= end)
            ):
                right.append(m)
    return right


def test_the_unseen_reports_and_their_gold_are_well_formed():
    assert len({m["file"] for m in GOLD}) >= 8 and len(GOLD) >= 150
    for m in GOLD:
        body = (UNSEEN / m["file"]).read_text(encoding="utf-8")
        assert m["sentence"] in body and m["mention"] in m["sentence"], m


def test_unseen_date_mentions_are_resolved_right(ingested, capsys):
    hits = [bool(resolved(m, ingested[m["file"]])) for m in GOLD]
    misses = [
        f"{m['file'].split('-')[0]} {m['published']} “{m['mention']}” → {m['resolves_to']}"
        f"{' – ' + m['resolves_to_end'] if m.get('resolves_to_end') else ''}"
        for m, hit in zip(GOLD, hits, strict=True)
        if not hit
    ]
    with capsys.disabled():
        print(f"\nunseen date mentions resolved right: {sum(hits)}/{len(hits)}")
        for miss in misses:
            print("  missed:", miss)
    assert sum(hits) / len(hits) >= BAR, misses

"""The reports the benchmarks ingest: the five seeds, and distinct reports made from them.

make_reports() makes N reports (ingest_report's keyword arguments): each a seed with its
publication date shifted by k weeks (0, +1, -1, +2, ... up to 26, never past today), its kept
paragraphs shuffled (a seeded RNG; what cleaning drops follows them), a title, outlet and URL
of its own. The door refuses a second report with the same cleaned text
(articles.services.content_hash), so no two orders repeat, nor a seed's own order.
report_file() writes one as a file `manage.py ingest` and `seed --fixtures` read.
"""

from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

from scratch import ROOT

MAX_SHIFT_WEEKS = 26


OUTLETS = (
    "Asia Markets Daily",
    "Pacific Trade Review",
    "The Commerce Ledger",
    "Harbor City Tribune",
    "Midwest Farm Bulletin",
    "Global Supply Chain News",
    "The Evening Courier",
)


@dataclass(frozen=True)
class Seed:
    path: Path
    report: object  # articles.reports.ReportInput


def load_seeds() -> list[Seed]:
    from articles.reports import decode, parse_report

    paths = sorted((ROOT / "fixtures" / "reports").glob("*.txt"))
    return [Seed(p, parse_report(decode(p.read_bytes()), source_name=p.name)) for p in paths]


def shift_weeks(j: int) -> int:
    """0, +1, -1, +2, -2, ... within MAX_SHIFT_WEEKS either way."""
    j %= 2 * MAX_SHIFT_WEEKS + 1
    return (j + 1) // 2 * (1 if j % 2 else -1)


def short_title(title: str, limit: int = 55) -> str:
    words, out = title.split(), ""
    for word in words:
        if len(out) + len(word) + 1 > limit:
            break
        out = f"{out} {word}".strip()
    return out or title[:limit]


def make_reports(seeds: list[Seed], count: int, rng, today: date, first: int = 1) -> list[dict]:
    """`count` distinct reports (ingest_report's keyword arguments), numbered from `first`."""
    from articles.pipeline.clean import clean
    from articles.services import content_hash

    seen = {content_hash(clean(s.report.body).text) for s in seeds}
    reports = []
    for n in range(first, first + count):
        seed = seeds[n % len(seeds)]
        base = seed.report
        k = shift_weeks(n // len(seeds))
        published = base.published + timedelta(weeks=k)
        if published > today:
            published -= timedelta(weeks=2 * abs(k))
        cleaned = clean(base.body)
        paragraphs = [p for p in cleaned.text.split("\n") if p.strip()]
        for _ in range(100):
            rng.shuffle(paragraphs)
            digest = content_hash("\n".join(paragraphs))
            if digest not in seen:
                break
        else:
            raise SystemExit(f"no new paragraph order left for {seed.path.name}")
        seen.add(digest)
        dropped = [r.text for r in cleaned.removed]
        body = "\n\n".join(paragraphs + dropped) + "\n"
        outlet = OUTLETS[(n * 3) % len(OUTLETS)]
        slug = outlet.lower().replace(" ", "-")
        reports.append(
            dict(
                title=f"{short_title(base.title)}: report {n}, {outlet}",
                outlet=outlet,
                published=published,
                body=body,
                url=f"https://{slug}.example/news/{n}-{seed.path.stem}" if base.url else "",
                byline=base.byline,
                published_estimated=base.published_estimated,
                published_note=f"the seed's date shifted {k:+d} weeks" if k else "",
                source_name=f"bench-{n}-{seed.path.name}",
            )
        )
    return reports


def report_file(report: dict) -> str:
    """A report (make_reports' keyword arguments) as a file articles.reports reads."""
    published = report["published"].isoformat()
    if report["published_estimated"]:
        published += " (estimated)"
    header = [
        f"Title: {report['title']}",
        f"Outlet: {report['outlet']}",
        f"URL: {report['url']}" if report["url"] else "",
        f"Published: {published}",
        f"Byline: {report['byline']}" if report["byline"] else "",
        f"Published-Note: {report['published_note']}" if report["published_note"] else "",
    ]
    return "\n".join(line for line in header if line) + "\n\n" + report["body"]

"""Reading a report file: a header block, a blank line, then the body.

    Title: US China Trade Deal
    Outlet: Daily Global Reports
    URL: https://dailyglobalreports.com/us-china-trade-talks-pause-tariffs
    Published: 2025-10-27 (estimated)
    Byline: Jane Doe

    The body, exactly as collected...

Pure: bytes in, a ReportInput out, or a ReportError that says what is wrong.
"""

import re
import unicodedata
from dataclasses import dataclass, field
from datetime import date, timedelta

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator

REQUIRED = ("title", "outlet", "published")
# Other spellings met in saved reports, mapped to our field names.
ALIASES = {
    "title": "title",
    "headline": "title",
    "outlet": "outlet",
    "source": "outlet",
    "publication": "outlet",
    "url": "url",
    "link": "url",
    "published": "published",
    "date": "published",
    "byline": "byline",
    "author": "byline",
    "by": "byline",
    "published-note": "published_note",
    "date-note": "published_note",
}
HEADER_LINE = re.compile(r"^(?P<key>[A-Za-z][A-Za-z -]{0,30}):[ \t]*(?P<value>.*?)\s*$")
HEADER_END = re.compile(r"\r?\n[ \t]*\r?\n")
PUBLISHED = re.compile(
    r"^(?P<date>\d{4}-\d{2}-\d{2})(?:\s*\((?P<note>estimated[^)]*)\))?$", re.IGNORECASE
)


# The largest report accepted, by any way in (ingest, admin, seed). A long policy speech
# runs to about 60,000 characters; a whole saved page of a live blog to a few hundred
# thousand. Beyond these the pipeline's time and memory stop being small (see README,
# "Limits"), so such a text is refused with a message rather than half-processed.
MAX_REPORT_CHARS = 1_000_000
MAX_PASSAGES = 5_000
# Header fields, as long as the columns that keep them.
MAX_LENGTHS = {"title": 300, "outlet": 200, "url": 500, "byline": 200, "published_note": 300}
# The talks TradeWatch follows began in 2018; an earlier date is a typo more often than an
# archive find. A date after today (plus a day for time zones) is always a mistake.
EARLIEST_PUBLISHED = date(1990, 1, 1)


class ReportError(ValueError):
    """A report that cannot go in, with a message a person can act on."""

    def as_sentence(self) -> str:
        """The message as a sentence, for a form or a message to an editor."""
        text = str(self)
        return text[:1].upper() + text[1:] + "."


def check_text(text: str) -> None:
    r"""Refuse a text no database can keep whole (NUL) or that is beyond the stated limit.

    >>> check_text("fine")
    >>> check_text("bad\x00byte")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    articles.reports.ReportError: the text contains a NUL character (position 3); ...
    """
    nul = text.find("\x00")
    if nul >= 0:
        raise ReportError(
            f"the text contains a NUL character (position {nul}); "
            "it is not text a report can hold: remove it and try again"
        )
    if len(text) > MAX_REPORT_CHARS:
        raise ReportError(
            f"the report is too long: {len(text):,} characters, "
            f"the limit is {MAX_REPORT_CHARS:,}; split it or trim what is not the report"
        )


def check_passages(count: int) -> None:
    if count > MAX_PASSAGES:
        raise ReportError(
            f"the report has too many paragraphs: {count:,}, the limit is {MAX_PASSAGES:,}"
        )


def shows(ch: str) -> bool:
    """Whether a character shows something: not a space, a zero-width or a control."""
    return not ch.isspace() and unicodedata.category(ch)[0] not in "CZ"


# What a header's URL must be: a web address (no ftp:, no mailto:).
WEB_ADDRESS = URLValidator(schemes=["http", "https"])


def check_header(
    *,
    title: str,
    outlet: str,
    url: str,
    byline: str,
    published: date,
    published_note: str = "",
    today: date,
) -> None:
    """Refuse a header a reader could not use: a field too long, an invisible title or
    outlet, a URL that is not a web address, a publication date before 1990 or after today.
    """
    values = {
        "title": title,
        "outlet": outlet,
        "url": url,
        "byline": byline,
        "published_note": published_note,
    }
    for name, value in values.items():
        check_text(value)
        if len(value) > MAX_LENGTHS[name]:
            raise ReportError(
                f"{name.replace('_', ' ')} is too long: {len(value)} characters, "
                f"the limit is {MAX_LENGTHS[name]}"
            )
    for name in ("title", "outlet"):
        if not any(map(shows, values[name])):  # read up to the first that shows
            raise ReportError(f"the {name} has no visible characters")
    if url:
        try:
            WEB_ADDRESS(url)
        except ValidationError:
            raise ReportError(f"bad URL {url!r}: expected an http(s) address") from None
    if published < EARLIEST_PUBLISHED:
        raise ReportError(
            f"publication date {published.isoformat()} is before "
            f"{EARLIEST_PUBLISHED.isoformat()}: check the year"
        )
    if published > today + timedelta(days=1):
        raise ReportError(
            f"publication date {published.isoformat()} is in the future "
            f"(today is {today.isoformat()})"
        )


@dataclass(frozen=True)
class ReportInput:
    title: str
    outlet: str
    published: date
    body: str
    url: str = ""
    byline: str = ""
    published_estimated: bool = False
    published_note: str = ""
    source_name: str = ""
    warnings: tuple[str, ...] = field(default=())

    def fields(self) -> dict:
        """The keyword arguments of articles.services.ingest_report."""
        return {name: value for name, value in vars(self).items() if name != "warnings"}


def decode(data: bytes) -> str:
    """UTF-8 text (a BOM is allowed), or a ReportError naming the first bad byte."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        bad = data[exc.start : exc.start + 1].hex()
        raise ReportError(
            f"not UTF-8 text: byte 0x{bad} at position {exc.start} cannot be decoded; "
            "save the report as UTF-8"
        ) from None


def parse_published(value: str) -> tuple[date, bool, str]:
    """'2025-10-27' or '2025-10-27 (estimated from ...)' → (date, estimated, note)."""
    match = PUBLISHED.match(value.strip())
    if not match:
        raise ReportError(
            f"bad Published date {value!r}: expected YYYY-MM-DD, "
            "optionally followed by '(estimated ...)'"
        )
    try:
        published = date.fromisoformat(match["date"])
    except ValueError:
        raise ReportError(f"bad Published date {value!r}: no such day") from None
    note = match["note"] or ""
    return published, bool(note), note


def parse_report(text: str, source_name: str = "") -> ReportInput:
    """Split a report's text into its header fields and its raw body."""
    # The body is kept byte for byte: only the header is normalised.
    blank = HEADER_END.search(text)
    header_text, body = (text[: blank.start()], text[blank.end() :]) if blank else (text, "")
    fields: dict[str, str] = {}
    warnings = []
    for number, line in enumerate(header_text.splitlines(), start=1):
        match = HEADER_LINE.match(line)
        if not match:
            if number == 1:
                raise ReportError(
                    "no header block: the file must start with 'Title:', 'Outlet:' and "
                    "'Published:' lines, then a blank line, then the body"
                )
            raise ReportError(
                f"malformed header line {number}: {line[:60]!r} is not 'Field: value' "
                "(is the blank line between header and body missing?)"
            )
        key = match["key"].strip().lower().replace(" ", "-")
        name = ALIASES.get(key)
        if name is None:
            warnings.append(f"unknown header field {match['key']!r} ignored")
            continue
        if name in fields:
            raise ReportError(f"header field {match['key']!r} appears twice (line {number})")
        fields[name] = match["value"]
    missing = [name for name in REQUIRED if not fields.get(name)]
    if missing:
        raise ReportError(
            "header is missing " + ", ".join(f"'{name.capitalize()}:'" for name in missing)
        )
    published, estimated, note = parse_published(fields["published"])
    note = fields.get("published_note") or note
    url = fields.get("url", "")
    if url and not re.match(r"^https?://\S+$", url):
        raise ReportError(f"bad URL {url!r}: expected an http(s) address")
    if not body.strip():
        raise ReportError("empty body: nothing follows the header block")
    return ReportInput(
        title=fields["title"],
        outlet=fields["outlet"],
        published=published,
        body=body,
        url=url,
        byline=fields.get("byline", ""),
        published_estimated=estimated,
        published_note=note,
        source_name=source_name,
        warnings=tuple(warnings),
    )

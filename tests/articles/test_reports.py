from datetime import date

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from articles.models import Article
from articles.reports import ReportError, check_header, decode, parse_report
from tests.strategies import run_together

GOOD = """Title: Talks resume
Outlet: Test Wire
URL: https://example.com/talks-resume
Published: 2025-10-27 (estimated)
Published-Note: from "on Sunday"
Byline: Jane Doe

Officials met on Sunday.
"""


def test_it_reads_every_header_field():
    report = parse_report(GOOD, source_name="talks.txt")
    assert report.title == "Talks resume"
    assert report.outlet == "Test Wire"
    assert report.url == "https://example.com/talks-resume"
    assert report.published == date(2025, 10, 27)
    assert report.published_estimated is True
    assert report.published_note == 'from "on Sunday"'
    assert report.byline == "Jane Doe"
    assert report.source_name == "talks.txt"


def test_the_body_is_kept_exactly_as_received():
    raw = (
        "Title: T\r\nOutlet: O\r\nPublished: 2025-10-27\r\n\r\n"
        "  Line one.\r\n\r\n\r\nLine two.  \r\n"
    )
    report = parse_report(raw)
    assert report.body == "  Line one.\r\n\r\n\r\nLine two.  \r\n"


def test_a_date_without_estimate_is_not_estimated():
    report = parse_report("Title: T\nOutlet: O\nPublished: 2025-10-25\n\nBody.")
    assert report.published_estimated is False


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("Officials met on Sunday in Kuala Lumpur.\n", "no header block"),
        ("Kuala Lumpur: officials met on Sunday.\n", "header is missing 'Title:'"),
        ("Just a body line without any colon\n\nMore.", "no header block"),
        ("Title: T\nOutlet: O\n\nBody.", "missing 'Published:'"),
        ("Title: T\nOutlet: O\nPublished: 27/10/2025\n\nBody.", "bad Published date"),
        ("Title: T\nOutlet: O\nPublished: 2025-02-30\n\nBody.", "no such day"),
        ("Title: T\nOutlet: O\nPublished: 2025-10-27\n\n   \n\n", "empty body"),
        ("Title: T\nOutlet: O\nPublished: 2025-10-27\n", "empty body"),
        (
            "Title: T\nOutlet: O\nthis line is broken\nPublished: 2025-10-27\n\nB.",
            "malformed header line 3",
        ),
        ("Title: T\nTitle: U\nOutlet: O\nPublished: 2025-10-27\n\nB.", "appears twice"),
        ("Title: T\nOutlet: O\nURL: not a url\nPublished: 2025-10-27\n\nB.", "bad URL"),
    ],
)
def test_a_bad_report_says_what_is_wrong(text, message):
    with pytest.raises(ReportError, match=message):
        parse_report(text)


def test_unknown_header_fields_are_reported_not_silently_dropped():
    report = parse_report("Title: T\nOutlet: O\nSection: World\nPublished: 2025-10-27\n\nB.")
    assert report.warnings == ("unknown header field 'Section' ignored",)


def test_decoding_names_the_bad_byte():
    with pytest.raises(ReportError, match=r"not UTF-8 text: byte 0xe9 at position 5"):
        decode(b"Title\xe9: T")


def test_decoding_accepts_a_byte_order_mark():
    assert decode("Title: T".encode("utf-8-sig")) == "Title: T"


# Web addresses and near misses: schemes, hosts and paths, some too long for the column.
SCHEMES = ["http://", "https://", "HTTPS://", "ftp://", "gopher://", "mailto:", "https:/", ""]
HOSTS = ["example.com", "news.example.co.uk", "localhost", "[::1]", "1.2.3.4", "xn--p1ai"]
HOSTS += ["exa mple.com", "é.com", "user@example.com", "example.com:80", "example.com:99999"]
HOSTS += ["-bad-.com", "_x.com", "example..com", ""]
PATHS = run_together(["/", "a", "%20", " ", "?q=1", "#x", "\u200b", "\n", "a" * 120, "a" * 400])


@given(url=st.tuples(st.sampled_from(SCHEMES), st.sampled_from(HOSTS), PATHS).map("".join))
@example(url="https://example.com/talks-resume")
@example(url="https://example.com/" + "a" * 481)  # a character longer than the column
def test_a_url_the_header_check_takes_is_one_the_article_field_takes(url):
    """The door leaves the URL out of the article's full_clean: check_header read it."""
    header = dict(title="Talks", outlet="Wire", byline="", published=date(2025, 10, 27))
    try:
        check_header(url=url, today=date(2025, 10, 28), **header)
    except ReportError:
        return
    Article._meta.get_field("url").clean(url, None)  # a ValidationError if it would not

"""Reading a saved web page: HTML bytes in, the report's text and header out.

An editor saves a news page from the browser ("Save page as… HTML") and gives it to the
admin or to `manage.py ingest`. trafilatura finds the main text (no navigation, adverts,
comments or footer) and the page's metadata (title, site name, author, publication date,
canonical URL); the HTML itself is kept as the report's raw input.

Pure: bytes in, a SavedPage out (read_page), or a ReportError that says what is wrong. The
report then goes through the one door, articles.services.ingest_report, with the page's
HTML as its raw_html.
"""

import base64
import codecs
import re
import zlib
from dataclasses import dataclass, field
from datetime import date

import trafilatura

from .reports import MAX_LENGTHS, ReportError, ReportInput, check_text

# An uploaded page is refused beyond this: a news page saved without its images weighs
# 100–800 KB; a live blog a few MB. The admin checks it before reading the file.
MAX_PAGE_BYTES = 5 * 1024 * 1024

# What a report cannot go in without (articles.reports.REQUIRED), and how the page calls them.
REQUIRED = ("title", "outlet", "published")
FIELD_WORDS = {"title": "title", "outlet": "site name (outlet)", "published": "publication date"}

# The HTML standard has browsers look for <meta charset> in the first 1024 bytes; pages
# saved by editors' tools sometimes put comments and scripts first, so look a little further.
CHARSET_PRESCAN_BYTES = 4096
META_CHARSET = re.compile(
    rb"""<meta[^>]+?charset\s*=\s*["']?\s*(?P<charset>[A-Za-z0-9._:-]+)""", re.IGNORECASE
)
LOOKS_LIKE_HTML = re.compile(r"<(?:!doctype\s+html|html|head|body|article|p)\b", re.IGNORECASE)
# Chrome and Internet Explorer write where a page came from at the top of a saved copy.
SAVED_FROM = re.compile(r"<!--\s*saved from url=\(\d+\)(?P<url>https?://[^\s>]+?)\s*-->")
WEB_ADDRESS = re.compile(r"^https?://[^\s/?#]+\.[^\s/?#]+\S*$")
BULLET = "• "

# trafilatura's settings. Comments are not the report; tables are (a schedule of tariff
# rates). The date is only one the page states in its markup (meta tags, JSON-LD, <time>,
# its URL), never htmldate's "extensive" guess from the words of the page, which would date
# a report by a date it mentions; the publication date is preferred to the last update
# (htmldate gives the update only when the page states nothing else).
EXTRACTION = {
    "with_metadata": True,
    "include_comments": False,
    "include_tables": True,
    "include_formatting": False,
    "include_links": False,
    "include_images": False,
    "date_extraction_params": {"extensive_search": False, "original_date": True},
}


@dataclass(frozen=True)
class SavedPage:
    """What a saved page says, as found: any of title, outlet and published may be empty."""

    html: str  # the page as decoded, kept whole
    text: str  # the main text: one paragraph, heading or list item per block, blank lines between
    title: str = ""
    outlet: str = ""
    byline: str = ""
    published: date | None = None
    url: str = ""
    source_name: str = ""
    warnings: tuple[str, ...] = field(default=())

    @property
    def missing(self) -> tuple[str, ...]:
        """The required fields the page did not give, in REQUIRED's order."""
        return tuple(name for name in REQUIRED if not getattr(self, name))

    def report(self, **given) -> ReportInput:
        """The report to ingest: the page's fields, replaced by those `given` (an editor's
        completion); a ReportError naming what is still missing."""
        fields = {
            "title": self.title,
            "outlet": self.outlet,
            "published": self.published,
            "url": self.url,
            "byline": self.byline,
        }
        fields.update(given)
        missing = [name for name in REQUIRED if not fields.get(name)]
        if missing:
            raise ReportError(
                "the page does not give its "
                + ", ".join(FIELD_WORDS[name] for name in missing)
                + "; upload it in the admin ('Upload a saved web page') to complete it"
            )
        return ReportInput(
            body=self.text, source_name=self.source_name, warnings=self.warnings, **fields
        )


def declared_charset(data: bytes) -> str | None:
    """The encoding a page declares (a byte-order mark, else <meta charset> or
    <meta http-equiv content="…; charset=…">), as Python's codec name; None if none.

    >>> declared_charset(b'<html><head><meta charset="windows-1252">')
    'cp1252'
    >>> declared_charset(b'<meta http-equiv="Content-Type" content="text/html; charset=UTF-8">')
    'utf-8'
    >>> declared_charset(b"<p>no declaration</p>") is None
    True
    """
    if data.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    match = META_CHARSET.search(data[:CHARSET_PRESCAN_BYTES])
    if not match:
        return None
    label = match["charset"].decode("ascii").lower()
    try:
        name = codecs.lookup(label).name
    except LookupError:
        raise ReportError(f"the page declares an unknown character set {label!r}") from None
    # As browsers do: a page saying ISO-8859-1 or ASCII is read as windows-1252, its superset.
    return "cp1252" if name in ("latin-1", "iso8859-1", "ascii") else name


def decode_page(data: bytes) -> str:
    """The page as text, in the encoding it declares (UTF-8 when it declares none); a
    ReportError for an empty file, bytes the encoding cannot read, or something not HTML."""
    if not data.strip():
        raise ReportError("the file is empty")
    if len(data) > MAX_PAGE_BYTES:
        raise ReportError(
            f"the page is too large: {len(data) / 1024 / 1024:.1f} MB, the limit is "
            f"{MAX_PAGE_BYTES // 1024 // 1024} MB; save it without images or scripts"
        )
    charset = declared_charset(data)
    try:
        html = data.decode(charset or "utf-8-sig")
    except UnicodeDecodeError as exc:
        bad = f"byte 0x{data[exc.start : exc.start + 1].hex()} at position {exc.start}"
        if charset:
            problem = f"the page declares {charset}, but {bad} is not {charset}"
        else:
            problem = f"the page declares no character set and is not UTF-8 ({bad})"
        raise ReportError(
            f"{problem}: it cannot be decoded; save the page again from the browser"
        ) from None
    if not LOOKS_LIKE_HTML.search(html[: CHARSET_PRESCAN_BYTES * 4]):
        raise ReportError("not an HTML page: no <html>, <body> or paragraph tag found")
    return html


def block_text(element) -> str:
    """One block of trafilatura's output as a line of text: its words with the page's
    whitespace folded as a browser shows it; a line break (<lb>) stays a line break."""
    parts = []
    for node in element.iter():
        if node.tag == "lb":
            parts.append("\n")
        elif node is not element and node.tag in ("cell", "item"):
            parts.append(" ")
        if node.text:
            parts.append(node.text)
        if node is not element and node.tail:
            parts.append(node.tail)
    lines = (" ".join(line.split()) for line in "".join(parts).split("\n"))
    return "\n".join(line for line in lines if line)


def body_text(body, title: str = "") -> str:
    """trafilatura's output tree as a report body: paragraphs, headings and list items
    (bulleted, as pasted reports have them), one per block, blank lines between.

    The page's headline repeats the title and is left out of the body, as in text reports.
    """
    blocks = []
    for element in body:
        if element.tag == "list":
            items = [block_text(item) for item in element.iter("item")]
            blocks.extend(BULLET + item for item in items if item)
        elif element.tag == "table":
            rows = [block_text(row) for row in element.iter("row")]
            blocks.extend(row for row in rows if row)
        else:
            text = block_text(element)
            if text:
                blocks.append(text)
    if blocks and title and folded(blocks[0]) == folded(title):
        blocks = blocks[1:]
    return "\n\n".join(blocks) + "\n" if blocks else ""


def folded(text: str) -> str:
    return " ".join(text.split()).casefold()


def read_page(data: bytes, source_name: str = "") -> SavedPage:
    """Decode a saved page, extract its main text and metadata."""
    return extract_page(decode_page(data), source_name)


def extract_page(html: str, source_name: str = "") -> SavedPage:
    """The main text and metadata of a page already decoded (read_page's second half; the
    admin's completion form reads its page again from what it kept)."""
    check_text(html)  # no NUL: the page is stored as text
    document = trafilatura.bare_extraction(html, **EXTRACTION)
    if document is None or document.body is None:
        raise ReportError("no main text found in the page: is it a saved article?")
    title = clean_field(document.title)
    text = body_text(document.body, title)
    if not text.strip():
        raise ReportError("no main text found in the page: is it a saved article?")
    warnings = []
    url = clean_field(document.url)
    saved_from = SAVED_FROM.search(html[:CHARSET_PRESCAN_BYTES])
    if not url and saved_from:
        url = saved_from["url"]
    if url and not (WEB_ADDRESS.match(url) and len(url) <= MAX_LENGTHS["url"]):
        warnings.append(f"the page's URL {url[:100]!r} is not a web address and was left out")
        url = ""
    return SavedPage(
        html=html,
        text=text,
        title=title,
        outlet=clean_field(document.sitename),
        byline=clean_field(document.author),
        published=date.fromisoformat(document.date) if document.date else None,
        url=url,
        source_name=source_name,
        warnings=tuple(warnings),
    )


def clean_field(value: str | None) -> str:
    return " ".join((value or "").split())


def pack(html: str) -> str:
    """The HTML compressed into ASCII, to wait in a session while an editor completes it
    (a 1 MB page packs to about 200 KB).

    >>> unpack(pack("<p>café</p>")) == "<p>café</p>"
    True
    """
    return base64.b64encode(zlib.compress(html.encode("utf-8"), 6)).decode("ascii")


def unpack(packed: str) -> str:
    return zlib.decompress(base64.b64decode(packed)).decode("utf-8")

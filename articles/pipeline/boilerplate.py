"""The boilerplate rules used by articles.pipeline.clean, kept as data.

Each rule is matched against one line of the body after it has been normalised and
stripped (see articles.pipeline.clean), so patterns are anchored at both ends (^...$): a rule
names the whole shape of a noise line, never a word that might also occur in a
sentence. "read", "reply", "share" or "contents" inside an ordinary sentence survive.

Scopes:
  "line"  drop this line only;
  "rest"  drop this line and every line after it (a comment form ends the article).

Order matters only in that the first matching rule names the removal.
"""

import re
from dataclasses import dataclass
from typing import Literal

Scope = Literal["line", "rest"]


@dataclass(frozen=True)
class Rule:
    name: str
    pattern: re.Pattern[str]
    scope: Scope = "line"

    def matches(self, line: str) -> bool:
        return self.pattern.search(line) is not None


def _rule(name: str, pattern: str, scope: Scope = "line", flags: int = re.IGNORECASE) -> Rule:
    return Rule(name, re.compile(pattern, flags), scope)


# A brand at the start of a line: one to six words that start with a capital or digit
# ("Industrial Monitor Direct", "Acme", "3M"). Case-sensitive on purpose (see below).
# A word and the space after it are possessive (*+, ++): handing a word's last letters or
# spaces back could never let what follows match (a word holds no space, a space is no word
# or verb), and trying to, letter by letter, at every line that opens with a capital, made
# this rule one of the two dearest.
_BRAND = r"(?:[A-Z0-9][\w&.'’-]*+\s++){1,6}"
_AD_VERB = r"(?:produces|offers|provides|delivers|manufactures|makes|supplies|builds|sells)"
_AD_SUPERLATIVE = (
    r"(?:the\s+)?(?:most\s+(?:advanced|reliable|trusted|rugged|innovative)|leading|best"
    r"|top(?:-rated)?|highest-rated|industry-leading|premier|#1)"
)
# What turns a boast into an advert: an endorsement. Without it, "Huawei produces the
# most advanced 5G systems" is a sentence a report might well make.
_AD_ENDORSEMENT = (
    r"(?:rated\s+#?1|#1\s+rated|top-rated|trusted\s+by|preferred\s+by|recommended\s+by"
    r"|chosen\s+by|(?:leading|trusted|preferred|go-to)\s+choice)"
)

# Labels that introduce a link to another story ("Also read: <title>").
_LINK_LABEL = (
    r"(?:also\s+read|read\s+also|read\s+more|must\s+read|see\s+also|don[’']t\s+miss|watch"
    r"|related(?:\s+(?:articles?|news|posts?|stories|story|coverage|reading|content))?"
    r"|recommended(?:\s+(?:reading|stories|for\s+you))?)"
)
# A time stamp and a date, as page furniture writes them: "3:15 PM EDT", "June 2, 2025",
# "2 June 2025", "2025-06-02", "06/02/2025".
_TIME = r"\d{1,2}[:.]\d{2}\s*(?:[ap]\.?m\.?)?(?:\s*[A-Z]{2,5})?"
_MONTHS = r"(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?"
_DATE = (
    rf"(?:{_MONTHS}\s+\d{{1,2}},?\s+\d{{4}}|\d{{1,2}}\s+{_MONTHS},?\s+\d{{4}}"
    r"|\d{4}-\d{2}-\d{2}|\d{1,2}/\d{1,2}/\d{4})"
)
_SOCIAL = r"(?:facebook|twitter|x|linkedin|whatsapp|telegram|reddit|pinterest|email|print)"

RULES: tuple[Rule, ...] = (
    # "Leave a Reply" opens the comment form: it and everything below it go.
    _rule(
        "comment-form",
        r"^(?:leave\s+a\s+(?:reply|comment)|post\s+a\s+comment|add\s+a\s+comment"
        r"|join\s+the\s+(?:discussion|conversation))(?:\s+cancel\s+reply)?\s*[.:!]?$",
        scope="rest",
    ),
    # Pieces of a comment form met without its heading.
    _rule(
        "comment-form",
        r"^(?:your\s+email\s+address\s+will\s+not\s+be\s+published\b.*"
        r"|required\s+fields\s+are\s+marked\b.*"
        r"|save\s+my\s+name,?\s+email,?\s+and\s+website\b.*"
        r"|notify\s+me\s+of\s+(?:follow-up\s+comments|new\s+posts)\b.*"
        r"|post\s+comment|cancel\s+reply|comments\s+are\s+closed\.?)$",
    ),
    # Ad slots: a bare label on its own line.
    _rule(
        "advertising",
        r"^(?:advertisements?|advert|ad|sponsored(?:\s+(?:content|post|links?))?"
        r"|(?:story\s+)?continues\s+below(?:\s+this)?\s+advertisement"
        r"|advertisement\s*[-–—:]?\s*scroll\s+to\s+continue(?:\s+with\s+content)?"
        r"|scroll\s+to\s+continue\s+with\s+content)\s*[.:]?$",
    ),
    # Inline adverts that sit on their own line: "<Brand> produces the most advanced ...
    # solutions rated #1 by ...". Case-sensitive only for the brand, which must be capitalised.
    _rule(
        "advertising",
        rf"^{_BRAND}(?i:{_AD_VERB}\s+{_AD_SUPERLATIVE}\b.*\b{_AD_ENDORSEMENT})",
        flags=0,
    ),
    # "Also read: <title>", "Read more — <title>", "Related | <title>" ...
    _rule("also-read", rf"^{_LINK_LABEL}\s*(?:[:|»]|\s[-–—])\s*\S.*$"),
    # ... and the bare labels of a link box ("Related Articles", "Read more").
    _rule(
        "also-read",
        r"^(?:also\s+read|read\s+also|read\s+more|related\s+(?:articles|news|posts|stories)"
        r"|you\s+(?:may|might)\s+also\s+like|more\s+stories|recommended\s+for\s+you)\s*:?$",
    ),
    _rule(
        "table-of-contents",
        r"^(?:table\s+of\s+contents|contents|in\s+this\s+article|on\s+this\s+page)\s*:?$",
    ),
    # Share buttons: "Share this:", "Click to share on X (Opens in new window)", "Like this:",
    # or a row of network names.
    _rule(
        "share",
        r"^(?:share(?:\s+(?:this|the)(?:\s+(?:article|story|post|page))?)?(?:\s+on\s+\w+)?"
        r"|share\s+via\b.*|click\s+to\s+(?:share|email|print)\b.*|like\s+this|tweet|copy\s+link"
        rf"|{_SOCIAL}|(?:{_SOCIAL}[\s|,·•/]*){{2,}})\s*:?$",
    ),
    _rule(
        "call-to-action",
        r"^(?:(?:subscribe|sign\s+up)\b.{0,100}\bnewsletter\b.{0,80}|follow\s+us\s+on\b.{0,80})$",
    ),
    # Page furniture: a dateline or time stamp ("AP Updated 3:15 PM EDT, June 2, 2025"),
    # a reading time ("Markets | 4 min read"), a market ticker. Publication metadata, not
    # the report's words: a dateline's date confirms or corrects an estimated publication
    # date (articles.services), and none of them is ever a claim.
    _rule(
        "dateline",
        rf"^(?:(?:AP|AFP|Reuters|Bloomberg|Xinhua|Kyodo|Yonhap)\s+)?"
        rf"(?:updated|published|posted|last\s+updated|first\s+published)\s*:?\s+"
        rf"(?:{_TIME}\s*,?\s*)?{_DATE}(?:\s*,?\s*(?:at\s+)?{_TIME})?\.?$",
    ),
    _rule(
        "reading-time",
        # The section name is possessive ({1,30}+): a separator is none of its characters,
        # so giving some back could only hand spaces to \s*, which would find the same
        # separator; trying to, at every line that opens with words, was this rule's cost.
        r"^(?:[\w&'’ -]{1,30}+\s*[|·•]\s*)?\d{1,3}\s*(?:-|\s)?min(?:ute)?s?\.?\s+read$",
    ),
    _rule(
        "ticker",
        r"^(?:[A-Z][A-Z0-9&. ]{1,14}\s+[\d,]+(?:\.\d+)?\s+[+\-−▲▼]\s?[\d.,]+%?"
        r"(?:\s*\([+\-−]?[\d.]+%\))?\s*[|·•]?\s*){2,}$",
        flags=0,
    ),
    # Photo captions' credits: "Photo: Reuters", "(Image credit: AFP)", "Photo by Jane Doe".
    _rule(
        "photo-credit",
        r"^\(?(?:file\s+)?(?:photo|image|picture|photograph)s?(?:\s+credit)?\s*(?::|by\b)"
        r"\s*[^.]{1,80}\)?$",
    ),
)

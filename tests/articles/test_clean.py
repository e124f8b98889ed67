"""articles.pipeline.clean on the five seed reports and on the shapes of noise they stand for."""

import doctest
import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import articles.pipeline.clean
from articles.pipeline import boilerplate
from articles.pipeline.boilerplate import RULES
from articles.pipeline.clean import (
    Removal,
    _first_rule,
    clean,
    normalise_line,
    normalised_lines,
    raw_lines,
)
from tests.seeds import SEED_NAMES
from tests.seeds import seed_raw_body as seed_body


def rules_removed(cleaned) -> list[str]:
    return [r.rule for r in cleaned.removed]


def test_module_examples():
    assert doctest.testmod(articles.pipeline.clean).failed == 0


# --- Each rule on the seed that carries it --------------------------------------------------


def test_inline_advertising_lines_in_seed_003_are_dropped():
    cleaned = clean(seed_body("003"))
    ads = [r for r in cleaned.removed if r.rule == "advertising"]
    assert [r.line for r in ads] == [3, 14]
    assert all(
        r.text.startswith("Industrial Monitor Direct produces the most advanced") for r in ads
    )
    assert "Industrial Monitor Direct" not in cleaned.text
    assert "rated #1" not in cleaned.text


def test_table_of_contents_in_seed_003_is_dropped():
    cleaned = clean(seed_body("003"))
    assert Removal("table-of-contents", "Table of Contents", 4) in cleaned.removed
    assert "Table of Contents" not in cleaned.text


def test_also_read_links_in_seed_002_are_dropped():
    cleaned = clean(seed_body("002"))
    assert rules_removed(cleaned) == ["also-read", "also-read"]
    assert [r.line for r in cleaned.removed] == [35, 43]
    assert cleaned.removed[1].text == (
        "Also read: Microsoft OpenAI deal: A Landmark Restructuring That Clears the Path for "
        "Massive AI Expansion"
    )
    assert "Also read" not in cleaned.text


def test_leave_a_reply_in_seed_001_drops_the_comment_form_after_it():
    cleaned = clean(seed_body("001"))
    assert cleaned.removed == (
        Removal("comment-form", "Leave a Reply", 62),
        Removal(
            "comment-form",
            "Your email address will not be published. Required fields are marked *",
            64,
        ),
    )
    assert cleaned.text.endswith("both US China want to prevent escalation, at least for now.")


def test_seeds_000_and_004_lose_nothing_but_whitespace():
    for prefix in ("000", "004"):
        assert clean(seed_body(prefix)).removed == ()


def test_trailing_blank_lines_of_seed_002_are_gone():
    cleaned = clean(seed_body("002"))
    assert cleaned.text.endswith("likely to shape global politics for years to come.")
    assert "\n\n\n" not in cleaned.text


def test_bullet_indentation_of_seed_001_is_dropped_but_the_bullet_kept():
    lines = clean(seed_body("001")).text.split("\n")
    assert "• Fentanyl and illegal drug trafficking concerns" in lines
    assert "• U.S.–China coordination regarding Russia’s war in Ukraine" in lines
    assert not any(line.startswith(" ") for line in lines)


# --- The same shapes, as unseen reports will carry them -------------------------------------


@pytest.mark.parametrize(
    "line",
    [
        "Acme Rugged Systems offers the leading field tablet solutions, trusted by utility crews.",
        "Nordic Panel Works provides the most reliable HMI displays, rated #1 by plant managers.",
        "Industrial Monitor Direct delivers top-rated kiosk solutions, the preferred choice of "
        "retailers.",
    ],
)
def test_advert_lines_of_the_same_shape_are_dropped(line):
    cleaned = clean(f"Talks resumed.\n{line}\nThey ended late.")
    assert cleaned.text == "Talks resumed.\nThey ended late."
    assert rules_removed(cleaned) == ["advertising"]


@pytest.mark.parametrize(
    ("line", "rule"),
    [
        ("Advertisement", "advertising"),
        ("ADVERTISEMENT", "advertising"),
        ("Story continues below advertisement", "advertising"),
        ("Also Read: Xi to visit Seoul", "also-read"),
        ("Read more: Markets rally on truce hopes", "also-read"),
        ("READ MORE", "also-read"),
        ("Related: What the Geneva truce covered", "also-read"),
        ("Related Articles", "also-read"),
        ("See also | Rare earths explained", "also-read"),
        ("Table of Contents", "table-of-contents"),
        ("Contents:", "table-of-contents"),
        ("Share this:", "share"),
        ("Share this article", "share"),
        ("Click to share on X (Opens in new window)", "share"),
        ("Facebook Twitter LinkedIn WhatsApp", "share"),
        ("Sign up for our Asia markets newsletter", "call-to-action"),
        ("Photo: Reuters", "photo-credit"),
        ("Your email address will not be published. Required fields are marked *", "comment-form"),
        (
            "Save my name, email, and website in this browser for the next time I comment.",
            "comment-form",
        ),
    ],
)
def test_noise_line_is_dropped_and_named(line, rule):
    cleaned = clean(f"First paragraph.\n{line}\nSecond paragraph.")
    assert cleaned.text == "First paragraph.\nSecond paragraph."
    assert cleaned.removed == (Removal(rule, line, 2),)


def test_leave_a_reply_drops_the_whole_comment_form_after_it():
    raw = (
        "Last paragraph.\n\nLeave a Reply Cancel reply\n\n"
        "Your email address will not be published.\nComment\nName\nEmail\nWebsite\n"
        "Save my name, email, and website in this browser for the next time I comment.\n"
        "Post Comment\n"
    )
    cleaned = clean(raw)
    assert cleaned.text == "Last paragraph."
    assert [r.line for r in cleaned.removed] == [3, 5, 6, 7, 8, 9, 10, 11]
    assert set(rules_removed(cleaned)) == {"comment-form"}


@pytest.mark.parametrize(
    "sentence",
    [
        "Beijing did not reply to the request for comment.",
        "Analysts read the move as a signal that Beijing wants a deal.",
        "Read the full statement, Greer said, and you will see no concession.",
        "The reply from the Commerce Ministry was short: no.",
        "Reporters were told to leave a reply with the embassy by Friday.",
        "Share prices in Shanghai rose 2% on the news.",
        "Related talks in Geneva set the 90-day truce.",
        "The contents of the framework have not been published.",
        "Advertisement spending by Chinese firms fell.",
        "Huawei produces the most advanced 5G equipment in the world, analysts say.",
        "Name",  # a bare form label is only noise after "Leave a Reply"
        "Comment",
    ],
)
def test_ordinary_sentence_with_a_noise_word_is_kept(sentence):
    cleaned = clean(f"Talks resumed.\n{sentence}\nThey ended late.")
    assert cleaned.text == f"Talks resumed.\n{sentence}\nThey ended late."
    assert cleaned.removed == ()


# --- Normalisation ---------------------------------------------------------------------------


def test_line_endings_bom_and_no_break_spaces_are_normalised():
    raw = "\ufeffFirst\u00a0line.  \r\n\r\n\r\n\tSecond\u202fline.\rThird line.\u00a0\r\n"
    assert clean(raw).text == "First line.\n\nSecond line.\nThird line."


# Line endings, BOMs, no-break spaces and other whitespace, between a few letters.
messy_body = st.text(st.sampled_from(list("\r\n\ufeff\u00a0\u2007\u202f \t\x85\u2028ab.")))


@settings(max_examples=500)
@given(messy_body)
def test_normalising_the_whole_body_at_once_gives_each_line_normalised(raw):
    assert normalised_lines(raw) == [normalise_line(line) for line in raw_lines(raw)]


def test_removal_line_numbers_count_raw_lines_whatever_the_line_endings():
    raw = "One.\r\n\r\nAdvertisement\rTwo.\r\nShare this:\n"
    assert [(r.rule, r.line) for r in clean(raw).removed] == [("advertising", 3), ("share", 5)]


def test_words_punctuation_and_curly_quotes_are_not_changed():
    raw = "  “We have a workable framework,” Bessent said — U.S.–China… ‘fine’ 100%\u00a0tariffs.  "
    assert (
        clean(raw).text
        == "“We have a workable framework,” Bessent said — U.S.–China… ‘fine’ 100% tariffs."
    )


def test_empty_and_blank_bodies_clean_to_nothing():
    assert clean("") == articles.pipeline.clean.Cleaned("", ())
    assert clean(" \n\u00a0\r\n\t\n").text == ""


# --- Invariants on every seed ---------------------------------------------------------------


@pytest.mark.parametrize("prefix", SEED_NAMES)
def test_nothing_is_lost_every_raw_line_is_kept_or_recorded(prefix):
    raw = seed_body(prefix)
    cleaned = clean(raw)
    kept = iter(line for line in cleaned.text.split("\n") if line)
    removed = {r.line: r for r in cleaned.removed}
    for number, raw_line in enumerate(raw_lines(raw), start=1):
        line = normalise_line(raw_line)
        if not line:
            assert number not in removed
        elif number in removed:
            assert removed[number].text == line
        else:
            assert next(kept) == line  # kept, unchanged, in order
    assert next(kept, None) is None  # and nothing was invented


@pytest.mark.parametrize("prefix", SEED_NAMES)
def test_cleaning_twice_changes_nothing(prefix):
    once = clean(seed_body(prefix))
    twice = clean(once.text)
    assert twice.text == once.text
    assert twice.removed == ()


def test_cleaning_twice_changes_nothing_on_messy_input():
    raw = "\ufeff\n\n  Title Line  \r\n\r\n\r\n• a\u00a0b\nAdvertisement\n\n\nLeave a Reply\nName\n"
    once = clean(raw).text
    assert clean(once).text == once == "Title Line\n\n• a b"


def test_rules_are_data():
    assert RULES and all(rule.scope in ("line", "rest") for rule in RULES)
    assert all(isinstance(rule.pattern, re.Pattern) and rule.name for rule in RULES)
    assert {"advertising", "also-read", "comment-form", "table-of-contents", "share"} <= {
        rule.name for rule in RULES
    }


PAGE_FURNITURE = [
    ("AP Updated 3:15 PM EDT, June 2, 2025", "dateline"),
    ("Published: 2 June 2025 15:15 BST", "dateline"),
    ("Updated 2025-06-02", "dateline"),
    ("Markets | 4 min read", "reading-time"),
    ("5 min read", "reading-time"),
    ("DJIA 42,270.07 +0.1% | S&P 500 5,935.94 -0.2% | NASDAQ 19,242.61 +0.7%", "ticker"),
]


@pytest.mark.parametrize("line, rule", PAGE_FURNITURE)
def test_page_furniture_is_removed_and_named(line, rule):
    cleaned = clean(f"{line}\n\nTalks were held on Sunday.")
    assert cleaned.text == "Talks were held on Sunday."
    assert [(r.rule, r.text) for r in cleaned.removed] == [(rule, line)]


@pytest.mark.parametrize(
    "sentence",
    [
        "Updated figures show exports in 2025 fell sharply.",
        "Published on June 2, 2025, the report said talks stalled.",
        "Soybean prices rose 4% in a 10 minute read of the data.",
    ],
)
def test_a_sentence_that_mentions_an_update_or_a_read_is_kept(sentence):
    assert clean(sentence).text == sentence


def test_one_pattern_of_all_rules_names_the_rule_asking_each_in_turn_would():
    lines = [line for line, _ in PAGE_FURNITURE] + [
        "Leave a Reply Cancel reply",
        "Your email address will not be published.",
        "Acme Rugged Systems offers the leading field tablet solutions, trusted by crews.",
        "Advertisement",
        "Share this article",
        "Photo: Reuters",
        "Talks were held on Sunday.",
    ]
    for prefix in SEED_NAMES:
        lines += raw_lines(seed_body(prefix))
    # Each rule keeps its own flags: the case-sensitive ones tell "ACME ROOFING" apart.
    lines += [line.upper() for line in lines] + [line.lower() for line in lines]
    for line in (normalise_line(line) for line in lines):
        if line:
            asked = next((rule for rule in RULES if rule.matches(line)), None)
            assert _first_rule(line) is asked, line


# The two rules whose quantifiers are possessive, as they were spelled before: they must
# accept exactly the lines the possessive ones accept.
READING_TIME_GREEDY = re.compile(
    r"^(?:[\w&'’ -]{1,30}\s*[|·•]\s*)?\d{1,3}\s*(?:-|\s)?min(?:ute)?s?\.?\s+read$",
    re.IGNORECASE,
)
INLINE_AD_GREEDY = re.compile(
    r"^(?:[A-Z0-9][\w&.'’-]*\s+){1,6}"
    rf"(?i:{boilerplate._AD_VERB}\s+{boilerplate._AD_SUPERLATIVE}\b.*\b{boilerplate._AD_ENDORSEMENT})"
)
# Lines shaped like the two rules' lines, each part drawn from what fits and what nearly does.
SPACE = st.sampled_from([" ", "  ", "\t", "", " | ", "|", "-", "·"])
SECTION = st.text(st.sampled_from(list("aB1 &'’-_")), max_size=36) | st.text(
    st.sampled_from(list("aB1 &'’-_|·•\t.")), max_size=36
)
reading_time_line = st.tuples(
    SECTION, SPACE, st.sampled_from(["4", "12", "", "1234", "x"]), SPACE,
    st.sampled_from(["min", "mins", "minute", "minutes", "m"]), st.sampled_from(["", "."]),
    SPACE, st.sampled_from(["read", "Read", "read.", "reads"]),
).map("".join)  # fmt: skip
BRAND_WORD = st.sampled_from(["Acme", "3M", "X-Ray", "Co.", "O’Neil", "acme", "Big&Co", "A"])
inline_ad_line = st.tuples(
    st.lists(st.tuples(BRAND_WORD, SPACE).map("".join), max_size=8).map("".join),
    st.sampled_from(["produces", "Offers", "SELLS", "made"]), SPACE,
    st.sampled_from(["the most advanced", "leading", "top", "the best"]),
    st.sampled_from([" kits, ", " ", "", " kits "]),
    st.sampled_from(["rated #1", "trusted by", "chosen  by", "go-to choice", "rated"]),
).map("".join)  # fmt: skip
rule_line = reading_time_line | inline_ad_line


@settings(max_examples=1000)
@given(rule_line)
def test_possessive_rules_accept_what_their_greedy_spelling_accepts(line):
    [reading_time] = [rule for rule in RULES if rule.name == "reading-time"]
    [inline_ad] = [rule for rule in RULES if rule.pattern.pattern.startswith("^(?:[A-Z0-9]")]
    assert reading_time.matches(line) == bool(READING_TIME_GREEDY.search(line))
    assert inline_ad.matches(line) == bool(INLINE_AD_GREEDY.search(line))

"""articles.pipeline.split: passages of the cleaned seed bodies, and the heading / list rules."""

import doctest
import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import articles.pipeline.split
from articles.pipeline.clean import clean
from articles.pipeline.split import Block, _lines, looks_like_heading, split_passages
from tests.seeds import SEED_NAMES, seed_raw_body


def seed_body(prefix: str) -> str:
    """The cleaned body of a seed report."""
    return clean(seed_raw_body(prefix)).text


def of_kind(blocks: list[Block], kind: str) -> list[str]:
    return [b.text for b in blocks if b.kind == kind]


def test_module_examples():
    assert doctest.testmod(articles.pipeline.split).failed == 0


# --- The seeds -------------------------------------------------------------------------------


def test_headings_of_seed_001():
    assert of_kind(split_passages(seed_body("001")), "heading") == [
        "US China Trade Deal",
        "Tariff Pause Nears Agreement",
        "Leaders Set to Meet at APEC Summit",
        "Soybean Trade",
        "Cautious Optimism from China",
        "Other Issues",
        "Fragile Truce Still at Risk",
    ]


def test_headings_of_seed_002_which_has_no_blank_lines():
    assert of_kind(split_passages(seed_body("002")), "heading") == [
        "A Return to Diplomacy Amid a New Cold War Climate",
        "Washington Signals Progress on Rare-Earth Dispute",
        "More Trump-Xi Meetings Expected Through the Coming Year",
        "Existing Tariff Deals Set to Expire Soon",
        "What Beijing Wants in Exchange",
        "Rare-Earth Partnerships With Japan and Southeast Asia Add Pressure",
        "Rising Tensions Over Taiwan Hover Over the Summit",
        "A Cautious Road Ahead for the US-China Trade Truce",
    ]


def test_headings_of_seed_003():
    assert of_kind(split_passages(seed_body("003")), "heading") == [
        "High-Stakes Negotiations Underway",
        "Escalating Tensions and Retaliatory Threats",
        "Broader Regional Implications",
    ]


@pytest.mark.parametrize("prefix", ["000", "004"])
def test_seeds_without_headings_are_all_paragraphs(prefix):
    assert {b.kind for b in split_passages(seed_body(prefix))} == {"paragraph"}


def test_bullet_list_of_seed_001_is_list_items_without_markers():
    body = seed_body("001")
    blocks = split_passages(body)
    items = [b for b in blocks if b.kind == "list_item"]
    assert [b.text for b in items] == [
        "Fentanyl and illegal drug trafficking concerns",
        "Port access and shipping fees",
        "The pending TikTok U.S. ownership transfer",
        "Regional security issues involving Taiwan",
        "The detention of Hong Kong media figure Jimmy Lai",
        "U.S.–China coordination regarding Russia’s war in Ukraine",
    ]
    assert all(body[b.start - 2 : b.start] == "• " for b in items)
    intro = blocks[blocks.index(items[0]) - 1]
    assert (intro.kind, intro.text) == ("paragraph", "The talks also included:")


def test_first_line_of_seed_002_is_a_paragraph_despite_its_colon_prefix():
    first = split_passages(seed_body("002"))[0]
    assert first.kind == "paragraph"
    assert first.text.startswith("US-China Trade Truce: As U.S. President Donald Trump")


@pytest.mark.parametrize("prefix", SEED_NAMES)
def test_offsets_point_at_the_text_in_every_seed(prefix):
    body = seed_body(prefix)
    blocks = split_passages(body)
    assert blocks
    for block in blocks:
        assert body[block.start : block.end] == block.text
        assert block.text == block.text.strip() and block.text
    # in order, not overlapping, one per non-blank line
    assert all(a.end < b.start for a, b in zip(blocks, blocks[1:], strict=False))
    assert len(blocks) == sum(1 for line in body.split("\n") if line.strip())


# --- The rules -------------------------------------------------------------------------------


@pytest.mark.parametrize("marker", ["• ", "- ", "* ", "– ", "1. ", "12) ", "●  "])
def test_bullet_markers_make_list_items_and_are_left_out_of_the_text(marker):
    body = f"The talks covered:\n{marker}Port fees\nThat was all."
    item = split_passages(body)[1]
    assert (item.kind, item.text) == ("list_item", "Port fees")
    assert body[item.start : item.end] == "Port fees"


@pytest.mark.parametrize("line", ["-20°C is the floor.", "1.5% is the target.", "2025 was hard."])
def test_a_number_or_dash_without_a_following_space_is_not_a_bullet(line):
    assert split_passages(f"{line}\nNext.")[0].kind == "paragraph"


def test_blank_lines_between_passages_are_optional():
    with_blanks = split_passages("Soybean Trade\n\nFarmers wait.\n\n\nThey hope.")
    without = split_passages("Soybean Trade\nFarmers wait.\nThey hope.")
    assert [(b.kind, b.text) for b in with_blanks] == [(b.kind, b.text) for b in without]


def test_a_short_last_line_is_not_a_heading():
    assert split_passages("Talks went on.\nMore to follow")[-1].kind == "paragraph"


@pytest.mark.parametrize(
    "line",
    [
        "Soybean Trade",
        "Tariff Pause Nears Agreement",
        "High-Stakes Negotiations Underway",
        "A Return to Diplomacy Amid a New Cold War Climate",
        "More Trump-Xi Meetings Expected Through the Coming Year",
        "US China Trade Deal",
        "Leaders set to meet at APEC summit",  # sentence case is still a heading
        "U.S. Tariffs Rise Again",  # an abbreviation is not a sentence end
        "2025 in Review",
    ],
)
def test_heading_shapes(line):
    assert looks_like_heading(line)


@pytest.mark.parametrize(
    "line",
    [
        "The talks also included:",
        "Talks ended.",
        "Will the truce hold?",
        "“We will see,”",
        "and then the talks resumed",  # lower case: a broken sentence
        "Beijing agreed to talks with the",  # ends on a word that needs more
        "Talks end. Markets rally",  # two sentences
        "October 27, 2025",  # a dateline
        "Senior US and Chinese officials have reportedly begun crucial trade discussions in "
        "Malaysia without",  # too long
    ],
)
def test_not_heading_shapes(line):
    assert not looks_like_heading(line)


def test_offsets_survive_an_uncleaned_body():
    body = "  Other Issues  \r\n\n   •   Port fees   \nDone.  "
    blocks = split_passages(body)
    assert [(b.kind, b.text) for b in blocks] == [
        ("heading", "Other Issues"),
        ("list_item", "Port fees"),
        ("paragraph", "Done."),
    ]
    assert all(body[b.start : b.end] == b.text for b in blocks)


def test_empty_body_has_no_passages():
    assert split_passages("") == [] and split_passages("\n \n") == []


@settings(max_examples=500, deadline=None)
@given(st.text(st.sampled_from(list("\n\r\t \u00a0\u2028ab•1.")), max_size=30))
def test_lines_are_the_stripped_runs_between_line_breaks(body):
    plain = [
        (m.start() + len(m.group()) - len(m.group().lstrip()), m.group().strip())
        for m in re.finditer(r"[^\n]+", body)
        if m.group().strip()
    ]
    assert [(start, text) for start, _, text in _lines(body)] == plain
    assert all(body[start:end] == text for start, end, text in _lines(body))

"""Typed figures: what each number of a sentence measures (articles.pipeline.figures)."""

import doctest
import importlib
import io
import json
import re

import pytest
from django.apps import apps
from django.core.management import call_command
from hypothesis import given, settings
from hypothesis import strategies as st

import articles.pipeline.figures
from articles.models import Claim
from articles.pipeline.casefold import lowered
from articles.pipeline.figures import (
    _ANY_ACTOR,
    _LOWERED,
    _TARGET_RX,
    CLAUSE_BREAK,
    CLAUSE_WORDS,
    GOODS_NOUNS,
    MOVE_BEFORE,
    Figure,
    _clause,
    _moved,
    _search,
    typed_figures,
)
from tests.conftest import write_report

US, CN = "US", "China"
THREAT, IN_FORCE, CUT, OFF = "threatened", "in_force", "cut", "cancelled"


def rate(text, value, basis=None, by=None, on=None, status=None, unit="%"):
    return Figure(text, value, unit, basis, by, on, status)


def amount(text, value, unit, goods=None):
    return Figure(text, value, unit, goods, None, None, None)


# Sentences from the seed reports (fixtures/reports/*.txt) and the unseen test reports
# (tests/data/unseen/*.txt) first, then others written like them.
SENTENCES = [
    (
        "The talks come amid heightened tension following Trump’s threat to impose new 100% "
        "tariffs on Chinese goods starting November 1, in response to Beijing’s expanded export "
        "controls on rare earth minerals which is a key components in electronics, defense, and "
        "clean energy technologies.",
        [rate("100%", 100, "additional", US, CN, THREAT)],
    ),
    (
        "U.S. Treasury Secretary Scott Bessent stated that the negotiations helped remove the "
        "immediate threat of Trump’s 100% tariffs set for November 1.",
        [rate("100%", 100, "additional", US, None, OFF)],
    ),
    (
        "In response, Trump vowed to counter Beijing’s move with 100% tariffs on a broad range of "
        "Chinese goods.",
        [rate("100%", 100, "additional", US, CN, THREAT)],
    ),
    (
        "Those deals had temporarily reduced retaliatory tariffs—bringing U.S. tariffs down to "
        "about 55% and China’s to roughly 10%—while also restarting American imports of "
        "rare-earth magnets from China.",
        [rate("55%", 55, "total", US, CN, IN_FORCE), rate("10%", 10, "total", CN, US, IN_FORCE)],
    ),
    (
        "China has pushed for the removal of 20% tariffs linked to fentanyl trade, relaxation of "
        "U.S. export controls on sensitive technologies, and reversal of new port fees imposed on "
        "Chinese vessels.",
        [rate("20%", 20, "fentanyl", US, CN, IN_FORCE)],
    ),
    (
        "In response to China’s rare earth restrictions, President Trump has threatened to impose "
        "additional 100% tariffs on Chinese imports starting November 1.",
        [rate("100%", 100, "additional", US, CN, THREAT)],
    ),
    (
        "The current situation represents the latest chapter in trade tensions that have "
        "simmered since April, when the White House initially hit Beijing with 145% tariffs and "
        "China responded with 125% levies on US exports.",
        [
            rate("145%", 145, "additional", US, CN, IN_FORCE),
            rate("125%", 125, "additional", CN, US, IN_FORCE),
        ],
    ),
    (
        "Industrial Monitor Direct produces the most advanced energy pc solutions designed for "
        "extreme temperatures from -20°C to 60°C, top-rated by industrial technology "
        "professionals.",
        [amount("60°C", 60, "°C")],
    ),
    (
        "In retaliation, President Trump has threatened to impose 100 percent tariffs on a wide "
        "range of Chinese goods beginning November 1, a move that could double consumer prices "
        "in the U.S. and trigger a global ripple effect.",
        [rate("100 percent", 100, "additional", US, CN, THREAT)],
    ),
    (
        "As part of the deal, Trump said the threatened 100% tariffs on Chinese goods were off "
        "the table.",
        [rate("100%", 100, "additional", US, CN, OFF)],
    ),
    (
        "Trump told reporters aboard Air Force One that he would not impose the additional 100% "
        "tariff he had threatened for November 1.",
        [rate("100%", 100, "additional", US, None, OFF)],
    ),
    # --- Written like them: the three the issue names, kept apart.
    (
        "The 20 per cent fentanyl duty was halved to 10 per cent after the Busan meeting.",
        [
            rate("20 per cent", 20, "fentanyl", US, CN, CUT),
            rate("10 per cent", 10, "fentanyl", US, CN, IN_FORCE),
        ],
    ),
    (
        "Trump said he had cut the fentanyl tariff on China from 20% to 10%.",
        [rate("20%", 20, "fentanyl", US, CN, CUT), rate("10%", 10, "fentanyl", US, CN, IN_FORCE)],
    ),
    (
        "Washington agreed to halve the 20% fentanyl-related levy, bringing the overall rate on "
        "Chinese goods to about 47%.",
        [
            rate("20%", 20, "fentanyl", US, CN, CUT),
            rate("47%", 47, "total", US, CN, IN_FORCE),
        ],
    ),
    (
        "Beijing wants Washington to scrap the 20% fentanyl tariff entirely.",
        [rate("20%", 20, "fentanyl", US, CN, IN_FORCE)],
    ),
    (
        "In April the US raised its additional tariffs on Chinese imports to 145%.",
        [rate("145%", 145, "additional", US, CN, IN_FORCE)],
    ),
    (
        "China retaliated with an extra 125% duty on American goods.",
        [rate("125%", 125, "additional", CN, US, IN_FORCE)],
    ),
    (
        "The average US tariff on Chinese goods stands at 57.6%, according to the Peterson "
        "Institute.",
        [rate("57.6%", 57.6, "average", US, CN, IN_FORCE)],
    ),
    (
        "US tariffs on Chinese goods now total about 55%.",
        [rate("55%", 55, "total", US, CN, IN_FORCE)],
    ),
    (
        "The 34% reciprocal tariff announced on Liberation Day was later raised.",
        [rate("34%", 34, "reciprocal", US, None, IN_FORCE)],
    ),
    (
        "Under the truce, the US suspended 24% of its reciprocal tariff on China for a year, "
        "leaving a 10% baseline in place.",
        [
            rate("24%", 24, "reciprocal", US, CN, CUT),
            rate("10%", 10, "reciprocal", US, CN, IN_FORCE),
        ],
    ),
    (
        "Section 301 tariffs of up to 25% imposed during Trump’s first term remain on about "
        "$370 billion of Chinese goods.",
        [
            rate("25%", 25, "section_301", US, CN, IN_FORCE),
            amount("$370 billion", 370 * 10**9, "USD", "goods"),
        ],
    ),
    (
        "The first-term duties of 7.5% to 25% still apply to many Chinese products.",
        [
            rate("7.5%", 7.5, "section_301", US, CN, IN_FORCE),
            rate("25%", 25, "section_301", US, CN, IN_FORCE),
        ],
    ),
    (
        "Trump threatened 100% tariffs from November 1, Reuters reported.",
        [rate("100%", 100, "additional", US, None, THREAT)],
    ),
    (
        "Beijing warned it would impose 15% tariffs on US coal and LNG if Washington went ahead.",
        [rate("15%", 15, "additional", CN, US, THREAT)],
    ),
    (
        "China imposed a 15% tariff on American liquefied natural gas in February.",
        [rate("15%", 15, "additional", CN, US, IN_FORCE)],
    ),
    (
        "China cut its retaliatory tariffs on US goods to 10%.",
        [rate("10%", 10, None, CN, US, IN_FORCE)],
    ),
    (
        "China could lower its 10% duties on American farm goods if talks go well.",
        [rate("10%", 10, None, CN, US, IN_FORCE)],
    ),
    (
        "The US will cut the fentanyl tariff to 10% if China curbs precursor exports.",
        [rate("10%", 10, "fentanyl", US, CN, None)],
    ),
    (
        "The administration is weighing a proposal to reduce tariffs on Chinese goods by 10 "
        "percentage points.",
        [rate("10 percentage points", 10, None, US, CN, None, unit="percentage points")],
    ),
    (
        "The White House dropped its threat of a further 50% duty after the call.",
        [rate("50%", 50, "additional", US, None, OFF)],
    ),
    (
        "The threatened 100% levy will not take effect, Bessent confirmed.",
        [rate("100%", 100, "additional", US, None, OFF)],
    ),
    (
        "Chinese exporters currently pay tariffs of about 47% on goods shipped to the US.",
        [rate("47%", 47, None, US, CN, IN_FORCE)],
    ),
    (
        "Trump said on Truth Social that a 100% tariff on China would take effect November 1.",
        [rate("100%", 100, None, US, CN, THREAT)],
    ),
    (
        "The US will lower the fentanyl-related tariff on Chinese goods to 10% from 20% "
        "starting November 10.",
        [rate("10%", 10, "fentanyl", US, CN, None), rate("20%", 20, "fentanyl", US, CN, IN_FORCE)],
    ),
    (
        "Trump announced a 10% cut in tariffs on China, bringing the total rate to 47% from 57%.",
        [
            rate("10%", 10, None, US, CN, CUT),
            rate("47%", 47, "total", US, CN, IN_FORCE),
            rate("57%", 57, "total", US, CN, CUT),
        ],
    ),
    (
        "Chinese tariffs on American soybeans are currently 13%.",
        [rate("13%", 13, None, CN, US, IN_FORCE)],
    ),
    # --- The unseen reports' hard cases, as rules.
    # A market's move is no duty, whatever the sentence says of tariffs.
    (
        "The threat of an additional 100 per cent tariff sent the S&P 500 down 2.7 per cent.",
        [
            rate("100 per cent", 100, "additional", None, None, THREAT),
            amount("2.7 per cent", 2.7, "%"),
        ],
    ),
    # "12 May" is a date, not a hedge; a pair after a pair takes its sides in order, and the
    # level a cut started from is cut.
    (
        "On 12 May the two sides cut US tariffs to 30 per cent and Chinese duties to 10 per cent "
        "from the 145 per cent and 125 per cent levels reached in April.",
        [
            rate("30 per cent", 30, None, US, CN, IN_FORCE),
            rate("10 per cent", 10, None, CN, US, IN_FORCE),
            rate("145 per cent", 145, None, US, CN, CUT),
            rate("125 per cent", 125, None, CN, US, CUT),
        ],
    ),
    (
        "Tariffs had soared to punishing levels — 145% on Chinese goods entering the U.S. and "
        "125% on American goods going to China — before the Geneva deal brought them down to "
        "30% and 10%.",
        [
            rate("145%", 145, None, US, CN, CUT),
            rate("125%", 125, None, CN, US, CUT),
            rate("30%", 30, "total", US, CN, IN_FORCE),
            rate("10%", 10, "total", CN, US, IN_FORCE),
        ],
    ),
    # "dropped to" is a cut made, not a threat dropped.
    (
        "The fentanyl duty dropped to 10% this week.",
        [rate("10%", 10, "fentanyl", US, CN, IN_FORCE)],
    ),
    # A rise to a peak is no total: the text says when a rate is one.
    (
        "The tit-for-tat pushed US tariffs on Chinese goods to 145%.",
        [rate("145%", 145, None, US, CN, IN_FORCE)],
    ),
    # A clause with its own sides does not take another's basis; a subjectless clause takes
    # the sides of the one before; a suspension for another year is a cut.
    (
        "The United States cut its fentanyl-linked duty on Chinese goods to 10 per cent from 20 "
        "per cent, and China began applying a single 10 per cent rate to American goods, "
        "suspending an additional 24 per cent levy for another year.",
        [
            rate("10 per cent", 10, "fentanyl", US, CN, IN_FORCE),
            rate("20 per cent", 20, "fentanyl", US, CN, CUT),
            rate("10 per cent", 10, None, CN, US, IN_FORCE),
            rate("24 per cent", 24, "additional", CN, US, CUT),
        ],
    ),
    # A participle's cut is hedged by its main clause; the level it leaves is still in force.
    (
        "Trump said he would cut the fentanyl tariff on Chinese goods to 10% from 20%, lowering "
        "the combined rate to about 47% from 57%.",
        [
            rate("10%", 10, "fentanyl", US, CN, None),
            rate("20%", 20, "fentanyl", US, CN, IN_FORCE),
            rate("47%", 47, "total", US, CN, None),
            rate("57%", 57, "total", US, CN, IN_FORCE),
        ],
    ),
    # The reciprocal tariffs are America's even when a Chinese source reports them.
    (
        "According to the Ministry of Commerce, the 24 percent additional reciprocal tariff will "
        "remain suspended for one year.",
        [rate("24 percent", 24, "reciprocal", US, CN, CUT)],
    ),
    # --- Values and quantities.
    (
        "China bought $1.2 billion of soybeans, about 12 million tonnes, and 25 metric tons of "
        "pork.",
        [
            amount("$1.2 billion", 1_200_000_000, "USD", "soybeans"),
            amount("12 million tonnes", 12_000_000, "tonnes"),
            amount("25 metric tons", 25, "tonnes", "pork"),
        ],
    ),
    (
        "Beijing agreed to buy 12 million tonnes of soybeans this season and 25 million tonnes a "
        "year from 2026.",
        [
            amount("12 million tonnes", 12_000_000, "tonnes", "soybeans"),
            amount("25 million tonnes", 25_000_000, "tonnes"),
        ],
    ),
    (
        "Exports fell 3 percentage points to US$300 million, or €4bn.",
        [
            amount("3 percentage points", 3, "percentage points"),
            amount("US$300 million", 300_000_000, "USD"),
            amount("€4bn", 4_000_000_000, "EUR"),
        ],
    ),
    (
        "Tariffs of 10-15% would cost 5 billion dollars.",
        [rate("10-15%", None), amount("5 billion dollars", 5 * 10**9, "USD")],
    ),
    (
        "China’s exports to the US fell 27% in October from a year earlier.",
        [amount("27%", 27, "%")],
    ),
    (
        "The trade surplus reached 1.2 trillion yuan in the first ten months.",
        [amount("1.2 trillion yuan", 1_200_000_000_000, "CNY")],
    ),
    (
        "Purchases of US soybeans were worth ¥90 billion, Chinese customs data showed.",
        [amount("¥90 billion", 90_000_000_000, "CNY")],
    ),
    (
        "The company sold 3 million barrels of crude oil to Chinese refiners.",
        [amount("3 million barrels", 3_000_000, "barrels", "crude oil")],
    ),
    (
        "Farmers lost $4.5 billion of exports to China last year, about 150 million bushels.",
        [
            amount("$4.5 billion", 4_500_000_000, "USD", "exports"),
            amount("150 million bushels", 150_000_000, "bushels"),
        ],
    ),
    (
        "HK$2,500 million in bonds were sold in Hong Kong.",
        [amount("HK$2,500 million", 2_500_000_000, "HKD")],
    ),
    (
        "China will buy 12 million metric tons of US soybeans this year, Bessent said.",
        [amount("12 million metric tons", 12_000_000, "tonnes", "soybeans")],
    ),
    (
        "Growth slowed to 4.8% in the third quarter, official data showed.",
        [amount("4.8%", 4.8, "%")],
    ),
]


@pytest.mark.parametrize(("sentence", "figures"), SENTENCES)
def test_each_figure_says_what_it_measures(sentence, figures):
    assert list(typed_figures(sentence)) == figures


def test_the_table_holds_at_least_forty_sentences():
    assert len(SENTENCES) >= 40


def test_a_figure_is_stored_and_published_in_one_shape():
    (figure,) = typed_figures("Trump threatened 100% tariffs on Chinese goods.")
    assert figure.as_dict() == {
        "text": "100%",
        "value": 100,
        "unit": "%",
        "basis": "additional",
        "imposed_by": "US",
        "imposed_on": "China",
        "status": "threatened",
    }


def test_figures_as_the_sentence_finder_gave_them_are_typed_in_order():
    sentence = "Tariffs rose from 10% to 20%, then 10% again."
    assert [f.text for f in typed_figures(sentence, ("10%", "20%", "10%"))] == [
        "10%",
        "20%",
        "10%",
    ]


def test_docstring_examples_hold():
    assert doctest.testmod(articles.pipeline.figures).failed == 0


HALVED = (
    "Officials met in Kuala Lumpur on Sunday.\n\n"
    "The 20 per cent fentanyl duty was halved to 10 per cent after the Busan meeting.\n"
)


@pytest.mark.django_db
def test_ingest_json_gives_each_claim_its_typed_figures(tmp_path):
    out = io.StringIO()
    call_command("ingest", str(write_report(tmp_path, "a.txt", body=HALVED)), "--json", stdout=out)
    [row] = json.loads(out.getvalue())["articles"]
    [claim] = [c for c in row["claims"] if c["figures"]]
    assert claim["figures"] == [
        {
            "text": "20 per cent",
            "value": 20,
            "unit": "%",
            "basis": "fentanyl",
            "imposed_by": "US",
            "imposed_on": "China",
            "status": "cut",
        },
        {
            "text": "10 per cent",
            "value": 10,
            "unit": "%",
            "basis": "fentanyl",
            "imposed_by": "US",
            "imposed_on": "China",
            "status": "in_force",
        },
    ]


@pytest.mark.django_db
def test_figures_stored_as_written_are_typed_by_the_migration_and_back(tmp_path):
    call_command("ingest", str(write_report(tmp_path, "a.txt", body=HALVED)), stdout=io.StringIO())
    claim = Claim.objects.exclude(figures=[]).get()
    typed = claim.figures
    Claim.objects.filter(pk=claim.pk).update(figures=["20 per cent", "10 per cent"])
    migration = importlib.import_module("articles.migrations.0007_typed_figures")

    migration.type_figures(apps, None)
    claim.refresh_from_db()
    assert claim.figures == typed

    migration.untype_figures(apps, None)
    claim.refresh_from_db()
    assert claim.figures == ["20 per cent", "10 per cent"]


# --- What is read faster, read the same ------------------------------------------------------

# Words before a figure: others, then mostly a market's move as MOVE_BEFORE reads it (a
# move, "by", how near), with spaces of every kind between.
_OTHER_WORDS = st.sampled_from("sent the S&P 500, x-down Down UP “up” tariffs".split()) | st.text(
    max_size=4
)
_MOVE_PARTS = (
    st.sampled_from(["fell", "gain of", "x-down", "loss", ""]) | _OTHER_WORDS,
    st.sampled_from(["by", ""]) | _OTHER_WORDS,
    st.sampled_from(["about", "some", ""]) | _OTHER_WORDS,
)
_SPACES = st.sampled_from((" ", "  ", "\n", "\t", "\u00a0", "\u2003", "\x1c", " \n "))


@st.composite
def _words_before_a_figure(draw) -> str:
    words = draw(st.lists(_OTHER_WORDS, max_size=6)) + [draw(part) for part in _MOVE_PARTS]
    return "".join(word + draw(_SPACES) for word in words)


@settings(max_examples=1000, deadline=None)
@given(text=_words_before_a_figure(), back=st.integers(0, 3) | st.integers(0, 80))
def test_a_move_is_read_from_the_last_words_before_a_figure_as_from_all_of_them(text, back):
    start = max(0, len(text) - back)
    whole = MOVE_BEFORE.search(text, 0, start)
    near = _moved(text, start)
    assert (near and near.span()) == (whole and whole.span())


# Words of the cues _search reads in lower case, in every case, with the letters that a
# case-insensitive regex alone reads as ASCII ones ("ſ", the Kelvin sign, "İ", "ı").
_CUE_WORDS = st.sampled_from(
    (
        "fentanyl Section 301 first-term FIRST trump administration 2018 trade war reciprocal "
        "Liberation day average averaging total OVERALL all told in effective additional "
        "another year on top of New imposed hit slap to levy threatened respond with "
        "remain Suspended suspends for a year off the table called off would not impose "
        "won't take effect removed the immediate threat dropped to backed down no longer "
        "planned cut halved reduction roll back easing lifted down from climbed soared "
        "raised pushed in place went into effect kicked in paying still has kept spiralled "
        "ſuspended Kut İn ıs"
    ).split()
) | st.text(max_size=3)
_BETWEEN = st.sampled_from((" ", "  ", "-", ", ", "; ", "’", "'", "\n", "x", ""))


@st.composite
def _cue_text(draw) -> str:
    words = draw(st.lists(_CUE_WORDS, max_size=12))
    return "".join(word + draw(_BETWEEN) for word in words)


@settings(max_examples=2000, deadline=None)
@given(text=_cue_text(), pos=st.integers(0, 40), endpos=st.integers(0, 200))
def test_a_cue_read_in_lower_case_is_found_where_the_pattern_finds_it(text, pos, endpos):
    low = lowered(text)
    for rx in (re.compile(pattern, re.IGNORECASE) for pattern in _LOWERED):
        for span in ((), (pos, endpos)):
            plain, read = rx.search(text, *span), _search(rx, text, low, *span)
            assert (plain and plain.span()) == (read and read.span()), (rx.pattern, text)


_PLAIN_CLAUSE_BREAK = re.compile(rf"[;—–()]|, | - |\b(?:{'|'.join(CLAUSE_WORDS)})\b")
_CLAUSE_TEXT = st.lists(
    st.sampled_from(
        [*CLAUSE_WORDS, "sand", "andes", "whence", "thoughts", "x", "_", "1", "é", "ſ", "-", ","]
        + [";", "—", "–", "(", ")", " ", ", ", " - ", "\n", "’", "'"]
    )
    | st.text(max_size=2)
).map("".join)


@settings(max_examples=2000, deadline=None)
@given(text=_CLAUSE_TEXT)
def test_clause_breaks_are_found_where_the_plain_pattern_finds_them(text):
    assert [m.span() for m in CLAUSE_BREAK.finditer(text)] == [
        m.span() for m in _PLAIN_CLAUSE_BREAK.finditer(text)
    ]


_PLAIN_TARGET_RX = re.compile(
    r"\b(?:on|against)\s+(?:a\s+(?:wide|broad)\s+range\s+of\s+|all\s+|most\s+|the\s+)?"
    rf"(?P<on>{_ANY_ACTOR})"
    rf"|(?P<goods>{_ANY_ACTOR})\s+(?:{GOODS_NOUNS})\b"
    rf"|\bhit\s+(?P<hit>{_ANY_ACTOR})"
)
_TARGET_TEXT = st.lists(
    st.sampled_from(
        "on against hit upon Bon xhit _on 1on a wide range of all most the China Chinese U.S. "
        "US Beijing Washington administration goods imports steel x ’ - . , é".split()
    )
    | st.sampled_from((" ", "  ", "\n", ""))
    | st.text(max_size=2)
).map(" ".join)


@settings(max_examples=2000, deadline=None)
@given(text=_TARGET_TEXT)
def test_targets_are_found_where_the_plain_pattern_finds_them(text):
    assert [(m.span(), m.lastgroup) for m in _TARGET_RX.finditer(text)] == [
        (m.span(), m.lastgroup) for m in _PLAIN_TARGET_RX.finditer(text)
    ]


def _plain_clause(sentence, start, end, previous=0):
    """_clause as first written: every break found, then the nearest either side."""
    breaks = list(CLAUSE_BREAK.finditer(sentence))
    lo = max((m.end() for m in breaks if m.end() <= start), default=0)
    hi = min((m.start() for m in breaks if m.start() >= end), default=len(sentence))
    return sentence[max(lo, previous) : start], sentence[end:hi], lo


@settings(max_examples=2000, deadline=None)
@given(text=_CLAUSE_TEXT, data=st.data())
def test_a_clause_read_up_to_its_first_break_is_the_clause(text, data):
    start = data.draw(st.integers(0, len(text)))
    end = data.draw(st.integers(start, len(text)))
    previous = data.draw(st.integers(0, start))
    assert _clause(text, start, end, previous) == _plain_clause(text, start, end, previous)

"""articles.pipeline.sentences: sentence boundaries and claim signals, on seeds and hard cases."""

import doctest
import re

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

import articles.pipeline.sentences
from articles.pipeline.clean import clean
from articles.pipeline.sentences import (
    _BODY_HEAD_WORDS,
    _CANDIDATE_END,
    _FIGURE,
    _FULL_STOP_END,
    _LOWER_BODY_BEFORE,
    _SPEECH_VERBS,
    _TOKEN_BEFORE,
    Signals,
    _figures,
    _speech_verbs,
    signals,
    split_sentences,
)
from articles.pipeline.split import split_passages
from tests.seeds import SEED_NAMES, load_gold, seed_raw_body
from tests.strategies import run_together


def seed_sentences(prefix: str) -> list[str]:
    """Every sentence of a seed's non-heading passages, through clean and split."""
    body = clean(seed_raw_body(prefix)).text
    return [
        block.text[s:e]
        for block in split_passages(body)
        if block.kind != "heading"
        for s, e in split_sentences(block.text)
    ]


def sentences(text: str) -> list[str]:
    return [text[s:e] for s, e in split_sentences(text)]


def test_module_examples():
    assert doctest.testmod(articles.pipeline.sentences).failed == 0


# --- Boundaries ------------------------------------------------------------------------------


def test_us_abbreviation_does_not_end_a_sentence():
    assert sentences("U.S. Trade Representative Jamieson Greer met He Lifeng. Talks went on.") == [
        "U.S. Trade Representative Jamieson Greer met He Lifeng.",
        "Talks went on.",
    ]


def test_titles_before_names_do_not_end_a_sentence():
    text = "Gov. Newsom met Mr. Li, Mrs. Chan, Dr. Wu, Prof. Ng and Sen. Cruz in St. Louis. Fine."
    assert sentences(text) == [text[:-6], "Fine."]


def test_dotted_abbreviations_and_initials_do_not_end_a_sentence():
    text = "Allies, e.g. Japan and the U.K., back J. Smith of Acme Inc. in the vs. case. Done."
    assert sentences(text) == [text[:-6], "Done."]


def test_abbreviated_months_and_numbers_do_not_end_a_sentence():
    text = "The truce runs from Jan. 5 to Oct. 30 under clause No. 4. Then it ends."
    assert sentences(text) == [
        "The truce runs from Jan. 5 to Oct. 30 under clause No. 4.",
        "Then it ends.",
    ]


def test_no_before_a_capital_still_ends_a_sentence():
    assert sentences("Beijing said no. Talks stalled.") == ["Beijing said no.", "Talks stalled."]


def test_may_is_a_month_that_can_end_a_sentence():
    assert sentences("The truce began in May. It was extended.") == [
        "The truce began in May.",
        "It was extended.",
    ]


def test_a_quote_ending_in_a_comma_stays_with_its_speech_tag():
    text = (
        "“I think that we’re getting to a spot where the leaders will have a very productive "
        "meeting,” Greer told reporters, hinting at potential progress."
    )
    assert sentences(text) == [text]


def test_a_new_quotation_after_a_full_stop_starts_a_new_sentence():
    text = (
        "“I expect, for the moment, they will kick the can down the road,” he predicted. "
        "“Whatever deal emerges is unlikely to be substantive or long-lasting.”"
    )
    assert sentences(text) == [
        "“I expect, for the moment, they will kick the can down the road,” he predicted.",
        "“Whatever deal emerges is unlikely to be substantive or long-lasting.”",
    ]


def test_a_sentence_may_end_inside_a_closing_curly_quote():
    text = "Li Chenggang confirmed that the sides reached a “preliminary consensus.” He was upbeat."
    assert sentences(text) == [
        "Li Chenggang confirmed that the sides reached a “preliminary consensus.”",
        "He was upbeat.",
    ]


def test_question_and_exclamation_marks_end_sentences():
    assert sentences("Will the truce last? Few think so! Markets fell.") == [
        "Will the truce last?",
        "Few think so!",
        "Markets fell.",
    ]


def test_a_quoted_question_followed_by_its_speaker_is_one_sentence():
    assert sentences("“Why now?” Bessent asked. Nobody knew.") == [
        "“Why now?” Bessent asked.",
        "Nobody knew.",
    ]


def test_decimals_and_hyphenated_abbreviations_do_not_end_a_sentence():
    text = "Tariffs rose 3.5% in the U.S.-China dispute. Then they fell."
    assert sentences(text) == ["Tariffs rose 3.5% in the U.S.-China dispute.", "Then they fell."]


def test_a_full_stop_before_a_lower_case_word_is_not_a_boundary():
    assert sentences("Prices in the U.S. rose and the talks went on.") == [
        "Prices in the U.S. rose and the talks went on."
    ]


def test_offsets_are_stripped_and_a_line_break_is_a_boundary():
    text = "  First one.   Second one  \n Third"
    spans = split_sentences(text)
    assert [text[s:e] for s, e in spans] == ["First one.", "Second one", "Third"]
    assert spans[0] == (2, 12)


def test_blank_text_has_no_sentences():
    assert split_sentences("") == [] and split_sentences("  \n ") == []


@pytest.mark.parametrize("prefix", SEED_NAMES)
def test_every_seed_sentence_is_stripped_and_in_order(prefix):
    body = clean(seed_raw_body(prefix)).text
    for block in split_passages(body):
        spans = split_sentences(block.text)
        assert spans
        assert all(block.text[s:e] == block.text[s:e].strip() != "" for s, e in spans)
        assert all(a[1] <= b[0] for a, b in zip(spans, spans[1:], strict=False))
        # nothing but spaces between sentences
        gaps = [block.text[a[1] : b[0]] for a, b in zip(spans, spans[1:], strict=False)]
        assert all(not gap.strip() for gap in gaps)


def test_every_hand_checked_sentence_of_the_gold_file_comes_out_whole():
    gold = load_gold()
    for report in gold["reports"]:
        found = set(seed_sentences(report["file"][:3]))
        for mention in report["mentions"]:
            assert mention["sentence"] in found, mention["sentence"]


# --- Signals: figures ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("sentence", "figures"),
    [
        (
            "The current situation represents the latest chapter in trade tensions that have "
            "simmered since April, when the White House initially hit Beijing with 145% tariffs "
            "and China responded with 125% levies on US exports.",
            ("145%", "125%"),
        ),
        (
            "In retaliation, President Trump has threatened to impose 100 percent tariffs on a "
            "wide range of Chinese goods beginning November 1, a move that could double consumer "
            "prices in the U.S. and trigger a global ripple effect.",
            ("100 percent",),
        ),
        (
            "Those deals had temporarily reduced retaliatory tariffs—bringing U.S. tariffs down to "
            "about 55% and China’s to roughly 10%—while also restarting American imports.",
            ("55%", "10%"),
        ),
        (
            "China bought $1.2 billion of soybeans, about 12 million tonnes, and 25 metric tons "
            "of pork.",
            ("$1.2 billion", "12 million tonnes", "25 metric tons"),
        ),
        (
            "Exports fell 3 percentage points to US$300 million, or €4bn.",
            ("3 percentage points", "US$300 million", "€4bn"),
        ),
        ("Tariffs of 10-15% would cost 5 billion dollars.", ("10-15%", "5 billion dollars")),
    ],
)
def test_figures_are_found_as_written(sentence, figures):
    assert signals(sentence).figures == figures


def test_years_day_numbers_model_names_and_counts_are_not_figures():
    sentence = (
        "Over the weekend of October 25, 2025, H-6K bombers flew; the truce expiring on "
        "November 10 covered 90 days and five issues."
    )
    assert signals(sentence).figures == ()


# --- Signals: attribution --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("sentence", "speaker"),
    [
        (
            "“We have a workable framework for the leaders to review,” Bessent said after "
            "the meeting.",
            "Bessent",
        ),
        (
            "“I think that we’re getting to a spot,” Greer told reporters, hinting at progress.",
            "Greer",
        ),
        (
            "The two world superpowers, according to Reuters, may be inching closer to a truce.",
            "Reuters",
        ),
        ("Reuters reports that U.S. Trade Representative Jamieson Greer met He Lifeng.", "Reuters"),
        ("The White House confirmed the meeting plans.", "the White House"),
        (
            "Foreign Ministry spokesperson Guo Jiakun said Beijing is ready to work with "
            "Washington.",
            "Foreign Ministry spokesperson Guo Jiakun",
        ),
        (
            "U.S. Treasury Secretary Scott Bessent stated that the negotiations helped remove the "
            "immediate threat of Trump’s 100% tariffs set for November 1.",
            "U.S. Treasury Secretary Scott Bessent",
        ),
        (
            "Ryan Hass, a senior China analyst at the Brookings Institution, said both governments "
            "will continue guarding critical supply chains.",
            "Ryan Hass",
        ),
        (
            "According to Bessent, Beijing is likely to delay its new rare-earth export controls.",
            "Bessent",
        ),
        (
            "Trump has also publicly said he may finalize an agreement with Xi regarding TikTok.",
            "Trump",
        ),
        (
            "Kennedy added that the talks will not address long-standing U.S. frustrations.",
            "Kennedy",
        ),
        (
            "Speaking at a Tokyo forum on Saturday, US Ambassador to Japan George Glass "
            "characterized the region as “a very tough neighborhood”.",
            "US Ambassador to Japan George Glass",
        ),
        (
            "“The talks were useful,” said U.S. Trade Representative Jamieson Greer.",
            "U.S. Trade Representative Jamieson Greer",
        ),
        ("He Lifeng told reporters the talks were candid.", "He Lifeng"),
        (
            "China’s Commerce Ministry said in a statement that it opposed the move.",
            "China’s Commerce Ministry",
        ),
    ],
)
def test_attribution_names_the_speaker_as_written(sentence, speaker):
    assert signals(sentence).attribution == speaker


@pytest.mark.parametrize(
    "sentence",
    [
        "“Farmers will feel good not just this year, but for years ahead,” he stated.",
        "Additionally, he said China is likely to postpone its new rare earth licensing policy.",
        "He noted that Trump prefers to strike an economic agreement.",  # Trump is not the speaker
        "Yet some experts warn that neither country is willing to give up strategic leverage.",
        "Over the weekend, Chinese state media reported that H-6K bombers conducted drills.",
        "According to sources familiar with the matter, Bessent and He Lifeng are leading talks.",
        "China, in turn, rejects Washington’s claims as economic bullying.",  # a noun, not a verb
        "Washington Signals Progress on Rare-Earth Dispute",  # a headline's capital S
        "The meeting marks the fifth in-person engagement between both sides since May.",
    ],
)
def test_a_pronoun_an_anonymous_source_or_no_speech_verb_gives_no_attribution(sentence):
    assert signals(sentence).attribution == ""


# --- Signals: quotations ---------------------------------------------------------------------


def test_a_curly_quotation_is_a_quotation():
    assert signals(
        "Chinese negotiator Li Chenggang confirmed that the sides reached a "
        "“preliminary consensus.”"
    ) == Signals(figures=(), attribution="Chinese negotiator Li Chenggang", is_quotation=True)


def test_straight_quotes_and_the_unpaired_half_of_a_long_quote_count():
    assert signals('"We will see," Greer said.').is_quotation
    assert signals("I think we’ll have a good meeting,” Trump told reporters.").is_quotation


def test_apostrophes_are_not_quotations():
    assert not signals(
        "China’s leverage and the talks’ outcome worry Beijing’s partners."
    ).is_quotation


@pytest.mark.parametrize(
    "sentence, speaker",
    [
        (
            "Analysts cautioned that the controls China announced in October could return.",
            "",
        ),
        ("Officials said that Beijing announced new curbs on Thursday.", ""),
        ("Bessent said that China announced new purchases.", "Bessent"),
        ("China announced in October that it would restrict exports.", "China"),
    ],
)
def test_the_subject_of_a_reported_clause_is_not_the_speaker(sentence, speaker):
    assert signals(sentence).attribution == speaker


# --- Faster patterns read what the plain ones read -------------------------------------------

# Text made of what the sentence patterns care about: letters, digits, spaces and line
# breaks, stops, quotes, brackets.
pattern_text = st.text(st.sampled_from(list("aZ9_é .!?…\n\t\u2028“”\"‘’'()[]-")), max_size=60)


@settings(max_examples=500, deadline=None)
@given(text=pattern_text)
def test_candidate_ends_are_those_of_the_plain_pattern(text):
    plain = re.compile(r"(?P<stop>[.!?…]+)(?P<close>[”\"’')\]]*)(?=\s|$)")

    def ends(pattern, text):
        return [(m.span(), m.group("stop", "close")) for m in pattern.finditer(text)]

    assert ends(_CANDIDATE_END, text) == ends(plain, text)
    full_stops_only = re.sub("[!?…]", "", text)
    assert ends(_FULL_STOP_END, full_stops_only) == ends(plain, full_stops_only)


@settings(max_examples=500, deadline=None)
@given(text=pattern_text, bounds=st.tuples(st.integers(0, 60), st.integers(0, 60)))
@example(text="Inc\n", bounds=(0, 4))  # "$" also matches before a line break that ends
def test_the_token_before_a_stop_is_what_the_plain_search_finds(text, bounds):
    plain = re.compile(r"[^\s“\"‘'(\[]+$")
    lo, end = sorted(min(bound, len(text)) for bound in bounds)
    found, expected = _TOKEN_BEFORE.match(text, lo, end), plain.search(text, lo, end)
    assert (found and (found.start("token"), found.group("token"))) == (
        expected and (expected.start(), expected.group())
    )


# Verbs of saying, bits of words, and what may stand around them: spaces, punctuation, word
# characters and others outside ASCII, a lone surrogate.
speech_text = run_together(
    [*_SPEECH_VERBS, "signall", "emphasi", "un", "Said", "ed", "s", "_", "2", "²", "é", "ß"]
    + list(" \n.,“”—-’\u00a0\u2028\ud800")
)


@settings(max_examples=500, deadline=None)
@given(text=speech_text)
def test_speech_verbs_are_those_the_plain_pattern_finds(text):
    plain = re.compile(
        r"\b(?:said|says|say|told|tells|stated|states|noted|notes|added|adds|predicted|predicts"
        r"|warned|warns|warn|confirmed|confirms|indicated|indicates|announced|announces"
        r"|reported|reports|report|explained|explains|insisted|insists|argued|argues|claimed"
        r"|stressed|emphasi[sz]ed|acknowledged|wrote|writes|declared|asked|replied|suggested"
        r"|suggests|hinted|hints|signall?ed|signals|cautioned|characteri[sz]ed|described"
        r"|vowed|pledged)\b"
    )
    found = sorted((m.span(), m.group()) for m in _speech_verbs(text))
    assert found == [(m.span(), m.group()) for m in plain.finditer(text)]


# Numbers, currency signs and units, and what may stand around them: digits of other
# scripts (Arabic-Indic, fullwidth), letters, spaces, punctuation.
figure_text = run_together(
    "US$ HK$ S$ A$ C$ $ € £ ¥ RMB CNY USD 1 25 3.5 1,200 ٣ ５ % percent billion bn tons"
    " metric yuan ° C F - – , . x U A".split()
    + list(" \n“’")
)


@settings(max_examples=500, deadline=None)
@given(text=figure_text)
def test_figures_are_those_the_plain_pattern_finds(text):
    plain = re.compile(_FIGURE.pattern.replace("(?=[\\d$€£¥ACHRSU])", "", 1), re.VERBOSE)
    assert plain.pattern != _FIGURE.pattern
    assert _figures(text) == tuple(m.group() for m in plain.finditer(text))


@settings(max_examples=300, deadline=None)
@given(
    words=st.lists(
        st.sampled_from(
            [*_BODY_HEAD_WORDS, "The", "the", "Commerce", "commerce", "China’s", "trade", "x"]
        ),
        min_size=1,
        max_size=6,
    )
)
def test_a_body_named_in_lower_case_ends_in_the_last_words_head_noun(words):
    found = _LOWER_BODY_BEFORE.search(" ".join(words))
    assert found is None or words[-1].endswith(_BODY_HEAD_WORDS)

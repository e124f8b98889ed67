"""Speakers: who a claim is attributed to, in the sentence (articles.pipeline.sentences) and tied
across the report (articles.pipeline.speakers).

The hand-checked list of the seed claims' speakers is the yardstick
(tests/data/seed_attributions.json); the hard cases beyond it are named as the rule they pin.
"""

import doctest
import json
from datetime import date
from pathlib import Path

import pytest

import articles.pipeline.speakers
from articles.pipeline.analysis import analyse
from articles.pipeline.sentences import signals
from articles.pipeline.speakers import name_mentions, tie_speakers
from articles.reports import parse_report
from tests.seeds import SEED_REPORTS

GOLD_PATH = Path(__file__).resolve().parent.parent / "data" / "seed_attributions.json"
PUBLISHED = date(2025, 10, 27)


def test_module_examples():
    assert doctest.testmod(articles.pipeline.speakers).failed == 0


# --- The hand-checked seed list ------------------------------------------------------------


def gold_claims() -> list[dict]:
    return json.loads(GOLD_PATH.read_text(encoding="utf-8"))["claims"]


def pipeline_claims() -> dict[tuple[str, str], str]:
    """(report file, the first 60 characters of the sentence) → the attribution it gets."""
    found = {}
    for path in SEED_REPORTS:
        report = parse_report(path.read_text(encoding="utf-8"))
        for claim in analyse(report.body, report.published).claims:
            key = (path.name, claim.sentence[:60])
            assert key not in found, key
            found[key] = claim.signals.attribution
    return found


def names_the_speaker(expected: str, found: str) -> bool:
    """The expected speaker, or the end of it from the given name on: "Scott Bessent" names
    "U.S. Treasury Secretary Scott Bessent"; "Bessent" alone does not."""
    if found.lower() == expected.lower():
        return True
    return len(found.split()) >= 2 and expected.endswith(" " + found)


def score() -> tuple[list, list, list]:
    """(claims given a speaker, of which right, required speakers found) over the list."""
    found = pipeline_claims()
    given, right, required = [], [], []
    for claim in gold_claims():
        attribution = found[(claim["file"], claim["sentence_start"])]
        ok = names_the_speaker(claim["speaker"], attribution) if claim["speaker"] else False
        if attribution:
            given.append((claim["sentence_start"], attribution, claim["speaker"]))
            if ok:
                right.append(claim["sentence_start"])
        if claim["speaker"] and not claim.get("by_pronoun"):
            required.append((claim["sentence_start"], attribution, claim["speaker"], ok))
    return given, right, required


def test_the_list_covers_every_claim_the_pipeline_makes_on_the_seeds():
    listed = [(claim["file"], claim["sentence_start"]) for claim in gold_claims()]
    assert len(listed) == len(set(listed))
    assert set(listed) == set(pipeline_claims())


def test_precision_and_recall_on_the_seed_list(capsys):
    given, right, required = score()
    precision = len(right) / len(given)
    recall = sum(ok for *_, ok in required) / len(required)
    with capsys.disabled():
        print(
            f"\nspeakers seed precision: {len(right)}/{len(given)} = {precision:.0%}, "
            f"recall: {sum(ok for *_, ok in required)}/{len(required)} = {recall:.0%}"
        )
    wrong = [(s, a, e) for s, a, e in given if s not in right]
    missed = [(s, a, e) for s, a, e, ok in required if not ok]
    assert precision >= 0.95, wrong
    assert recall >= 0.9, missed


# --- One sentence: who says it -------------------------------------------------------------


@pytest.mark.parametrize(
    ("sentence", "speaker"),
    [
        # titles with "of" and "to"
        (
            "U.S. Secretary of State Marco Rubio said Taiwan should not worry.",
            "U.S. Secretary of State Marco Rubio",
        ),
        (
            "US Ambassador to Japan George Glass said the region was “a very tough neighborhood”.",
            "US Ambassador to Japan George Glass",
        ),
        (
            "China’s Ministry of Commerce spokesperson He Yongqian said talks went well.",
            "China’s Ministry of Commerce spokesperson He Yongqian",
        ),
        # "according to", before or after what is said
        ("Talks will resume in November, according to Reuters.", "Reuters"),
        ("According to Reuters, talks will resume in November.", "Reuters"),
        (
            "According to a statement from China’s Commerce Ministry, talks went well.",
            "China’s Commerce Ministry",
        ),
        ("Talks went well, according to a readout from the White House.", "the White House"),
        # "told reporters": the reporters are told, not telling
        ("Greer told reporters on Sunday that talks went well.", "Greer"),
        (
            "“It went well,” Chinese Commerce Minister Wang Wentao told state media.",
            ("Chinese Commerce Minister Wang Wentao"),
        ),
        # a spokesperson speaks for their body
        (
            "A spokesperson for the Ministry of Commerce said the measures were lawful.",
            "the Ministry of Commerce",
        ),
        # appositives describe the speaker; they are not the speaker's name
        (
            "Ryan Hass, a senior China analyst at the Brookings Institution, said both "
            "governments will guard supply chains.",
            "Ryan Hass",
        ),
        (
            "Scott Kennedy, who heads the China program at CSIS, said both sides may agree.",
            "Scott Kennedy",
        ),
        # lists speak together, whole
        (
            "Bessent, Greer and He Lifeng said the talks were constructive.",
            "Bessent, Greer and He Lifeng",
        ),
        ("Bessent and Greer said the talks were constructive.", "Bessent and Greer"),
        # saying in a participle, before a quotation or a reported clause
        (
            "Former White House official Alex Gray rejected these fears, calling them “a "
            "Washington think-tank fever dream.”",
            "Former White House official Alex Gray",
        ),
        (
            "The Commerce Ministry issued a statement, saying: “We oppose the move.”",
            "the Commerce Ministry",
        ),
        # a body named in lower case
        ("The commerce ministry said on Thursday that talks went well.", "the commerce ministry"),
        ("Talks went well, the Chinese commerce ministry said.", "the Chinese commerce ministry"),
        (
            "China's tariff commission said on Nov. 5 that it would act.",
            "China's tariff commission",
        ),
        # "has since said"
        (
            "Treasury Secretary Scott Bessent has since said the target will be met.",
            ("Treasury Secretary Scott Bessent"),
        ),
        # a verb inside a quotation is the quoted speaker's
        (
            "“The countermeasures China announced were restrained,” Wang Xiaoming, a researcher "
            "at an institute, said in an interview.",
            "Wang Xiaoming",
        ),
        # announcing plans is saying; announcing a measure is doing
        ("Beijing announced plans to impose new controls.", "Beijing"),
        # ", and" joins two clauses, not a list of speakers
        ("They spoke for the first time since Busan, and Mr Trump said it went well.", "Mr Trump"),
    ],
)
def test_the_speaker_is_named_as_written(sentence, speaker):
    assert signals(sentence).attribution == speaker


@pytest.mark.parametrize(
    "sentence",
    [
        "Bessent Says China Will Delay Rare-Earth Controls",  # a headline: "Says" is capitalised
        "Washington Signals Progress on Rare-Earth Dispute",
        "Analysts cautioned that the controls China announced in October could return.",
        "Exports, imports and tariffs rose, officials said.",  # anonymous
        "In Washington, Beijing and Tokyo, officials said talks went well.",
        "Markets fell, adding pressure on “Beijing”.",  # adding pressure is not saying
        "Speaking at a forum, Greer smiled, calling it “good”.",  # no subject opens it
        "He described the negotiations as intense, adding that both sides tried.",  # a pronoun
        "According to a person familiar with the matter, talks went well.",
        # a place or a date after a preposition says nothing
        "Grain dealers in Chicago said on Thursday that purchases would pick up.",
        "A White House fact sheet published on Saturday added that China would buy soybeans.",
        # an anonymous source, with its participle: the name after "said" is what it said
        "A White House official, speaking on condition of anonymity, said Trump could sign.",
        "Farmers, who watched buyers leave, said they would believe the deal when they saw it.",
        "Traders said state-run COFCO bought three cargoes.",
        # announcing a measure, and a name that only qualifies the source
        "China announced the rare earth restrictions Oct. 9, and Trump responded a day later.",
        "Xi raised Taiwan, according to the Chinese readout; the talks ran long.",
    ],
)
def test_no_named_speaker_gives_no_attribution(sentence):
    assert signals(sentence).attribution == ""


# --- A report: the same speaker, named in full once ----------------------------------------


@pytest.mark.parametrize(
    ("attributions", "resolved"),
    [
        (
            ["U.S. Treasury Secretary Scott Bessent", "Bessent", "Treasury Secretary Bessent"],
            ["U.S. Treasury Secretary Scott Bessent"] * 3,
        ),
        (["China’s Commerce Ministry", "the Commerce Ministry"], ["China’s Commerce Ministry"] * 2),
        (["Foreign Minister Wang Yi", "Wang"], ["Foreign Minister Wang Yi"] * 2),
        # only earlier mentions count, and a fuller later one does not rewrite the past
        (["Bessent", "Scott Bessent", "Bessent"], ["Bessent", "Scott Bessent", "Scott Bessent"]),
        # the same last word is not the same speaker unless every word agrees
        (["the White House", "the Blue House"], ["the White House", "the Blue House"]),
        (
            ["Scott Kennedy", "Treasury Secretary Kennedy"],
            ["Scott Kennedy", "Treasury Secretary Kennedy"],
        ),
        # no speaker stays no speaker: pronouns are not guessed here
        (["Scott Kennedy", ""], ["Scott Kennedy", ""]),
        # an honorific or an article names nobody on its own
        (["Donald Trump", "Mr Trump"], ["Donald Trump"] * 2),
        (["A White House", "the White House"], ["A White House", "the White House"]),
        # a body named by its head noun is the one last named with it
        (
            ["the Ministry of Commerce", "Reuters", "the ministry"],
            [
                "the Ministry of Commerce",
                "Reuters",
                "the Ministry of Commerce",
            ],
        ),
    ],
)
def test_an_attribution_takes_the_fullest_earlier_name(attributions, resolved):
    assert tie_speakers(attributions) == tuple(resolved)


def test_names_mentioned_where_nobody_speaks_count():
    attributions = ["Reuters", "Greer"]
    mentions = [["Reuters", "U.S. Trade Representative Jamieson Greer"], ["Greer"]]
    assert tie_speakers(attributions, mentions) == (
        "Reuters",
        "U.S. Trade Representative Jamieson Greer",
    )


@pytest.mark.parametrize(
    ("sentence", "mentions"),
    [
        (
            "Reuters reports that U.S. Trade Representative Jamieson Greer and Treasury "
            "Secretary Scott Bessent met Chinese Vice Premier He Lifeng.",
            (
                "Reuters",
                "U.S. Trade Representative Jamieson Greer",
                "Treasury Secretary Scott Bessent",
                "Chinese Vice Premier He Lifeng",
            ),
        ),
        ("Presidents Donald Trump and Xi Jinping met.", ("Donald Trump", "Xi Jinping")),
        ("It followed U.S. President Donald Trump’s threat.", ("U.S. President Donald Trump",)),
        ("According to Bessent, Beijing will delay.", ("According", "Bessent", "Beijing")),
        ("Meanwhile Trump said “Great Deal”.", ("Trump", "Great Deal")),
        ("He insisted.", ()),
    ],
)
def test_name_mentions_keep_titles_and_split_lists(sentence, mentions):
    assert name_mentions(sentence) == mentions


def test_the_pipeline_ties_a_surname_to_the_name_in_a_sentence_that_is_no_claim():
    body = (
        "Treasury Secretary Scott Bessent arrived in Kuala Lumpur.\n\n"
        "“We have a framework,” Bessent said.\n\n"
        "Xi Jinping Meets Trump\n\n"
        "“It went well,” he said."
    )
    claims = analyse(body, PUBLISHED).claims
    assert [c.signals.attribution for c in claims] == ["Treasury Secretary Scott Bessent", ""]


# --- Pronouns: "he said" is the one person who could be meant, or nobody ------------------


@pytest.mark.parametrize(
    ("body", "speakers"),
    [
        # the person named before the pronoun in the sentence, at their fullest
        (
            "Donald Trump met Xi Jinping in Busan on Thursday.\n\n"
            "Mr Trump plans to visit Beijing in April, and he has said Mr Xi will visit too.",
            ["Donald Trump"],
        ),
        # or the only person the sentence before named
        (
            "Treasury Secretary Scott Bessent arrived in Kuala Lumpur on Saturday.\n\n"
            "“We have a framework,” he said.",
            ["Treasury Secretary Scott Bessent"],
        ),
        # two people could be meant: nobody
        (
            "Treasury Secretary Scott Bessent met Vice Premier He Lifeng on Saturday.\n\n"
            "“We have a framework,” he said.",
            [""],
        ),
        # a name in a quotation is not who speaks it
        (
            "“President Xi was gracious,” he said on Sunday.",
            [""],
        ),
    ],
)
def test_a_pronoun_speaks_for_the_one_person_it_can_mean(body, speakers):
    claims = [c for c in analyse(body, PUBLISHED).claims if "he " in c.sentence]
    assert [c.signals.attribution for c in claims] == speakers

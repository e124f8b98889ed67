"""Wire copy: reports printing the same agency story are one group, the earliest its origin."""

import hashlib
import io
import random
import re
from datetime import date
from unittest import mock

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from hypothesis import given, settings
from hypothesis import strategies as st

from articles import wire_groups
from articles.models import Article, WireBand
from articles.pipeline import wire
from articles.services import UNCHANGED, ingest_report
from tests.strategies import run_together

# One agency story, as outlets print it.
STORY = [
    "Chinese and U.S. negotiators wrapped up two days of trade talks in Kuala Lumpur on "
    "Sunday, saying they had reached a preliminary consensus on a range of disputes that "
    "had threatened to unravel the truce between the world's two largest economies.",
    "Treasury Secretary Scott Bessent told reporters the two sides had agreed a framework "
    "that would let President Donald Trump and President Xi Jinping discuss trade "
    "cooperation when they meet in South Korea later this week.",
    "Bessent said the threat of an additional 100% tariff on Chinese goods from November 1 "
    "had effectively been taken off the table, and that Beijing would defer its sweeping "
    "new export controls on rare earth minerals for a year while it reviewed them.",
    "China's top trade negotiator Li Chenggang said the talks had been candid, in-depth and "
    "constructive, and that both teams would now take the outcome back to their leaders "
    "for approval through their own domestic procedures.",
    "Soybean farmers in the American Midwest, who have sold almost nothing to China this "
    "season, were watching the talks closely, with traders expecting large purchases to "
    "resume once the two leaders sign off on the arrangement.",
]
# The same story, one paragraph moved and one sentence reworded by the outlet.
EDITED = [
    STORY[0],
    STORY[2].replace("taken off the table", "withdrawn for now"),
    STORY[1],
    STORY[3],
    STORY[4],
]
UNRELATED = [
    "The European Central Bank left its deposit rate unchanged on Thursday, as policymakers "
    "weighed a stronger euro against signs that inflation in the services sector was "
    "proving more stubborn than they had expected at the start of the year.",
    "President Christine Lagarde said the governing council saw no need to move again "
    "soon, although several members argued that weaker growth in Germany and France "
    "could justify a further cut before the end of the winter.",
    "Markets trimmed their bets on a December move after the decision, and the yield on "
    "Germany's two-year bond rose slightly in afternoon trading in Frankfurt.",
]
# A Reuters story told again in an outlet's own words.
REWRITTEN = [
    "BEIJING (Reuters) - Beijing will hold off on its new rare earth export rules for a "
    "year, officials said on Monday, a concession that traders in Shanghai welcomed after "
    "weeks of anxiety over supplies of magnets used in cars and wind turbines.",
    "Commerce ministry spokesperson He Yadong told a regular briefing that the pause would "
    "give companies time to apply for licences, while Washington would suspend a rule that "
    "extended its own export blacklist to the subsidiaries of listed firms.",
]


def report(paragraphs, *, outlet, published, title, byline=""):
    """A report whose body opens with its outlet's own headline, as printed copy does (two
    bodies that are the same text are one report, whoever prints them)."""
    return ingest_report(
        title=title,
        outlet=outlet,
        published=published,
        body="\n\n".join([f"{outlet} Headline For {title}", *paragraphs]),
        byline=byline,
    )


def wire_copies():
    """Three outlets print the story; the second one in is the earliest published."""
    return [
        report(
            STORY, outlet="Daily Global Reports", published=date(2025, 10, 27), title="A"
        ).article,
        report(STORY, outlet="The Saurashtra", published=date(2025, 10, 26), title="B").article,
        report(EDITED, outlet="Mint Wire", published=date(2025, 10, 28), title="C").article,
    ]


def fresh(articles):
    return [Article.objects.get(pk=a.pk) for a in articles]


@pytest.mark.parametrize(
    "body, byline, agency",
    [
        ("WASHINGTON (Reuters) - The talks ended.", "", "reuters"),
        ("The talks ended.\n\nReuters copy", "", "reuters"),
        ("The talks ended, officials said. — Reuters", "", "reuters"),
        ("SEOUL (AP) — The talks ended.", "", "ap"),
        ("The talks ended.\n\nAgence France-Presse", "", "afp"),
        ("The talks ended.\n\nAFP", "", "afp"),
        ("The talks ended.\n\nWith inputs from AFP", "", "afp"),
        ("The talks ended.", "By Associated Press", "ap"),
        ("The talks ended, according to Reuters.", "", ""),
        ("An official told AFP the talks ended.", "", ""),
        ("Reuters reports that the talks ended.", "", ""),
        ("The map of the region was published.", "", ""),
    ],
)
def test_a_report_names_its_agency_only_when_it_credits_its_copy(body, byline, agency):
    assert wire.agency_named(body, byline=byline) == agency


def plain_agency_credited(body):
    """The agency whose credit comes first in the body, every credit searched for in
    every text (wire.agency_named searches only texts that name the agency as a credit
    does)."""
    found = [
        (match.start(), key)
        for key, pattern in wire._CREDITS.items()
        if (match := pattern.search(body))
    ]
    return min(found)[1] if found else ""


# An agency's name with what may stand before and after it, in a credit or in running
# text ("APEC", "told AFP", "Reuters reported"), among other lines and words.
named = st.tuples(
    st.sampled_from(
        ["", "(", "( ", "\n(", "— ", "–", "-", " ", "\n", "\n\n  ", "With inputs from ", "by "]
        + ["Additional reporting by ", "Source: ", "source:", "Courtesy", "via ", "copyright "]
        + ["told ", "The "]
    ),
    st.sampled_from([name for _, names in wire.AGENCIES.values() for name in names]),
    st.sampled_from(
        ["", ")", " )", "\n)", ".", ". ", " .", ".\n", "\n", " copy", "  COPY.", "\tcopy"]
        + ["copy", " copyright", "EC", " reported", "'s", " said."]
    ),
).map("".join)
credit_text = st.lists(
    st.one_of(named, st.sampled_from(["The talks ended.", " ", "\n", "é", "’", "_", "2"])),
    max_size=8,
).map("".join)


@settings(max_examples=500, deadline=None)
@given(body=credit_text)
def test_only_texts_without_a_credit_go_unsearched(body):
    assert wire.agency_named(body) == plain_agency_credited(body)


def test_a_page_whose_removed_dateline_is_an_agency_s_is_its_copy():
    dateline = "AP Updated 3:15 PM EDT, June 2, 2025"
    assert wire.agency_named("The talks ended.", datelines=[dateline]) == "ap"
    assert wire.agency_named("Reuters updated its forecast on Monday.") == ""


def test_moving_a_paragraph_leaves_the_shingles_as_they_were():
    assert wire.shingles(STORY) == wire.shingles([STORY[1], STORY[0], *STORY[2:]])


def test_a_report_too_short_to_tell_a_copy_from_a_coincidence_has_no_signature():
    assert wire.signature(["Talks were held on Sunday in Kuala Lumpur."]) is None
    assert wire.signature(STORY) is not None


def test_a_signature_is_the_minhash_datasketch_draws_for_the_shingles():
    # The permutations are drawn once (wire.permutations); every stored signature must stay
    # what a MinHash of the same seed, drawn afresh, makes of the same shingles.
    from datasketch import LeanMinHash, MinHash

    for passages in (STORY, EDITED, UNRELATED):
        fresh = MinHash(num_perm=wire.NUM_PERM, seed=wire.SEED, scheme=wire.SCHEME)
        fresh.update_batch([shingle.encode() for shingle in wire.shingles(passages)])
        assert wire.load(wire.signature(passages)) == LeanMinHash(fresh)


def plain_shingles(passages):
    """wire.shingles() spelled plainly: a slice of the words for each shingle."""
    out = set()
    for text in passages:
        words = re.findall(r"\w+", text.lower())
        if len(words) <= wire.SHINGLE_WORDS:
            if words:
                out.add(" ".join(words))
            continue
        out.update(
            " ".join(words[i : i + wire.SHINGLE_WORDS])
            for i in range(len(words) - wire.SHINGLE_WORDS + 1)
        )
    return out


def datasketch_signature(passages):
    """What datasketch makes of the passages' shingles, through its own MinHash (a hash
    function call for each shingle) and LeanMinHash.serialize: the reference for
    wire.signature(), which computes the same bytes in numpy."""
    from datasketch import LeanMinHash, MinHash

    words = plain_shingles(passages)
    if len(words) < wire.MIN_SHINGLES:
        return None
    minhash = MinHash(num_perm=wire.NUM_PERM, seed=wire.SEED, scheme=wire.SCHEME)
    minhash.update_batch([w.encode() for w in words])
    lean = LeanMinHash(minhash)
    buf = bytearray(lean.bytesize(byteorder="<"))
    lean.serialize(buf, byteorder="<")
    return bytes(buf)


# Words of the story, letters outside ASCII (one whose lower case is two code points, one
# that is no letter of a word), and what stands between words.
passage_text = run_together(
    [*{w for p in STORY for w in p.split()}, "é", "ß", "İ", "中国", "’", "½", "_", "2", *" ,.-\n"],
    max_size=60,
)


@settings(max_examples=200, deadline=None)
@given(passages=st.lists(passage_text, max_size=8))
def test_the_shingles_and_the_signature_are_the_plain_spelling_s_and_datasketch_s(passages):
    assert wire.shingles(passages) == plain_shingles(passages)
    expected = datasketch_signature(passages)
    assert wire.signature(passages) == expected
    # Shingles hashed a few at a time make the same signature as all at once.
    with mock.patch.object(wire, "BATCH", 7):
        assert wire.signature(passages) == expected


@settings(max_examples=5, deadline=None)
@given(seed=st.integers(0, 2**32 - 1))
def test_a_report_of_more_shingles_than_a_batch_has_datasketch_s_signature(seed):
    draw = random.Random(seed)
    words = [
        f"{draw.choice(['talk', 'tariff', 'soja', 'été'])}{draw.randrange(100)}"
        for _ in range(5000)
    ]
    passages = [" ".join(words[:4200]), " ".join(words[4200:])]
    assert len(wire.shingles(passages)) > wire.BATCH
    assert wire.signature(passages) == datasketch_signature(passages)


def serialised(values, scheme=wire.SCHEME):
    from datasketch import LeanMinHash

    lean = LeanMinHash(seed=wire.SEED, hashvalues=values, scheme=scheme)
    buf = bytearray(lean.bytesize(byteorder="<"))
    lean.serialize(buf, byteorder="<")
    return bytes(buf)


hash_values = st.lists(st.integers(0, 2**32 - 1), min_size=wire.NUM_PERM, max_size=wire.NUM_PERM)


@settings(max_examples=100, deadline=None)
@given(
    mine=hash_values,
    others=st.lists(
        st.tuples(
            hash_values, st.lists(st.booleans(), min_size=wire.NUM_PERM, max_size=wire.NUM_PERM)
        )
    ),
)
def test_stored_signatures_read_in_place_give_datasketch_s_bands_and_similarity(mine, others):
    # Each other signature takes some of its values from mine: some near copies, some not.
    others = [
        [m if same else o for m, o, same in zip(mine, values, alike, strict=True)]
        for values, alike in others
    ]
    stored = serialised(mine)
    bands, rows = wire.lsh_params()
    values = wire.load(stored).hashvalues.astype("<u8")
    assert wire.band_keys(stored) == [
        int.from_bytes(
            hashlib.blake2b(
                band.to_bytes(2, "little") + values[band * rows : (band + 1) * rows].tobytes(),
                digest_size=8,
            ).digest(),
            "little",
            signed=True,
        )
        for band in range(bands)
    ]
    expected = {
        i: score
        for i, other in enumerate(others)
        if (score := wire.load(stored).jaccard(wire.load(serialised(other)))) >= wire.THRESHOLD
    }
    for read in (bytes, memoryview):  # SQLite reads bytes, PostgreSQL a memoryview
        found = wire.similar(read(stored), [(i, read(serialised(o))) for i, o in enumerate(others)])
        assert found == expected
        assert all(type(score) is float for score in found.values())


def test_a_signature_of_another_scheme_is_refused_as_datasketch_refuses_it():
    legacy = serialised(list(range(wire.NUM_PERM)), scheme="legacy")
    mine = serialised(list(range(wire.NUM_PERM)))
    with pytest.raises(ValueError, match="different permutation schemes"):
        wire.similar(mine, [(1, legacy)])
    assert wire.band_keys(legacy) == wire.band_keys(mine)


def test_copies_of_one_wire_story_are_one_group_with_the_earliest_as_origin(db):
    first, earliest, edited = fresh(wire_copies())
    assert first.wire_group == earliest.wire_group == edited.wire_group != ""
    assert [a.wire_origin for a in (first, earliest, edited)] == [False, True, False]
    assert earliest.source_key == edited.source_key


def test_an_unrelated_report_is_in_no_group(db):
    wire_copies()
    other = report(UNRELATED, outlet="Euro Desk", published=date(2025, 10, 27), title="ECB")
    other = Article.objects.get(pk=other.article.pk)
    assert (other.wire_group, other.wire_origin) == ("", False)
    assert other.source_key == f"article-{other.pk}"


def test_a_rewritten_report_that_credits_reuters_is_grouped_under_reuters(db):
    wire_copies()
    article = report(REWRITTEN, outlet="Asia Trade", published=date(2025, 10, 27), title="RE")
    article = Article.objects.get(pk=article.article.pk)
    assert (article.agency, article.wire_group) == ("reuters", "reuters")
    assert article.get_agency_display() == "Reuters"
    assert article.wire_origin


def test_copies_join_the_agency_a_copy_of_theirs_names(db):
    copies = wire_copies()
    credited = report(
        [f"KUALA LUMPUR (Reuters) - {STORY[0]}", *STORY[1:]],
        outlet="Reuters",
        published=date(2025, 10, 25),
        title="Reuters",
    ).article
    groups = [a.wire_group for a in fresh([*copies, credited])]
    assert groups == ["reuters"] * 4
    assert Article.objects.get(pk=credited.pk).wire_origin


def test_re_ingesting_a_report_changes_nothing(db):
    copies = wire_copies()
    before = list(
        Article.objects.order_by("pk").values_list(
            "pk", "wire_group", "wire_origin", "agency", "wire_signature", "version"
        )
    )
    versions = Article.history.count()
    again = report(STORY, outlet="Daily Global Reports", published=date(2025, 10, 27), title="A")
    assert again.status == UNCHANGED
    assert again.article.pk == copies[0].pk
    after = list(
        Article.objects.order_by("pk").values_list(
            "pk", "wire_group", "wire_origin", "agency", "wire_signature", "version"
        )
    )
    assert [row[:4] + (bytes(row[4]),) + row[5:] for row in after] == [
        row[:4] + (bytes(row[4]),) + row[5:] for row in before
    ]
    assert Article.history.count() == versions


def test_a_corrected_report_that_no_longer_copies_the_story_leaves_its_group(db):
    first, earliest, _ = wire_copies()
    ingest_report(
        article=first,
        title="A",
        outlet="Daily Global Reports",
        published=date(2025, 10, 27),
        body="\n\n".join(["A Corrected Headline", *UNRELATED]),
    )
    first, earliest = fresh([first, earliest])
    assert first.wire_group == ""
    assert earliest.wire_group != "" and earliest.wire_origin


def test_the_origin_corrected_out_of_its_group_is_no_origin_and_the_next_earliest_is(db):
    first, earliest, edited = wire_copies()
    corrected = ingest_report(
        article=earliest,
        title="B",
        outlet="The Saurashtra",
        published=date(2025, 10, 26),
        body="\n\n".join(["A Corrected Headline", *UNRELATED]),
    ).article
    stored = fresh([first, earliest, edited])
    assert [(a.wire_group != "", a.wire_origin) for a in stored] == [
        (True, True),
        (False, False),
        (True, False),
    ]
    # What the door hands back is what it stored.
    assert (corrected.wire_group, corrected.wire_origin) == ("", False)


def test_the_door_hands_back_each_copy_as_grouping_left_it(db):
    for paragraphs, outlet, day in [
        (STORY, "One", 27),
        (STORY, "Two", 26),
        (EDITED, "Three", 28),
        (UNRELATED, "Four", 27),
    ]:
        article = report(
            paragraphs, outlet=outlet, published=date(2025, 10, day), title=outlet
        ).article
        stored = Article.objects.get(pk=article.pk)
        assert (article.wire_group, article.wire_origin) == (
            stored.wire_group,
            stored.wire_origin,
        ), outlet


def test_a_copy_group_left_with_one_report_is_no_group(db):
    copy = report(STORY, outlet="One", published=date(2025, 10, 26), title="One").article
    other = report(STORY[:4], outlet="Two", published=date(2025, 10, 27), title="Two").article
    assert Article.objects.get(pk=copy.pk).wire_group != ""
    ingest_report(
        article=other,
        title="Two",
        outlet="Two",
        published=date(2025, 10, 27),
        body="\n\n".join(["A Corrected Headline", *UNRELATED]),
    )
    assert [(a.wire_group, a.wire_origin) for a in fresh([copy, other])] == [("", False)] * 2


def test_reports_published_weeks_apart_are_not_compared(db):
    report(STORY, outlet="One", published=date(2025, 10, 26), title="One")
    late = report(STORY[:4], outlet="Two", published=date(2025, 12, 26), title="Two").article
    assert Article.objects.get(pk=late.pk).wire_group == ""


def test_grouping_reads_signatures_never_the_other_reports_texts(db):
    wire_copies()
    article = report(EDITED, outlet="Late", published=date(2025, 10, 29), title="D").article
    with CaptureQueriesContext(connection) as queries:
        wire_groups.group(article, EDITED)
    sql = " ".join(q["sql"] for q in queries.captured_queries)
    assert "wire_signature" in sql
    assert '"body"' not in sql and '"raw_body"' not in sql
    assert Article.objects.get(pk=article.pk).wire_group != ""


def test_a_band_keeps_its_report_s_day_and_moves_with_a_corrected_one(db):
    a, b, c = wire_copies()
    assert set(WireBand.objects.values_list("article", "published")) == {
        (x.pk, x.published) for x in (a, b, c)
    }
    # The editor corrects C's day: its bands move with it, and it is still a copy.
    ingest_report(
        title="C",
        outlet="Mint Wire",
        published=date(2025, 10, 30),
        body=Article.objects.get(pk=c.pk).raw_body,
        article=c,
    )
    assert set(WireBand.objects.filter(article=c).values_list("published", flat=True)) == {
        date(2025, 10, 30)
    }
    assert len({x.wire_group for x in fresh([a, b, c])}) == 1


def test_a_copy_joining_a_large_group_rewrites_its_own_row_only(db):
    copies = wire_copies() + [
        report(STORY, outlet=f"Desk {n}", published=date(2025, 10, 27), title=f"E{n}").article
        for n in range(4)
    ]
    changed = []

    def count_changes(execute, sql, params, many, context):
        result = execute(sql, params, many, context)
        if sql.lstrip().upper().startswith("UPDATE") and Article._meta.db_table in sql:
            changed.append(context["cursor"].rowcount)
        return result

    article = report(EDITED, outlet="Late", published=date(2025, 10, 29), title="D").article
    with connection.execute_wrapper(count_changes):
        wire_groups.group(article, EDITED)
    # The group's origin (B, the earliest) stays: no other member is written again.
    assert sum(changed) == 1
    assert [x.wire_origin for x in fresh(copies)] == [False, True] + [False] * 5
    assert Article.objects.get(pk=article.pk).wire_group == fresh(copies)[0].wire_group != ""


def unrelated_reports(count: int, published: date) -> list[Article]:
    """Reports of the same days that copy nothing: words drawn at random."""
    rng = random.Random(count)
    vocabulary = UNRELATED[0].split() + UNRELATED[1].split() + REWRITTEN[1].split()
    return [
        report(
            [" ".join(rng.choices(vocabulary, k=60)) + "." for _ in range(3)],
            outlet=f"Desk {n}",
            published=published,
            title=f"Desk {n}",
        ).article
        for n in range(count)
    ]


def test_grouping_compares_a_report_only_with_the_reports_that_share_a_band(db, monkeypatch):
    copies = wire_copies()
    unrelated_reports(12, date(2025, 10, 28))
    compared = []

    def spy(stored, others):
        others = list(others)
        compared.append({key for key, _ in others})
        return wire.similar(stored, others)

    monkeypatch.setattr(wire_groups, "similar", spy)
    late = report(EDITED[:4], outlet="Late", published=date(2025, 10, 29), title="D").article

    assert compared == [{a.pk for a in copies}]
    assert Article.objects.get(pk=late.pk).wire_group == fresh(copies)[0].wire_group != ""
    assert WireBand.objects.filter(article=late).count() == wire.lsh_params()[0]


def test_regrouping_puts_every_report_back_in_its_group(db):
    copies = wire_copies()
    alone = report(UNRELATED, outlet="Rates Daily", published=date(2025, 10, 27), title="D")
    before = {a.pk: (a.wire_group, a.wire_origin) for a in fresh(copies)}
    # Groups lost (a repair after a bad deploy, or new thresholds): the command rebuilds them.
    Article.objects.update(wire_group="", wire_origin=False)
    out = io.StringIO()
    call_command("regroup_wire", stdout=out)
    assert {a.pk: (a.wire_group, a.wire_origin) for a in fresh(copies)} == before
    assert Article.objects.get(pk=alone.article.pk).wire_group == ""
    assert out.getvalue().strip() == (
        "4 reports read: 3 in 1 wire groups (1 origins), 1 on their own; 2 independent sources."
    )


def test_regrouping_writes_the_bands_again_and_later_copies_find_the_group(db):
    copies = wire_copies()
    WireBand.objects.all().delete()

    call_command("regroup_wire", stdout=io.StringIO())
    late = report(EDITED, outlet="Late", published=date(2025, 10, 29), title="D").article

    assert WireBand.objects.count() == 4 * wire.lsh_params()[0]
    groups = {a.wire_group for a in fresh([*copies, late])}
    assert len(groups) == 1 and groups != {""}


def test_the_admin_shows_an_editor_which_reports_print_the_same_copy(db, admin_client):
    a, b, c = wire_copies()
    listing = admin_client.get("/admin/articles/article/").content.decode()
    assert listing.count(f"{b.wire_group} (origin)") == 1
    page = admin_client.get(f"/admin/articles/article/{a.pk}/change/").content.decode()
    assert "counted as one independent source" in page
    assert f"/admin/articles/article/{b.pk}/change/" in page and "(origin)" in page
    assert f"/admin/articles/article/{c.pk}/change/" in page

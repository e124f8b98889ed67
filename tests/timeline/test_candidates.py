"""New events from what the reports mention: candidates grouped, shown, made into events."""

import doctest
import itertools
from datetime import date
from types import SimpleNamespace

import pytest
from django.contrib.auth.models import Permission
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

import timeline.candidates
from articles.pipeline.analysis import places_in
from timeline.candidates import as_group, group_candidates, normalize
from timeline.linking import unlinked_claims
from timeline.models import Event, Evidence

from .factories import add_report, claim_with
from .pages import parse

# --- grouping, without a database --------------------------------------------------------------

_ids = itertools.count(1)
MON_27_OCT = date(2025, 10, 27)


def candidate(sentence, words, start, end=None, *, precision="day", outlet="Wire", topics=()):
    """A dated claim as the candidates page has it: its report, places, mention and topics."""
    at = sentence.index(words)
    mention = SimpleNamespace(
        pk=next(_ids),
        text=words,
        start=at,
        end=at + len(words),
        date_start=start,
        date_end=end or start,
        precision=precision,
        explanation=f"{words} → …",
    )
    article = SimpleNamespace(
        pk=next(_ids), published=MON_27_OCT, outlet=SimpleNamespace(name=outlet)
    )
    tags = [SimpleNamespace(pk=slug, slug=slug) for slug in topics]
    return SimpleNamespace(
        pk=next(_ids),
        sentence=sentence,
        places=list(places_in(sentence)),
        mentions=SimpleNamespace(all=lambda: [mention]),
        topics=SimpleNamespace(all=lambda: tags),
        article=article,
        article_id=article.pk,
    )


DECEMBER = (date(2025, 12, 1), date(2025, 12, 31))


def in_december(sentence, **kwargs):
    return candidate(sentence, "in December", *DECEMBER, precision="month", **kwargs)


VISIT = [
    in_december("Trump to visit China in December, the White House said.", outlet="A"),
    in_december("President Trump is expected to visit China in December.", outlet="B"),
    in_december(
        "Officials said Trump would visit China in December to sign the soybean deal.",
        outlet="C",
        topics=["agriculture"],
    ),
]


def sentences(groups):
    return [[m.claim.sentence for m in g.members] for g in groups]


def test_the_module_examples_hold():
    assert doctest.testmod(timeline.candidates).failed == 0


def test_sentences_of_different_reports_sharing_a_date_and_two_words_are_one_group():
    [group] = group_candidates(VISIT)
    assert group.reports == 3
    assert group.outlets == ["A", "B", "C"]
    assert group.reason == (
        "Their dates meet (December 2025) and they share the words “Trump”, “visit”."
    )


def test_the_label_names_a_title_the_dates_at_their_precision_and_the_reports():
    [group] = group_candidates(VISIT)
    assert group.label == "Trump to visit China · December 2025 · 3 reports"


def test_one_shared_place_is_enough():
    fees = candidate(
        "Port fees on vessels will be suspended on November 10 in Busan.",
        "November 10",
        date(2025, 11, 10),
    )
    meet = candidate(
        "Negotiators will meet in Busan on November 10 to settle the dispute.",
        "November 10",
        date(2025, 11, 10),
    )
    [group] = group_candidates([fees, meet])
    assert group.shared_places == ["Busan"]
    assert group.keywords[0] == "Busan"
    assert group.proposal()["place"] == "Busan"


def test_capitals_standing_for_their_governments_and_the_talks_common_words_tie_nothing():
    a = in_december("Beijing will answer Washington on trade in December.")
    b = in_december("Washington expects Beijing to respond on Chinese trade in December.")
    assert sentences(group_candidates([a, b])) == [[a.sentence], [b.sentence]]


def test_the_words_of_the_dates_are_not_shared_words():
    a = candidate("Markets rallied on Thursday.", "on Thursday", date(2025, 10, 30))
    b = candidate("Ships docked on Thursday.", "on Thursday", date(2025, 10, 30))
    assert len(group_candidates([a, b])) == 2
    assert normalize("Thursday") == normalize("weeks") == ""


def test_sentences_whose_dates_do_not_meet_stay_apart():
    a = in_december("Trump to visit China in December.")
    b = candidate("Trump will visit China on November 3.", "November 3", date(2025, 11, 3))
    assert len(group_candidates([a, b])) == 2


def test_a_day_apart_is_within_a_day_precisions_slack():
    friday = candidate("Trump and Xi sign the accord on Friday.", "on Friday", date(2025, 10, 31))
    saturday = candidate(
        "Trump and Xi sign the accord on Saturday.", "on Saturday", date(2025, 11, 1)
    )
    [group] = group_candidates([friday, saturday])
    # No day both name: the event spans both, at the day.
    assert group.span == (date(2025, 10, 31), date(2025, 11, 1), "day")
    assert group.when == "Fri 31 Oct – Sat 1 Nov 2025"


def test_a_group_never_chains_two_stories_through_a_sentence_between_them():
    fees = in_december("Port fees on vessels will be suspended in December.")
    both = in_december("Port fees will be suspended in December and soybean purchases resume.")
    soy = in_december("Soybean purchases resume in December, traders said.")
    # fees~both share "port", "fee"; both~soy share "soybean", "purchase"; fees and soy nothing.
    assert sentences(group_candidates([fees, both, soy])) == [
        [fees.sentence, both.sentence],
        [soy.sentence],
    ]


def test_the_event_is_dated_by_what_every_sentence_allows_at_the_finest_precision():
    fifteenth = candidate(
        "Trump will visit China on December 15.", "December 15", date(2025, 12, 15)
    )
    [group] = group_candidates([*VISIT, fifteenth])
    assert group.span == (date(2025, 12, 15), None, "day")
    assert group.label == "Trump to visit China · Mon 15 Dec 2025 · 4 reports"


def test_the_proposal_fills_the_event_from_the_sentences():
    [group] = group_candidates(VISIT)
    assert group.proposal() == {
        "title": "Trump to visit China",
        "start": date(2025, 12, 1),
        "end": None,
        "precision": "month",
        "status": Event.Status.SCHEDULED,  # every report speaks of it ahead of December
        "place": "",
        "topics": ["agriculture"],
        "keywords": ["Trump", "visit"],  # "China" is in nearly every report
    }


def test_a_lone_sentence_is_a_group_of_one_report_titled_from_its_words():
    rally = candidate("Stock markets rallied on Sunday.", "on Sunday", date(2025, 10, 26))
    [group] = group_candidates([rally])
    assert group.label == "Stock markets rallied · Sun 26 Oct 2025 · 1 report"
    assert group.keywords == []
    assert group.reason == "No other report's sentence shares its date and words."


def test_the_groups_of_most_reports_come_first():
    rally = candidate("Stock markets rallied on Sunday.", "on Sunday", date(2025, 10, 26))
    groups = group_candidates([rally, *VISIT])
    assert [g.reports for g in groups] == [3, 1]


def test_an_editors_choice_is_one_group_whatever_its_words():
    rally = candidate("Stock markets rallied on Sunday.", "on Sunday", date(2025, 10, 26))
    ships = candidate("Ships docked on Sunday.", "on Sunday", date(2025, 10, 26))
    group = as_group([rally, ships])
    assert len(group.members) == 2
    assert group.ids == f"{rally.pk},{ships.pk}"


# --- the candidates page --------------------------------------------------------------------

LIST = reverse("admin:timeline_eventcandidate_changelist")
CREATE = reverse("admin:timeline_eventcandidate_create")


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def reports(db):
    """Three outlets report Trump's visit for December; one of them also a market rally."""
    bodies = [
        ("Harbour Wire", 27, "Trump to visit China in December, the White House said.\n\n"
         "Stock markets rallied on Sunday."),
        ("Coast Herald", 28, "President Trump is expected to visit China in December."),
        ("Delta Times", 29,
         "Officials said Trump would visit China in December to sign the soybean deal."),
    ]  # fmt: skip
    return [
        add_report(body, published=date(2025, 10, day), title=f"{outlet} report", outlet=outlet)
        for outlet, day, body in bodies
    ]


def visit_claims():
    return [
        claim_with("Trump to visit"),
        claim_with("expected to visit"),
        claim_with("would visit"),
    ]


def groups_on(response):
    return [
        div
        for div in parse(response).find_all("div", cls="candidate-group")
        if "module" in div.classes
    ]


def test_the_candidates_list_shows_groups_with_their_sentences_dates_and_outlets(
    reports, editor_client
):
    visit, rally = groups_on(editor_client.get(LIST))
    assert visit.find("h2").words() == "Trump to visit China · December 2025 · 3 reports"
    assert rally.find("h2").words() == "Stock markets rallied · Sun 26 Oct 2025 · 1 report"
    rows = [[td.words() for td in tr.find_all("td")] for tr in visit.find("tbody").find_all("tr")]
    assert [row[2] for row in rows] == ["Delta Times", "Coast Herald", "Harbour Wire"]
    assert rows[0][0].startswith("“Officials said Trump would visit China in December")
    assert rows[0][1] == claim_with("would visit").mentions.get().explanation
    assert rows[0][1].startswith("in December → December 2025 (month)")
    assert "Outlets: Coast Herald, Delta Times, Harbour Wire." in visit.words()


def test_the_candidates_list_shows_no_offsets_selectors_or_hashes(reports, editor_client):
    content = editor_client.get(LIST).content.decode()
    main = parse(content).by_id("changelist")
    headers = [th.words() for th in main.find_all("th")]
    assert set(headers) == {"What the report says", "Its dates, in words", "Outlet", "Published"}
    for claim in visit_claims():
        assert claim.sentence_hash not in content
        assert f"{claim.start}" not in main.words().replace("2025", "")
    assert not {"prefix", "suffix", "hash", "offset"} & set(main.words().lower().split())


def test_each_group_has_a_create_event_button_posting_its_claims(reports, editor_client):
    doc = parse(editor_client.get(LIST))
    visit = groups_on(editor_client.get(LIST))[0]
    [button] = visit.find_all("button")
    assert button.words() == "Create event"
    assert button.attrs["formaction"] == CREATE
    assert sorted(map(int, button.attrs["value"].split(","))) == sorted(
        c.pk for c in visit_claims()
    )
    form = doc.by_id("changelist-form")
    assert form.attrs["method"] == "post"
    assert form.find("input", name="csrfmiddlewaretoken") is not None


def test_the_candidates_page_runs_as_many_queries_however_many_candidates(reports, editor_client):
    def queries():
        with CaptureQueriesContext(connection) as captured:
            assert editor_client.get(LIST).status_code == 200
        return len(captured)

    before = queries()
    for n in range(6):
        add_report(
            f"Trump to visit China in December, outlet {n} says.\n\n"
            f"Ships number {n} docked on Sunday in Geneva.",
            published=date(2025, 10, 27),
            title=f"Report {n}",
            outlet=f"Outlet {n}",
        )
    assert len(groups_on(editor_client.get(LIST))) == 3
    assert queries() == before


# --- "Create event" ---------------------------------------------------------------------------


def ids_of(claims):
    return ",".join(str(c.pk) for c in claims)


def submitted(form) -> dict:
    """The POST data of the create form as rendered."""
    data = {}
    for name in form.fields:
        value = form[name].value()
        if value in (None, "", []):
            continue
        data[name] = [str(v) for v in value] if isinstance(value, list) else str(value)
    return data


def test_create_event_opens_the_event_form_filled_in_from_the_group(reports, editor_client):
    response = editor_client.post(CREATE, {"claims": ids_of(visit_claims())})
    assert response.status_code == 200
    form = response.context["form"]
    assert {name: form[name].value() for name in ["title", "slug", "precision", "place"]} == {
        "title": "Trump to visit China",
        "slug": "trump-to-visit-china",
        "precision": "month",
        "place": "",
    }
    assert form["start"].value() == date(2025, 12, 1)
    assert form["end"].value() is None
    keywords = form.fields["keywords"]
    assert keywords.clean(form["keywords"].value()) == ["Trump", "visit"]
    assert [
        t.slug for t in form.fields["topics"].queryset.filter(pk__in=form["topics"].value())
    ] == ["agriculture"]
    doc = parse(response)
    assert "Trump to visit China · December 2025 · 3 reports" in doc.words()
    posted = doc.find("input", name="claims").attrs["value"]
    assert sorted(map(int, posted.split(","))) == sorted(c.pk for c in visit_claims())
    assert not Event.objects.exists()


def test_saving_creates_the_event_and_accepts_the_sentences_as_its_evidence(reports, editor_client):
    claims = visit_claims()
    form = editor_client.post(CREATE, {"claims": ids_of(claims)}).context["form"]
    data = submitted(form) | {"claims": ids_of(claims), "_create": "1", "kind": "summit"}
    data["title"] = "Trump visits China"  # the editor's own words

    response = editor_client.post(CREATE, data, follow=True)
    event = Event.objects.get()
    assert response.redirect_chain[-1][0] == reverse("admin:timeline_event_change", args=[event.pk])
    assert "“Trump visits China” was created, with 3 quotes accepted as its evidence." in (
        response.content.decode()
    )
    assert (event.title, event.slug, event.start, event.precision, event.kind) == (
        "Trump visits China",
        "trump-to-visit-china",
        date(2025, 12, 1),
        "month",
        "summit",
    )
    assert event.keywords == ["Trump", "visit"]
    assert [t.slug for t in event.topics.all()] == ["agriculture"]
    rows = Evidence.objects.filter(event=event).select_related("mention", "claim")
    assert sorted(ev.claim_id for ev in rows) == sorted(c.pk for c in claims)
    assert {(ev.state, ev.stance) for ev in rows} == {("accepted", "supports")}
    assert all(
        ev.mention.text == "in December" and ev.mention.claim_id == ev.claim_id for ev in rows
    )
    assert all(ev.claim.reviewed for ev in rows)
    # No longer candidates; the event is on the timeline with its three sources.
    assert not unlinked_claims().filter(pk__in=[c.pk for c in claims]).exists()
    assert event in Event.objects.sourced()
    assert "3 sources · 3 outlets" in editor_client.get("/").content.decode()


def test_a_form_with_an_error_creates_nothing_and_says_why(reports, editor_client):
    claims = visit_claims()
    form = editor_client.post(CREATE, {"claims": ids_of(claims)}).context["form"]
    data = submitted(form) | {"claims": ids_of(claims), "_create": "1", "end": "2025-11-01"}
    response = editor_client.post(CREATE, data)
    assert response.status_code == 200
    assert response.context["form"].errors
    assert not Event.objects.exists()
    assert not Evidence.objects.exists()


def test_a_failure_while_accepting_leaves_no_event_behind(reports, editor_client, monkeypatch):
    claims = visit_claims()
    form = editor_client.post(CREATE, {"claims": ids_of(claims)}).context["form"]
    data = submitted(form) | {"claims": ids_of(claims), "_create": "1"}

    def broken(*args, **kwargs):
        raise RuntimeError("the database went away")

    monkeypatch.setattr(timeline.candidates, "decide", broken)
    editor_client.raise_request_exception = True
    with pytest.raises(RuntimeError):
        editor_client.post(CREATE, data)
    assert not Event.objects.exists()
    assert not Evidence.objects.exists()


def test_sentences_no_longer_candidates_lead_back_to_the_list_with_a_message(
    reports, editor_client
):
    response = editor_client.post(CREATE, {"claims": "999999,abc,"}, follow=True)
    assert response.redirect_chain[-1][0] == LIST
    assert "These sentences are no longer candidates" in response.content.decode()


def test_creating_an_event_needs_the_permission_to_add_events(reports, django_user_model):
    viewer = django_user_model.objects.create_user("vic", password="not-a-real-password")
    viewer.is_staff = True
    viewer.save()
    viewer.user_permissions.add(Permission.objects.get(codename="view_eventcandidate"))
    client = Client()
    client.force_login(viewer)
    visit = groups_on(client.get(LIST))[0]
    assert visit.find("button") is None
    assert client.post(CREATE, {"claims": ids_of(visit_claims())}).status_code == 403
    assert not Event.objects.exists()


def test_create_event_takes_only_a_post_with_its_csrf_token(reports, editor):
    client = Client(enforce_csrf_checks=True)
    client.force_login(editor)
    ids = ids_of(visit_claims())
    assert client.get(CREATE, {"claims": ids}).status_code == 405
    assert client.post(CREATE, {"claims": ids}).status_code == 403
    token = parse(client.get(LIST)).find("input", name="csrfmiddlewaretoken").attrs["value"]
    assert client.post(CREATE, {"claims": ids, "csrfmiddlewaretoken": token}).status_code == 200


def test_the_groups_are_paged_keeping_the_search(reports, editor_client, monkeypatch):
    from timeline.admin import EventCandidateAdmin

    monkeypatch.setattr(EventCandidateAdmin, "list_per_page", 1)
    first = editor_client.get(LIST + "?q=e")
    [group] = groups_on(first)
    assert group.find("h2").words().startswith("Trump to visit China")
    pager = parse(first).find("nav", cls="paginator")
    assert pager.words().endswith("2 groups of 4 candidates")
    [second_page] = [a.attrs["href"] for a in pager.find_all("a")]
    assert "q=e" in second_page and "p=2" in second_page
    [group] = groups_on(editor_client.get(LIST + second_page))
    assert group.find("h2").words().startswith("Stock markets rallied")

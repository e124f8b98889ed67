"""The claims as W3C Web Annotations, read back as JSON-LD with pyld.

The annotations are only right if a JSON-LD processor, given the W3C context, reads them
as the Web Annotation vocabulary says: so each test expands them with pyld, using a local
copy of http://www.w3.org/ns/anno.jsonld (tests/data/anno.jsonld; no network), and checks
the expanded statements against the reports and the timeline.
"""

import json
from pathlib import Path

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from pyld import jsonld

from articles.models import Article, Claim
from timeline.exports.annotations import PAGE_SIZE
from timeline.models import Evidence

from .factories import grow

ANNO = "http://www.w3.org/ns/anno.jsonld"
CONTEXT_FILE = Path(__file__).parent.parent / "data" / "anno.jsonld"
CONTENT_TYPE = 'application/ld+json; profile="http://www.w3.org/ns/anno.jsonld"'
OA = "http://www.w3.org/ns/oa#"
AS = "http://www.w3.org/ns/activitystreams#"
RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"


def local_documents(url, options=None):
    """pyld's document loader, offline: the W3C context from its file, nothing else."""
    if url.rstrip("/") != ANNO:
        raise AssertionError(f"the test tried to load {url}")
    document = json.loads(CONTEXT_FILE.read_text(encoding="utf-8"))
    return {"contextUrl": None, "documentUrl": url, "document": document}


OPTIONS = {"documentLoader": local_documents}


def expand(document) -> list[dict]:
    return jsonld.expand(document, OPTIONS)


def get(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    assert response["Content-Type"] == CONTENT_TYPE
    return response.json()


def ids(node, key):
    return [value["@id"] for value in node.get(key, [])]


def values(node, key):
    return [value["@value"] for value in node.get(key, [])]


def unwrap(data):
    """The JSON with every list of one item replaced by the item."""
    if isinstance(data, list):
        return unwrap(data[0]) if len(data) == 1 else [unwrap(item) for item in data]
    if isinstance(data, dict):
        return {key: unwrap(value) for key, value in data.items()}
    return data


def one(nodes, type_):
    [node] = [n for n in nodes if type_ in n.get("@type", [])]
    return node


def all_annotations(client):
    """Every annotation, following the collection's pages as a client would."""
    [collection] = expand(get(client, "/api/annotations/"))
    assert collection["@type"] == [AS + "OrderedCollection"]
    total = values(collection, AS + "totalItems")[0]
    [url] = ids(collection, AS + "first")
    [last] = ids(collection, AS + "last")
    items, pages = [], []
    while url:
        [page] = expand(get(client, url))
        assert page["@type"] == [AS + "OrderedCollectionPage"]
        assert page["@id"] == url
        [part_of] = page[AS + "partOf"]
        assert part_of["@id"] == collection["@id"]
        assert values(page, AS + "startIndex") == [len(items)]
        [page_items] = page[AS + "items"]
        items += page_items["@list"]
        pages.append(url)
        [url] = ids(page, AS + "next") or [None]
    assert pages[-1] == last
    assert len(items) == total
    return items, pages


@pytest.fixture
def annotations(seeded, client):
    items, _ = all_annotations(client)
    return items


def test_the_collection_and_its_pages_are_what_the_annotation_protocol_describes(seeded, client):
    data = get(client, "/api/annotations/")
    assert data["@context"] == ANNO
    assert data["type"] == "AnnotationCollection"
    assert data["total"] == Claim.objects.anchored().count() > 0
    assert data["first"] == "http://testserver/api/annotations/?page=1"
    # Compacting the expanded page with the context gives the page back: every term in it
    # is one the W3C context defines (an unknown one would be dropped by expansion).
    page = get(client, "/api/annotations/?page=1")
    # (Compaction writes a list of one as its item, as the model allows either.)
    assert unwrap(jsonld.compact(expand(page), ANNO, OPTIONS)) == unwrap(page)


def test_every_anchored_claim_is_one_annotation_of_its_sentence(annotations):
    claims = Claim.objects.anchored().select_related("article")
    by_id = {f"http://testserver{c.get_absolute_url()}": c for c in claims}
    assert sorted(a["@id"] for a in annotations) == sorted(by_id)
    bodies = {a.pk: a.body for a in Article.objects.all()}
    for annotation in annotations:
        claim = by_id[annotation["@id"]]
        assert annotation["@type"] == [OA + "Annotation"]
        [target] = annotation[OA + "hasTarget"]
        report_page = f"http://testserver{claim.article.get_absolute_url()}"
        assert ids(target, OA + "hasSource") == [claim.article.url or report_page]
        selectors = target[OA + "hasSelector"]
        quote = one(selectors, OA + "TextQuoteSelector")
        position = one(selectors, OA + "TextPositionSelector")
        [start] = values(position, OA + "start")
        [end] = values(position, OA + "end")
        [exact] = values(quote, OA + "exact")
        [prefix] = values(quote, OA + "prefix")
        [suffix] = values(quote, OA + "suffix")
        # The positions are offsets into the report's body: the quote is exactly there.
        body = bodies[claim.article_id]
        assert exact == claim.sentence == body[start:end]
        assert body[:start].endswith(prefix) and body[end:].startswith(suffix)


def test_an_annotation_links_the_events_its_claim_supports_and_says_its_dates(annotations):
    supports = {}
    for ev in Evidence.objects.shown().filter(stance="supports").select_related("event"):
        supports.setdefault(f"#claim-{ev.claim_id}", set()).add(
            f"http://testserver{ev.event.get_absolute_url()}"
        )
    claims = {f"#claim-{c.pk}": c for c in Claim.objects.prefetch_related("mentions")}
    linking = 0
    for annotation in annotations:
        key = "#" + annotation["@id"].partition("#")[2]
        bodies = annotation.get(OA + "hasBody", [])
        events = {
            source
            for body in bodies
            if OA + "SpecificResource" in body["@type"]
            for source in ids(body, OA + "hasSource")
            if ids(body, OA + "hasPurpose") == [OA + "linking"]
        }
        assert events == supports.get(key, set())
        motivation = ids(annotation, OA + "motivatedBy")
        assert motivation == [OA + ("linking" if events else "describing")]
        linking += bool(events)
        mentions = list(claims[key].mentions.all())
        textual = [b for b in bodies if OA + "TextualBody" in b["@type"]]
        if mentions:
            [text] = values(textual[0], RDF + "value")
            assert ids(textual[0], OA + "hasPurpose") == [OA + "describing"]
            for mention in mentions:
                assert f"“{mention.text}” → " in text
        else:
            assert textual == []
    assert linking >= 7


def test_the_dates_are_resolved_in_the_textual_body(seeded, client):
    claim = Claim.objects.get(mentions__text="Thursday", article__title="US China Trade Deal")
    page = get(client, "/api/annotations/?page=1")
    [annotation] = [a for a in page["items"] if a["id"].endswith(f"#claim-{claim.pk}")]
    [text] = [b["value"] for b in annotation["body"] if b["type"] == "TextualBody"]
    assert "“Thursday” → Thu 30 Oct 2025" in text


def test_pages_are_bounded_stable_and_their_queries_do_not_grow(seeded, client):
    def page_one():
        with CaptureQueriesContext(connection) as ctx:
            data = get(client, "/api/annotations/?page=1")
        return len(ctx.captured_queries), data

    small, first = page_one()
    assert page_one()[1] == first  # the same page, the same annotations, in the same order
    grow()
    total = Claim.objects.anchored().count()
    assert total > PAGE_SIZE
    large, data = page_one()
    assert large == small
    assert len(data["items"]) == PAGE_SIZE
    assert data["next"].endswith("?page=2")
    items, pages = all_annotations(client)
    assert len(pages) == -(-total // PAGE_SIZE)
    assert len({item["@id"] for item in items}) == total


@pytest.mark.parametrize("page", ["0", "99", "x", ""])
def test_a_page_that_does_not_exist_is_404(db, client, page):
    assert client.get(f"/api/annotations/?page={page}").status_code == 404


def test_it_only_reads(seeded, client):
    assert client.head("/api/annotations/").status_code == 200
    assert client.post("/api/annotations/").status_code == 405

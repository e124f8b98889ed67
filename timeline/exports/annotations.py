"""Every claim as a W3C Web Annotation (https://www.w3.org/TR/annotation-model/).

/api/annotations/ is an AnnotationCollection; its AnnotationPages (?page=1, 2, ...) hold the
annotations, PAGE_SIZE at a time, in a fixed order (by report, then place in the report).
Each annotation targets the sentence in its report, the original page when the report has
one, with a TextQuoteSelector (the claim's own W3C selector, articles.pipeline.anchoring)
and a TextPositionSelector; its bodies are the events the claim supports and the dates it
resolves. Annotation tools (Hypothesis and the like) can anchor them in the original page.
"""

from django.core.paginator import EmptyPage, PageNotAnInteger, Paginator
from django.db.models import Prefetch
from django.http import Http404, JsonResponse
from django.urls import reverse
from django.views.decorators.http import require_safe

from articles.models import Claim, without_article_texts
from articles.pipeline.dates.periods import describe_range

from ..models import Evidence

CONTEXT = "http://www.w3.org/ns/anno.jsonld"
CONTENT_TYPE = f'application/ld+json; profile="{CONTEXT}"'
PAGE_SIZE = 100


def claims():
    """Every claim anchored in its report's text, in a stable order, with what it needs.

    Orphaned claims (their words gone from a corrected report) are left out: there is no
    place in the text left to point at.
    """
    return (
        Claim.objects.anchored()
        .select_related("article__outlet")
        .defer(*without_article_texts())
        .prefetch_related(
            "mentions",
            Prefetch(
                "evidence",
                # Accepted support only: exactly the events the claim makes public.
                queryset=Evidence.objects.shown()
                .filter(stance=Evidence.Stance.SUPPORTS)
                .select_related("event")
                .order_by("event__start", "event__title", "event__pk"),
            ),
        )
        .order_by("article__published", "article__title", "article__pk", "start", "pk")
    )


def annotation(claim, absolute) -> dict:
    """One claim as an Annotation; `absolute` makes a path an absolute URL."""
    report_page = absolute(claim.article.get_absolute_url())
    bodies = [
        {
            "type": "SpecificResource",
            "source": absolute(ev.event.get_absolute_url()),
            "purpose": "linking",
        }
        for ev in claim.evidence.all()
    ]
    dates = [
        f"“{m.text}” → {describe_range(m.date_start, m.date_end, m.precision)}"
        for m in claim.mentions.all()
    ]
    if dates:
        bodies.append(
            {
                "type": "TextualBody",
                "value": "; ".join(dates),
                "format": "text/plain",
                "language": "en",
                "purpose": "describing",
            }
        )
    data = {
        "id": f"{report_page}#{claim.anchor}",
        "type": "Annotation",
        "motivation": "linking" if claim.evidence.all() else "describing",
        "target": {
            "source": claim.article.url or report_page,
            "selector": [
                {
                    "type": "TextQuoteSelector",
                    "exact": claim.sentence,
                    "prefix": claim.selector_prefix,
                    "suffix": claim.selector_suffix,
                },
                # The positions are code-point offsets into the report's cleaned text as
                # TradeWatch keeps it (Article.body: boilerplate removed, passages joined),
                # not into the original page's HTML or its rendered text. In the original
                # page, the quote selector is the one to anchor by.
                {"type": "TextPositionSelector", "start": claim.start, "end": claim.end},
            ],
        },
    }
    if bodies:
        data["body"] = bodies
    return data


@require_safe
def collection(request):
    """The AnnotationCollection, or with ?page=N one of its AnnotationPages."""
    base = request.build_absolute_uri(reverse("annotations"))
    paginator = Paginator(claims(), PAGE_SIZE)
    label = "TradeWatch: every claim, anchored in its report"
    if "page" not in request.GET:
        data = {
            "@context": CONTEXT,
            "id": base,
            "type": "AnnotationCollection",
            "label": label,
            "total": paginator.count,
        }
        if paginator.count:
            data["first"] = f"{base}?page=1"
            data["last"] = f"{base}?page={paginator.num_pages}"
        return JsonResponse(data, content_type=CONTENT_TYPE, json_dumps_params={"indent": 1})
    try:
        page = paginator.page(request.GET["page"])
    except (EmptyPage, PageNotAnInteger):
        raise Http404("No such page of annotations.") from None
    data = {
        "@context": CONTEXT,
        "id": f"{base}?page={page.number}",
        "type": "AnnotationPage",
        "partOf": {"id": base, "label": label, "total": paginator.count},
        "startIndex": page.start_index() - 1 if paginator.count else 0,
        "items": [annotation(claim, request.build_absolute_uri) for claim in page],
    }
    if page.has_next():
        data["next"] = f"{base}?page={page.next_page_number()}"
    if page.has_previous():
        data["prev"] = f"{base}?page={page.previous_page_number()}"
    return JsonResponse(data, content_type=CONTENT_TYPE, json_dumps_params={"indent": 1})

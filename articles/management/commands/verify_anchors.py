"""python manage.py verify_anchors — check every claim against its article's current body.

An anchored claim (exact, relocated or needs review) must quote ``body[start:end]``
exactly, lie within its passage, whose own text must still be the body's at its offsets,
and carry the hash of its sentence; its date mentions must quote the sentence at their
offsets. An orphaned claim has no offsets, so only its hash and mentions are checked.
Claims that need review or are orphaned are counted: they are honest states an editor
resolves, not faults.

One line per problem ("<article slug>: claim <id>: <what is wrong>"), then a summary; exit
status 1 when there is a problem. ``--json`` prints one document instead.

Each article's body is read once, with its claims streamed after it (only the fields the
checks need), so memory stays at one body and the queries at two per article.
"""

import json
from collections import defaultdict
from dataclasses import asdict, dataclass

from django.core.management.base import BaseCommand, CommandError

from articles.models import Article, Claim, DateMention
from articles.pipeline.anchoring import sentence_hash

CLAIM_FIELDS = (
    "id",
    "article_id",
    "sentence",
    "start",
    "end",
    "sentence_hash",
    "anchor_state",
    "passage__id",
    "passage__article_id",
    "passage__position",
    "passage__text",
    "passage__start",
    "passage__end",
)


@dataclass(frozen=True)
class Problem:
    article: str  # slug
    claim: int
    problem: str

    def __str__(self):
        return f"{self.article}: claim {self.claim}: {self.problem}"


@dataclass
class Tally:
    articles: int = 0
    claims: int = 0
    needs_review: int = 0
    orphaned: int = 0


class Command(BaseCommand):
    help = "Check that every claim still quotes its article's body at its offsets."

    def add_arguments(self, parser):
        parser.add_argument(
            "slugs", nargs="*", metavar="SLUG", help="Only these articles (default: all)."
        )
        parser.add_argument(
            "--json",
            action="store_true",
            dest="as_json",
            help="Print one JSON document instead of problem lines and a summary.",
        )

    def handle(self, *args, slugs, as_json: bool, **options):
        articles = Article.objects.only("id", "slug", "body").order_by("slug")
        if slugs:
            articles = articles.filter(slug__in=slugs)
            missing = sorted(set(slugs) - set(articles.values_list("slug", flat=True)))
            if missing:
                raise CommandError(f"no article with the slug(s): {', '.join(missing)}")
        tally, problems = Tally(), []
        for article in articles.iterator(chunk_size=20):
            tally.articles += 1
            problems.extend(check_article(article, tally))

        if as_json:
            document = {**asdict(tally), "problems": [asdict(p) for p in problems]}
            self.stdout.write(json.dumps(document, indent=2, ensure_ascii=False))
        else:
            for problem in problems:
                self.stdout.write(str(problem))
            self.stdout.write(summary(tally, problems))
        if problems:
            raise CommandError(
                f"{len(problems)} problem(s) in the anchors of {tally.claims} claim(s)",
                returncode=1,
            )


def summary(tally: Tally, problems: list[Problem]) -> str:
    return (
        f"{tally.claims} claims checked, {len(problems)} problems; "
        f"{tally.needs_review} need review, {tally.orphaned} orphaned"
    )


def check_article(article: Article, tally: Tally):
    """The problems of one article's claims; counts them, and their states, in tally."""
    body = article.body
    mentions = defaultdict(list)
    for row in DateMention.objects.filter(claim__article=article).values_list(
        "claim_id", "text", "start", "end", "date_start", "date_end"
    ):
        mentions[row[0]].append(row[1:])
    claims = (
        Claim.objects.filter(article=article)
        .select_related("passage")
        .only(*CLAIM_FIELDS)
        .order_by("id")
    )
    for claim in claims.iterator(chunk_size=500):
        tally.claims += 1
        if claim.anchor_state == Claim.AnchorState.NEEDS_REVIEW:
            tally.needs_review += 1
        elif claim.anchor_state == Claim.AnchorState.ORPHANED:
            tally.orphaned += 1
        for what in claim_problems(claim, body, mentions.get(claim.pk, ())):
            yield Problem(article.slug, claim.pk, what)


def claim_problems(claim: Claim, body: str, mentions) -> list[str]:
    """What is wrong with one claim, in words; empty if nothing is."""
    found = []
    if claim.sentence_hash != sentence_hash(claim.sentence):
        found.append("sentence_hash is not the hash of its sentence")
    for text, start, end, date_start, date_end in mentions:
        if claim.sentence[start:end] != text:
            found.append(
                f"date mention {short(text)} at {start}:{end} reads "
                f"{short(claim.sentence[start:end])} in the sentence"
            )
        if date_end < date_start:
            found.append(f"date mention {short(text)} ends ({date_end}) before it starts")
    if claim.anchor_state == Claim.AnchorState.ORPHANED:
        if claim.start is not None:
            found.append(f"orphaned but still has offsets {claim.start}:{claim.end}")
        return found

    start, end = claim.start, claim.end
    if start is None or end is None:
        found.append(f"{claim.anchor_state} but has no offsets")
        return found
    if body[start:end] != claim.sentence:
        found.append(
            f"body[{start}:{end}] is {short(body[start:end])}, "
            f"not the sentence {short(claim.sentence)}"
        )
    passage = claim.passage
    if passage is None:
        found.append("has no passage")
    elif passage.article_id != claim.article_id:
        found.append(f"passage {passage.pk} belongs to another article")
    else:
        if not (passage.start <= start and end <= passage.end):
            found.append(
                f"offsets {start}:{end} lie outside its passage {passage.anchor} "
                f"({passage.start}:{passage.end})"
            )
        if body[passage.start : passage.end] != passage.text:
            found.append(
                f"its passage {passage.anchor} ({passage.start}:{passage.end}) "
                "no longer matches the body"
            )
    return found


def short(text: str, limit: int = 60) -> str:
    """A quoted excerpt for a message: repr, so blank space and line breaks show."""
    return repr(text if len(text) <= limit else text[: limit - 1] + "…")

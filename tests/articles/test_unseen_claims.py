"""Every claim the pipeline makes on the unseen reports (tests/data/unseen), against the
speakers and typed figures checked by hand in tests/data/unseen_claims.json.

No claim may be shown with a wrong speaker (precision 100%) or a misread figure; a speaker
left empty where one is named counts against recall only: no speaker beats a wrong one.
"""

import json
import re
from datetime import date
from pathlib import Path

import pytest

from articles.pipeline.analysis import analyse
from tests.articles.test_speakers import names_the_speaker

DATA = Path(__file__).resolve().parent.parent / "data"
UNSEEN = DATA / "unseen"
GOLD_PATH = DATA / "unseen_claims.json"
# The hand-checked reports; later ones (u9 and on) are a blind set, not read here.
REPORTS = sorted(UNSEEN.glob("u[1-8]-*.txt")) + sorted(UNSEEN.glob("outcomes-*.txt"))


def gold_claims() -> list[dict]:
    return json.loads(GOLD_PATH.read_text(encoding="utf-8"))


def pipeline_claims() -> dict[tuple[str, str], tuple[str, list[dict]]]:
    """(report file, sentence) → (the attribution it gets, its typed figures)."""
    found = {}
    for path in REPORTS:
        head, body = re.split(r"\n\s*\n", path.read_text(encoding="utf-8"), maxsplit=1)
        published = date.fromisoformat(re.search(r"Published:\s*(\S+)", head).group(1)[:10])
        for claim in analyse(body, published).claims:
            key = (path.name, claim.sentence)
            assert key not in found, key
            found[key] = (claim.signals.attribution, [f.as_dict() for f in claim.figures])
    return found


@pytest.fixture(scope="module")
def scored():
    found = pipeline_claims()
    given, right, wrong, required, missed, figures_right, figures_wrong = ([] for _ in range(7))
    for claim in gold_claims():
        # A sentence that is no claim shows nobody and no figure.
        attribution, figures = found.get((claim["file"], claim["sentence"]), ("", []))
        expected = claim["attribution"]
        if attribution:
            given.append(claim["sentence"])
            if expected and names_the_speaker(expected, attribution):
                right.append(claim["sentence"])
            else:
                wrong.append((claim["sentence"][:60], attribution, expected))
        if expected:
            required.append(claim["sentence"])
            if not (attribution and names_the_speaker(expected, attribution)):
                missed.append((claim["sentence"][:60], attribution, expected))
        for index, figure in enumerate(claim["figures"]):
            ok = index < len(figures) and figures[index] == figure
            (figures_right if ok else figures_wrong).append((claim["sentence"][:60], figure))
        for figure in figures[len(claim["figures"]) :]:
            figures_wrong.append((claim["sentence"][:60], figure))  # a figure not in the text
    return given, right, wrong, required, missed, figures_right, figures_wrong


def test_the_list_covers_every_claim_the_pipeline_makes_on_the_unseen_reports():
    listed = [(claim["file"], claim["sentence"]) for claim in gold_claims()]
    assert len(listed) == len(set(listed))
    assert set(pipeline_claims()) <= set(listed)
    assert {file for file, _ in listed} == {path.name for path in REPORTS}


def test_no_speaker_is_wrong(scored, capsys):
    given, right, wrong, required, missed, *_ = scored
    found = len(required) - len(missed)
    with capsys.disabled():
        print(
            f"\nspeakers unseen precision: {len(right)}/{len(given)} = "
            f"{len(right) / len(given):.0%}, recall: {found}/{len(required)} = "
            f"{found / len(required):.0%}"
        )
    assert wrong == []
    assert found / len(required) >= 0.9, missed


def test_every_figure_is_read_as_checked_by_hand(scored, capsys):
    *_, figures_right, figures_wrong = scored
    total = len(figures_right) + len(figures_wrong)
    with capsys.disabled():
        print(f"\nfigures unseen: {len(figures_right)}/{total} as checked by hand")
    assert figures_wrong == []

"""Shared test data: the seed reports, a small named cast, a pinned today."""

import io

import pytest
from django.core.management import call_command

from tests.seeds import SEED_REPORTS, load_gold  # noqa: F401  (SEED_REPORTS re-exported)


@pytest.fixture(autouse=True)
def page_cache(request, settings):
    """The page cache is off, so a test sees each page as its view renders it, unless the
    test is marked `page_cache`; then it starts from an empty cache."""
    if request.node.get_closest_marker("page_cache"):
        from django.core.cache import cache

        cache.clear()
    else:
        settings.TRADEWATCH_PAGE_CACHE_SECONDS = 0


@pytest.fixture(autouse=True)
def fast_passwords(settings):
    """Editors' passwords hashed in microseconds, not the production hasher's second: what
    the tests check is who may do what, not the hash."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def gold():
    """The hand-checked date mentions of the seed reports."""
    return load_gold()


@pytest.fixture(scope="session")
def seed_dump(tmp_path_factory):
    """Where the first `seeded` test leaves the seed data, dumped, for the others to load."""
    return tmp_path_factory.mktemp("seed") / "seeded.json"


@pytest.fixture
def seeded(db, seed_dump):
    """The database as `make run` leaves it: seed reports, events and accepted evidence.

    The first test that asks runs `manage.py seed` itself (the pipeline, the linking, the
    curated history) and dumps what it made; the others load that dump, which is the same
    rows in a fraction of the time. Each test's rows are rolled back after it.
    """
    if seed_dump.exists():
        call_command("loaddata", str(seed_dump), verbosity=0)
        return
    call_command("seed", stdout=io.StringIO())
    call_command("dumpdata", "articles", "timeline", output=str(seed_dump), verbosity=0)


@pytest.fixture
def editor(db, django_user_model):
    """Erin edits reports and the timeline: staff, in the Editors group, not a superuser."""
    from django.contrib.auth.models import Group

    user = django_user_model.objects.create_user("erin", password="not-a-real-password")
    user.is_staff = True
    user.save()
    user.groups.add(Group.objects.get(name="Editors"))
    return user


@pytest.fixture
def editor_client(client, editor):
    client.force_login(editor)
    return client


@pytest.fixture
def pinned_today(settings):
    """Today is 21 November 2026 for tests where 'today' matters."""
    settings.TRADEWATCH_TODAY = "2026-11-21"
    return settings.TRADEWATCH_TODAY


def write_report(
    tmp_path,
    name,
    *,
    title="A report",
    outlet="Test Wire",
    url="",
    published="2025-10-27",
    body="Talks were held on Sunday in Kuala Lumpur.",
    raw=None,
):
    """A report file in the ingest format, for command tests."""
    path = tmp_path / name
    if raw is not None:
        path.write_bytes(raw if isinstance(raw, bytes) else raw.encode())
        return path
    header = [f"Title: {title}", f"Outlet: {outlet}"]
    if url:
        header.append(f"URL: {url}")
    header.append(f"Published: {published}")
    path.write_text("\n".join(header) + "\n\n" + body, encoding="utf-8")
    return path

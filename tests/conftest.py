"""Shared test data: the seed reports, a small named cast, a pinned today."""

import io

import pytest
from django.core.management import call_command
from django.core.management.color import no_style
from django.db import DEFAULT_DB_ALIAS

from tests.seeds import SEED_REPORTS, load_gold  # noqa: F401  (SEED_REPORTS re-exported)

# The browser tests' fixtures (browser, site, open_page), for every test directory.
pytest_plugins = ["tests.browser"]


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


@pytest.fixture(scope="session")
def seed_rows(seed_dump):
    """The dump read once, when the second `seeded` test asks, for that test and every later one."""
    return SeedRows(seed_dump)


@pytest.fixture
def seeded(db, seed_dump, seed_rows):
    """The database as `make run` leaves it: seed reports, events and accepted evidence.

    The first test that asks runs `manage.py seed` itself (the pipeline, the linking, the
    curated history) and dumps what it made; the others get the dump's rows, the same ones
    `loaddata` would write, in a fraction of the time. Each test's rows are rolled back
    after it.
    """
    if seed_dump.exists():
        seed_rows.load()
        return
    call_command("seed", stdout=io.StringIO())
    call_command("dumpdata", "articles", "timeline", output=str(seed_dump), verbosity=0)


class SeedRows:
    """The seed dump (articles and timeline: every row, the history tables' included), read
    once, written into a test's database a table at a time.

    `loaddata` saved it a row at a time, with every model signal: some 440 saves and 70
    many-to-many sets in each of hundreds of tests, most of the suite's time. Here each
    table is one INSERT of its rows, as loaddata's raw save writes them (the dump's primary
    keys, and every value as dumped: not the auto_now stamps a bulk_create would put in
    place of `updated`), and each many-to-many table one more.
    """

    def __init__(self, path):
        self.path = path
        # {model: [instance]}, in the dump's order (a table before the tables that refer to
        # it), and {(model, many-to-many field): [(pk, [target pks])]}.
        self.rows = self.m2m = None

    def read(self):
        from django.core import serializers

        self.rows, self.m2m = {}, {}
        with open(self.path, encoding="utf-8") as dump:
            for item in serializers.deserialize("json", dump, handle_forward_references=True):
                # No natural keys in the dump, so nothing is left to resolve later.
                assert not item.deferred_fields, item
                model = type(item.object)
                self.rows.setdefault(model, []).append(item.object)
                for name, targets in (item.m2m_data or {}).items():
                    field = model._meta.get_field(name)
                    self.m2m.setdefault((model, field), []).append((item.object.pk, targets))

    def load(self, using=DEFAULT_DB_ALIAS):
        from django.db import connections, transaction

        from articles.signals import content_changed

        if self.rows is None:
            self.read()
        connection = connections[using]
        with transaction.atomic(using=using):
            present = set()
            for model, objs in self.rows.items():
                manager = model._base_manager.using(using)
                # Rows a migration made (the starting topics) are there unless a committing
                # test has flushed them since: loaddata updated those, and so does this.
                pks = [o.pk for o in objs]
                found = set(manager.filter(pk__in=pks).values_list("pk", flat=True))
                fields = [f for f in model._meta.local_concrete_fields if not f.generated]
                new = [o for o in objs if o.pk not in found]
                if found:
                    manager.bulk_update(
                        [o for o in objs if o.pk in found],
                        [f.name for f in fields if not f.primary_key],
                    )
                    present.update((model, pk) for pk in found)
                size = max(connection.ops.bulk_batch_size(fields, new), 1)
                for start in range(0, len(new), size):
                    # raw: the values as they are, no field's pre_save (so no auto_now).
                    manager._insert(new[start : start + size], fields=fields, raw=True)
            for (model, field), links in self.m2m.items():
                through = field.remote_field.through
                source, target = field.m2m_field_name(), field.m2m_reverse_field_name()
                rows = []
                for pk, targets in links:
                    if (model, pk) in present:
                        # A row that was there may have links that were too: set, as loaddata.
                        row = model._base_manager.using(using).get(pk=pk)
                        getattr(row, field.name).set(targets)
                        continue
                    # In the order loaddata's set() added them: a set's.
                    for target_pk in set(targets):
                        rows.append(through(**{f"{source}_id": pk, f"{target}_id": target_pk}))
                through._base_manager.using(using).bulk_create(rows)
            # As loaddata does, so that a row a test adds gets the next free key, not one of
            # the dump's (PostgreSQL; SQLite's counters follow the inserts by themselves).
            with connection.cursor() as cursor:
                for sql in connection.ops.sequence_reset_sql(no_style(), list(self.rows)):
                    cursor.execute(sql)
            # loaddata's saves each asked for the content version to be bumped on commit
            # (timeline/caching.py); these inserts send no model signal, so say it once.
            for model in self.rows:
                content_changed.send(sender=model)


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

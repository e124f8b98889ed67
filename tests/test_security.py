"""Hostile or careless input: NUL characters, oversized bodies, guessed passwords."""

import json
import time
import types
from urllib.parse import urlencode

import pytest
from django.conf import settings as django_settings
from django.contrib.auth import SESSION_KEY
from django.test import RequestFactory

from tradewatch.admin_login import client_ip

NUL_QUERY = "Bad request: the query contains a NUL character."

# --- NUL characters --------------------------------------------------------------------------


@pytest.mark.parametrize(
    "url",
    [
        "/articles/?outlet=%00",
        "/?q=a%00b",
        "/?topic=tariffs&q=%00",
        "/?%00=1",
        "/coverage/?x=%00",
    ],
)
def test_it_answers_400_for_a_nul_in_the_query(db, client, url):
    response = client.get(url)
    assert response.status_code == 400
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    assert response.content.decode().strip() == NUL_QUERY


@pytest.mark.parametrize(
    "url",
    [
        "/admin/articles/article/?q=%00",
        "/admin/timeline/event/?q=%00",
        "/admin/autocomplete/?app_label=timeline&model_name=evidence&field_name=claim&term=%00",
    ],
)
def test_it_answers_400_for_a_nul_in_an_admin_query(db, admin_client, url):
    response = admin_client.get(url)
    assert response.status_code == 400
    assert response.content.decode().strip() == NUL_QUERY


def test_it_answers_400_for_a_nul_in_the_session_cookie(db, client):
    client.cookies["sessionid"] = "abcdefghij\x00klmnop"
    response = client.get("/")
    assert response.status_code == 400
    assert "a cookie contains a NUL character" in response.content.decode()


def test_pages_without_a_nul_still_answer_200(seeded, admin_client):
    for url in [
        "/",
        "/articles/",
        "/?q=Busan",
        "/?q=%20tariffs%20&topic=tariffs",
        "/articles/?outlet=",
        "/admin/articles/article/?q=talks",
        "/admin/timeline/event/?q=Busan",
    ]:
        assert admin_client.get(url).status_code == 200, url


def test_a_nul_in_a_posted_form_is_refused_by_the_form_itself(db, client):
    # Posted forms are the forms' business: an error beside the field, not a 500 or a 400.
    response = client.post("/admin/login/", {"username": "erin\x00", "password": "x"})
    assert response.status_code == 200
    assert "Null characters are not allowed." in response.content.decode()


# --- request size ----------------------------------------------------------------------------


def form_body(size: int) -> bytes:
    head = urlencode({"username": "erin", "password": "wrong", "report": ""}).encode()
    return head + b"a" * (size - len(head))


def test_a_form_body_of_a_large_report_is_read(db, client):
    # Up to 5 MB: a 1,000,000-character report of ASCII text even if all of it is %-encoded.
    limit = django_settings.DATA_UPLOAD_MAX_MEMORY_SIZE
    assert limit == 5 * 1024 * 1024
    response = client.post(
        "/admin/login/",
        form_body(limit - 1024),
        content_type="application/x-www-form-urlencoded",
    )
    assert response.status_code == 200
    assert "Please enter the correct username and password" in response.content.decode()


def test_a_form_body_over_the_limit_answers_400_not_500(db, client):
    response = client.post(
        "/admin/login/",
        form_body(django_settings.DATA_UPLOAD_MAX_MEMORY_SIZE + 1024),
        content_type="application/x-www-form-urlencoded",
    )
    assert response.status_code == 400


def test_a_form_with_too_many_fields_answers_400_not_500(db, client):
    fields = {f"f{i}": "x" for i in range(django_settings.DATA_UPLOAD_MAX_NUMBER_FIELDS + 1)}
    assert client.post("/admin/login/", fields).status_code == 400


# --- headers ---------------------------------------------------------------------------------


def test_answers_say_nosniff_in_debug_too(db, client, settings):
    settings.DEBUG = True  # the test runner turns it off
    assert client.get("/")["X-Content-Type-Options"] == "nosniff"
    assert client.get("/articles/?outlet=%00")["X-Content-Type-Options"] == "nosniff"


# --- admin sign-in throttling ----------------------------------------------------------------

PASSWORD = "correct horse battery staple"
REFUSED = "Too many failed sign-ins; try again in 15 minutes."


@pytest.fixture
def login_cache(settings):
    """A cache of the tests' own, so no count is left over from another test."""
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": "tradewatch-login-tests",
        }
    }
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def staff(db, django_user_model, login_cache, settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # fast

    def make(username):
        return django_user_model.objects.create_user(username, password=PASSWORD, is_staff=True)

    return make


def sign_in(client, username, password, ip="192.0.2.1", **headers):
    client.logout()
    response = client.post(
        "/admin/login/?next=/admin/",
        {"username": username, "password": password, "next": "/admin/"},
        REMOTE_ADDR=ip,
        headers=headers,
    )
    signed_in = response.status_code == 302 and SESSION_KEY in client.session
    return signed_in, response.content.decode()


def test_five_failed_sign_ins_for_a_username_refuse_even_the_right_password(client, staff):
    staff("ada")
    for attempt in range(5):
        # From a different address each time: it is the username that is counted.
        signed_in, html = sign_in(client, "ada", "wrong", ip=f"198.51.100.{attempt}")
        assert not signed_in and REFUSED not in html
    signed_in, html = sign_in(client, "ada", PASSWORD, ip="198.51.100.99")
    assert not signed_in
    assert REFUSED in html


def test_five_failed_sign_ins_from_one_address_refuse_it_for_any_username(client, staff):
    staff("ada")
    for name in ["bob", "cy", "dee", "eve", "fay"]:
        assert not sign_in(client, name, "wrong", ip="203.0.113.7")[0]
    signed_in, html = sign_in(client, "ada", PASSWORD, ip="203.0.113.7")
    assert not signed_in and REFUSED in html


def test_another_user_from_another_address_is_unaffected(client, staff):
    staff("ada")
    staff("bea")
    for _ in range(6):
        sign_in(client, "ada", "wrong", ip="203.0.113.7")
    assert REFUSED in sign_in(client, "ada", PASSWORD, ip="203.0.113.7")[1]
    assert sign_in(client, "bea", PASSWORD, ip="198.51.100.20")[0]


def test_a_successful_sign_in_clears_the_count_for_its_username(client, staff):
    staff("ada")
    for attempt in range(4):
        sign_in(client, "ada", "wrong", ip=f"198.51.100.{attempt}")
    assert sign_in(client, "ada", PASSWORD, ip="198.51.100.50")[0]
    for attempt in range(4):
        sign_in(client, "ada", "wrong", ip=f"198.51.100.{10 + attempt}")
    # Eight failures in all, but never five since the last success.
    assert sign_in(client, "ada", PASSWORD, ip="198.51.100.51")[0]


def test_the_refusal_ends_when_the_window_does(client, staff, monkeypatch):
    staff("ada")
    for _ in range(5):
        sign_in(client, "ada", "wrong")
    assert REFUSED in sign_in(client, "ada", PASSWORD)[1]
    # The local-memory cache's clock, moved past the 15 minutes: no sleeping.
    later = time.time() + django_settings.ADMIN_LOGIN_FAILURE_WINDOW + 1
    monkeypatch.setattr(
        "django.core.cache.backends.locmem.time", types.SimpleNamespace(time=lambda: later)
    )
    assert sign_in(client, "ada", PASSWORD)[0]


def test_a_short_window_setting_is_honoured(client, staff, settings, monkeypatch):
    settings.ADMIN_LOGIN_FAILURE_WINDOW = 60
    staff("ada")
    for _ in range(5):
        sign_in(client, "ada", "wrong")
    assert "Too many failed sign-ins; try again in 1 minute." in sign_in(client, "ada", PASSWORD)[1]
    later = time.time() + 61
    monkeypatch.setattr(
        "django.core.cache.backends.locmem.time", types.SimpleNamespace(time=lambda: later)
    )
    assert sign_in(client, "ada", PASSWORD)[0]


def test_behind_trusted_proxies_the_forwarded_address_is_counted(client, staff, settings):
    settings.TRUSTED_PROXY_COUNT = 1
    staff("ada")
    # All arrive from the proxy's address; the client claims something before it too.
    for name in ["bob", "cy", "dee", "eve", "fay"]:
        sign_in(client, name, "wrong", ip="127.0.0.1", x_forwarded_for="10.9.9.9, 203.0.113.7")
    assert (
        REFUSED
        in sign_in(client, "ada", PASSWORD, ip="127.0.0.1", x_forwarded_for="203.0.113.7")[1]
    )
    assert sign_in(client, "ada", PASSWORD, ip="127.0.0.1", x_forwarded_for="198.51.100.8")[0]


@pytest.mark.parametrize(
    "proxies, forwarded, expected",
    [
        (0, "10.0.0.1", "192.0.2.1"),  # no proxy: the header is the client's say-so
        (1, "10.0.0.1", "10.0.0.1"),
        (1, "6.6.6.6, 10.0.0.1", "10.0.0.1"),
        (2, "6.6.6.6, 10.0.0.1, 10.0.0.2", "10.0.0.1"),
        (2, "10.0.0.1", "192.0.2.1"),  # fewer entries than proxies: misconfigured
    ],
)
def test_the_client_address_trusts_only_the_configured_proxies(
    settings, proxies, forwarded, expected
):
    settings.TRUSTED_PROXY_COUNT = proxies
    request = RequestFactory().get("/", REMOTE_ADDR="192.0.2.1", HTTP_X_FORWARDED_FOR=forwarded)
    assert client_ip(request) == expected


# --- no inline scripts or styles -------------------------------------------------------------

# The Content-Security-Policy (script-src 'self', style-src 'self') would block them. The one
# kind of inline <script> allowed is a schema.org data block, type="application/ld+json"
# (timeline/templatetags/jsonld.py): browsers never execute a data block, and the policy
# does not apply to it; its JSON is escaped so that no text in it can close the element.
DATA_BLOCK = "application/ld+json"


def test_pages_carry_no_inline_scripts_or_styles_but_json_ld_data_blocks(seeded, client):
    from articles.models import Article
    from tests.timeline.pages import parse
    from timeline.models import Event

    urls = ["/", "/articles/", "/coverage/", "/timeline/embed/", "/?q=tariffs"]
    urls += [event.get_absolute_url() for event in Event.objects.sourced()]
    urls += [article.get_absolute_url() for article in Article.objects.all()]
    data_blocks = 0
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
        doc = parse(response)
        assert not doc.find_all("style"), url
        assert not [el for el in doc.iter() if "style" in el.attrs], url
        for script in doc.find_all("script"):
            if script.attrs.get("src"):
                continue
            assert script.attrs.get("type") == DATA_BLOCK, (url, script)
            text = script.text()
            json.loads(text)
            assert "<" not in text and ">" not in text, url
            data_blocks += 1
    assert data_blocks == len(urls) - 5  # one on each event and report page

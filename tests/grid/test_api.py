"""The organisation API: tokens, errors, pagination, the town summary, the
OpenAPI schema and its offline docs, and query counts that do not grow with rows."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

pytestmark = pytest.mark.django_db

TOKEN_URL = "/api/v1/auth/token/"
LIST_ROUTES = ["v1:town-list", "v1:large-grid-list", "v1:small-grid-list", "v1:committee-list",
               "v1:centre-list", "v1:staff-list"]


def token_client(user) -> APIClient:
    """A client that authenticates each request with ``Authorization: Token …``, as a real
    client does (the user and the scope are loaded anew every request)."""
    token, _created = Token.objects.get_or_create(user=user)
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    return client


# --- Tokens and errors -----------------------------------------------------------------------

def test_token_endpoint_returns_a_token_for_username_and_password(gm01):
    response = APIClient().post(TOKEN_URL, {"username": "gm01", "password": "demo12345"},
                                format="json")
    assert response.status_code == 200
    token = Token.objects.get(user=gm01)
    assert response.json()["token"] == token.key
    assert response.json()["expires_at"]


def test_token_endpoint_returns_the_same_token_twice(gm01):
    first = APIClient().post(TOKEN_URL, {"username": "gm01", "password": "demo12345"})
    second = APIClient().post(TOKEN_URL, {"username": "gm01", "password": "demo12345"})
    assert first.json()["token"] == second.json()["token"]


def test_token_endpoint_refuses_a_wrong_password_with_401_in_chinese(gm01):
    response = APIClient().post(TOKEN_URL, {"username": "gm01", "password": "wrong"},
                                format="json")
    assert response.status_code == 401
    assert response["Content-Type"] == "application/json"
    assert response.json() == {"detail": "用户名或密码不正确。"}
    assert response["WWW-Authenticate"] == "Token"
    assert not Token.objects.filter(user=gm01).exists()


def test_token_endpoint_refuses_an_unknown_user_like_a_wrong_password():
    response = APIClient().post(TOKEN_URL, {"username": "nobody", "password": "demo12345"})
    assert response.status_code == 401
    assert response.json() == {"detail": "用户名或密码不正确。"}


def test_token_endpoint_refuses_an_inactive_user(gm01):
    gm01.is_active = False
    gm01.save(update_fields=["is_active"])
    response = APIClient().post(TOKEN_URL, {"username": "gm01", "password": "demo12345"})
    assert response.status_code == 401


def test_token_endpoint_explains_missing_fields_with_400():
    response = APIClient().post(TOKEN_URL, {"username": "gm01"}, format="json")
    assert response.status_code == 400
    body = response.json()
    assert body["detail"] == "提交的数据有误，请检查。"
    assert list(body["errors"]) == ["password"]


def test_token_endpoint_ignores_a_stale_token_header(gm01):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION="Token not-a-real-token")
    response = client.post(TOKEN_URL, {"username": "gm01", "password": "demo12345"})
    assert response.status_code == 200


def test_token_in_authorization_header_authenticates(gm01):
    response = token_client(gm01).get(reverse("v1:town-list"))
    assert response.status_code == 200
    assert response.json()["count"] == 1


def test_token_obtained_from_the_endpoint_works(gm01):
    key = APIClient().post(TOKEN_URL, {"username": "gm01", "password": "demo12345"}).json()["token"]
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    assert client.get(reverse("v1:large-grid-list")).json()["count"] == 1


@pytest.mark.parametrize("name", LIST_ROUTES)
def test_api_answers_401_json_without_credentials(name):
    response = APIClient().get(reverse(name))
    assert response.status_code == 401
    assert response.json() == {"detail": "身份认证信息未提供。"}
    assert response["WWW-Authenticate"].startswith("Token")


def test_api_answers_401_json_for_an_invalid_token():
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION="Token 0123456789abcdef")
    response = client.get(reverse("v1:town-list"))
    assert response.status_code == 401
    assert response.json() == {"detail": "认证令牌无效。"}


def test_api_works_with_the_session_of_a_logged_in_page_user(client_as):
    response = client_as("gm01").get(reverse("v1:large-grid-list"))
    assert response.status_code == 200
    assert response.json()["count"] == 1


def test_missing_and_out_of_scope_objects_answer_the_same_404(api_as, demo):
    api = api_as("gm01")
    missing = api.get(reverse("v1:large-grid-detail", args=[999999]))
    hidden = api.get(reverse("v1:large-grid-detail", args=[demo.lg2.pk]))
    assert missing.status_code == hidden.status_code == 404
    assert missing.json() == hidden.json() == {"detail": "未找到，或不在您的管辖范围内。"}


def test_api_messages_are_chinese_even_for_an_english_browser(gm01):
    response = APIClient().post(TOKEN_URL, {"username": "gm01", "password": "wrong"},
                                HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    assert response.json()["detail"] == "用户名或密码不正确。"


def test_api_messages_follow_the_chosen_language(gm01):
    from django.conf import settings

    client = APIClient()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    response = client.get(reverse("v1:town-list"))
    assert response.status_code == 401
    assert response.json()["detail"] == "Authentication credentials were not provided."


# --- Pagination ------------------------------------------------------------------------------

def test_lists_are_paginated_with_count_next_previous_results(api_as):
    api = api_as("leader")
    body = api.get(reverse("v1:small-grid-list")).json()
    assert list(body) == ["count", "next", "previous", "results"]
    assert body["count"] == 60
    assert len(body["results"]) == 50
    assert body["previous"] is None
    assert body["next"].endswith("/api/v1/small-grids/?page=2")
    second = api.get(body["next"]).json()
    assert len(second["results"]) == 10
    assert second["next"] is None
    ids = [row["id"] for row in body["results"] + second["results"]]
    assert len(set(ids)) == 60


def test_page_size_is_chosen_by_the_client_up_to_200(api_as):
    api = api_as("leader")
    assert len(api.get(reverse("v1:small-grid-list"), {"page_size": 7}).json()["results"]) == 7
    staff = api.get(reverse("v1:staff-list"), {"page_size": 1000}).json()
    assert len(staff["results"]) == min(staff["count"], 200)


def test_pages_of_large_grids_are_stable_and_ordered(api_as):
    api = api_as("leader")
    numbers = []
    for page in (1, 2, 3):
        body = api.get(reverse("v1:large-grid-list"), {"page_size": 5, "page": page}).json()
        numbers += [row["number"] for row in body["results"]]
    assert numbers == list(range(1, 12))


def test_out_of_range_page_answers_404_json(api_as):
    response = api_as("leader").get(reverse("v1:town-list"), {"page": 9})
    assert response.status_code == 404
    assert "detail" in response.json()


def test_list_rows_have_the_documented_fields(api_as, demo):
    api = api_as("gm01")
    large_grid = api.get(reverse("v1:large-grid-detail", args=[demo.lg1.pk])).json()
    assert large_grid == {"id": demo.lg1.pk, "town": demo.town.pk, "number": 1, "name": "黄寨村",
                          "kind": "village", "small_grid_count": 6}
    small_grid = api.get(reverse("v1:small-grid-list")).json()["results"][0]
    assert small_grid["name"] == "黄寨村第1网格"
    assert small_grid["town"] == demo.town.pk
    me = api.get(reverse("v1:staff-detail", args=[demo.staff["gm01"].pk])).json()
    assert [(a["role"], a["scope_type"], a["scope_name"]) for a in me["assignments"]] == [
        ("grid_member", "small_grid", "黄寨村第1网格")]


def test_lists_can_be_filtered(api_as, demo):
    api = api_as("leader")
    assert api.get(reverse("v1:small-grid-list"),
                   {"large_grid": demo.lg2.pk}).json()["count"] == 6
    assert api.get(reverse("v1:committee-list"), {"level": "town"}).json()["count"] == 1
    assert api.get(reverse("v1:large-grid-list"), {"kind": "community"}).json()["count"] == 1


# --- The town summary ------------------------------------------------------------------------

EXPECTED_SUMMARY = {
    "large_grids": 11, "small_grids": 60, "committees": 12, "centres": 2, "service_windows": 5,
    "rooms": 6, "governance_office_staff": 5, "judicial_office_staff": 2, "grid_staff": 56,
    "five_elders_mediators": 32,
}


def test_town_summary_gives_the_source_figures_under_exactly_these_keys(api_as, demo):
    response = api_as("leader").get(reverse("v1:town-summary", args=[demo.town.pk]))
    assert response.status_code == 200
    body = response.json()
    assert body == EXPECTED_SUMMARY
    assert list(body) == list(EXPECTED_SUMMARY)
    assert all(type(value) is int for value in body.values())


def test_town_summary_is_the_same_for_everyone_who_sees_the_town(api_as, demo):
    for username in ("gm01", "county", "admin"):
        url = reverse("v1:town-summary", args=[demo.town.pk])
        assert api_as(username).get(url).json() == EXPECTED_SUMMARY, username


def test_town_summary_counts_only_assignments_in_force(api_as, demo):
    import datetime

    from django.utils import timezone

    from grid import services
    from grid.models import RoleAssignment

    office = RoleAssignment.objects.filter(role="governance_office").first()
    services.role_end(assignment=office,
                      ends_on=timezone.localdate() - datetime.timedelta(days=1))
    body = api_as("leader").get(reverse("v1:town-summary", args=[demo.town.pk])).json()
    assert body["governance_office_staff"] == 4


def test_town_summary_of_a_town_out_of_scope_answers_404(api_as, other_town):
    response = api_as("leader").get(reverse("v1:town-summary", args=[other_town.town.pk]))
    assert response.status_code == 404


# --- Schema and docs -------------------------------------------------------------------------

@pytest.fixture(scope="module")
def schema(django_db_setup, django_db_blocker):
    """The OpenAPI document as JSON, generated once for this module (it takes a while)."""
    with django_db_blocker.unblock():
        response = APIClient().get("/api/schema/", {"format": "json"})
    assert response.status_code == 200
    return response.json()


def test_schema_is_an_openapi_document_with_every_endpoint(schema):
    assert schema["openapi"].startswith("3.")
    assert {
        "/api/v1/auth/token/",
        "/api/v1/towns/", "/api/v1/towns/{id}/", "/api/v1/towns/{id}/summary/",
        "/api/v1/large-grids/", "/api/v1/large-grids/{id}/",
        "/api/v1/small-grids/", "/api/v1/small-grids/{id}/",
        "/api/v1/committees/", "/api/v1/committees/{id}/",
        "/api/v1/centres/", "/api/v1/centres/{id}/",
        "/api/v1/staff/", "/api/v1/staff/{id}/",
    } <= set(schema["paths"])


def test_schema_describes_the_summary_as_ten_integers(schema):
    ref = (schema["paths"]["/api/v1/towns/{id}/summary/"]["get"]["responses"]["200"]
           ["content"]["application/json"]["schema"]["$ref"])
    component = schema["components"]["schemas"][ref.rsplit("/", 1)[-1]]
    assert list(component["properties"]) == list(EXPECTED_SUMMARY)
    assert {p["type"] for p in component["properties"].values()} == {"integer"}


def test_schema_describes_token_authentication(schema):
    schemes = schema["components"]["securitySchemes"]
    assert any(s.get("type") == "apiKey" and s.get("name") == "Authorization"
               for s in schemes.values())


def test_schema_is_served_as_yaml_by_default():
    response = APIClient().get("/api/schema/")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.oai.openapi")
    assert b"/api/v1/towns/{id}/summary/:" in response.content


EXTERNAL_URL = re.compile(r"""(?:src|href)\s*=\s*["']?\s*(?:https?:)?//""", re.IGNORECASE)


@pytest.mark.parametrize("url", ["/api/docs/", "/api/redoc/"])
def test_api_docs_load_from_local_static_only(client, url):
    response = client.get(url)
    assert response.status_code == 200
    html = response.content.decode()
    assert "http://" not in html and "https://" not in html
    assert not EXTERNAL_URL.search(html)
    scripts = re.findall(r"<script[^>]+src=\"([^\"]+)\"", html)
    # The Swagger UI's own set-up script comes from the app too (no inline script: CSP).
    assert scripts and all(src.startswith(("/static/", url)) for src in scripts)
    assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", html)


def test_swagger_ui_assets_exist_in_static(client):
    from django.contrib.staticfiles import finders

    html = client.get("/api/docs/").content.decode()
    assets = re.findall(r"(?:src|href)=\"/static/([^\"]+)\"", html)
    assert assets
    for asset in assets:
        assert finders.find(asset), asset


# --- Query counts ----------------------------------------------------------------------------

# Per request with a token: the token and user (1), the scope (6), the page count (1), the
# rows (1), and for staff the visible assignments (1).
LIST_QUERIES = {name: 9 for name in LIST_ROUTES} | {"v1:staff-list": 10}


@pytest.mark.parametrize("name", LIST_ROUTES)
def test_list_query_count_does_not_grow_with_rows(name, leader, django_assert_max_num_queries):
    client = token_client(leader)
    counts = []
    for page_size in (5, 50):
        with CaptureQueriesContext(connection) as queries:
            response = client.get(reverse(name), {"page_size": page_size})
        assert response.status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1], name
    with django_assert_max_num_queries(LIST_QUERIES[name]):
        client.get(reverse(name), {"page_size": 200})


def test_staff_list_query_count_is_pinned_for_superuser(admin, django_assert_max_num_queries):
    client = token_client(admin)
    with django_assert_max_num_queries(4):
        response = client.get(reverse("v1:staff-list"), {"page_size": 200})
    assert len(response.json()["results"]) > 100


def test_summary_query_count_is_pinned(leader, demo, django_assert_max_num_queries):
    client = token_client(leader)
    url = reverse("v1:town-summary", args=[demo.town.pk])
    # Token (1), scope (6), the town (1), every figure in one query (1).
    with django_assert_max_num_queries(9):
        assert client.get(url).status_code == 200

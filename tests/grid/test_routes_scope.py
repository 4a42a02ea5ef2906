"""Scope on every route: the grid member of large grid 1 (gm01) cannot read or
change anything of large grid 2 (马寨村), and town leadership sees the whole town.

``ROUTES`` maps each route name to an in-scope URL (large grid 1, or gm01's own data) and an
out-of-scope one (large grid 2, another town, or another user's data).
``test_every_route_has_a_scope_check`` walks Django's URL resolver, so a route added later
without an entry here fails the suite.

Coverage is limited to the routes this module owns: URL names in the namespaces ``''``,
``grid`` and ``v1`` whose view lives in ``grid``, ``core``, Django or a third-party package.
Routes of the case apps (``disputes``, ``petitions``, ``supervision``) are scope-tested in
those apps' own test modules (``tests/<app>/test_routes_scope.py``). The admin is covered
below by model instead of by route.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from types import SimpleNamespace

import pytest
from django.apps import apps
from django.conf import settings
from django.contrib import admin
from django.contrib.auth.models import Permission
from django.db.models import Q
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from grid.admin import SCOPE_FILTERS, ScopedAdmin
from grid.models import (
    GovernanceCentre,
    LargeGrid,
    MediationCommittee,
    RoleAssignment,
    SmallGrid,
    Staff,
    Town,
)

pytestmark = pytest.mark.django_db

OWN_NAMESPACES = {"", "grid", "v1"}

# Routes that carry no town data: authentication, language, the API's description.
NO_TOWN_DATA = {
    "login",
    "logout",
    "set_language",
    "schema",
    "api-docs",
    "api-redoc",
    "v1:api-token",
    # Stores the user's own query string under a name and redirects; shows nothing.
    "saved_filter_create",
    # The app's icon.
    "favicon",
}

# The admin's "view on site" links, outside the admin namespace so that they come before the
# admin's own: scope-tested with the admin (tests/core/test_admin_scope.py).
ADMIN_ROUTES = {"admin-view-on-site"}

LARGE_GRID_2 = "large grid 2"
OTHER_TOWN = "another town"
OTHER_USER = "another user"


@dataclass(frozen=True)
class RouteCheck:
    """How to reach a route in scope and out of scope.

    ``inside(ctx)``: a URL gm01 may open (an object of large grid 1, its town, a list).
    ``outside(ctx)``: a URL of something gm01 must not see, of kind ``outside_kind``; ``None``
    for lists, which are checked for leaks instead. ``method`` is the verb the route answers.
    """

    inside: Callable[[SimpleNamespace], str]
    outside: Callable[[SimpleNamespace], str] | None = None
    outside_kind: str = LARGE_GRID_2
    api: bool = False
    method: str = "get"
    ok: int = 200


def _url(name, *args, query=""):
    return lambda ctx: reverse(name, args=[a(ctx) for a in args]) + query


def _attr(path):
    def get(ctx):
        obj = ctx
        for part in path.split("."):
            obj = obj[part] if isinstance(obj, dict) else getattr(obj, part)
        return obj.pk

    return get


ALL = "?page_size=200"
ROUTES: dict[str, RouteCheck] = {
    # Pages.
    "home": RouteCheck(_url("home")),
    "grid:town_list": RouteCheck(_url("grid:town_list"), ok=302),
    "grid:town_detail": RouteCheck(_url("grid:town_detail", _attr("demo.town")),
                                   _url("grid:town_detail", _attr("other.town")),
                                   outside_kind=OTHER_TOWN),
    "grid:large_grid_detail": RouteCheck(_url("grid:large_grid_detail", _attr("demo.lg1")),
                                         _url("grid:large_grid_detail", _attr("demo.lg2"))),
    "grid:committee_detail": RouteCheck(
        _url("grid:committee_detail", _attr("demo.committee1")),
        _url("grid:committee_detail", _attr("demo.committee2"))),
    "grid:centre_detail": RouteCheck(_url("grid:centre_detail", _attr("demo.town_centre")),
                                     _url("grid:centre_detail", _attr("demo.centre2"))),
    "grid:staff_detail": RouteCheck(_url("grid:staff_detail", _attr("demo.staff.gl01")),
                                    _url("grid:staff_detail", _attr("demo.staff.gm02"))),
    # Who looked at personal data: the leadership's list; a grid member's holds no row.
    "grid:personal_data_access": RouteCheck(_url("grid:personal_data_access")),
    # The personal inbox (core): another user's message answers 404.
    "inbox": RouteCheck(_url("inbox")),
    "notification_read": RouteCheck(_url("notification_read", _attr("note_own")),
                                    _url("notification_read", _attr("note_other")),
                                    outside_kind=OTHER_USER, method="post", ok=302),
    "inbox_read_all": RouteCheck(_url("inbox_read_all"), method="post", ok=302),
    # The header search (each kind through its own scoped selector); a user's own saved
    # filters and export jobs: another user's answer 404.
    "search": RouteCheck(_url("search", query="?q=纠纷")),
    "saved_filter_delete": RouteCheck(_url("saved_filter_delete", _attr("filter_own")),
                                      _url("saved_filter_delete", _attr("filter_other")),
                                      outside_kind=OTHER_USER, method="post", ok=302),
    "export_job": RouteCheck(_url("export_job", _attr("export_own")),
                             _url("export_job", _attr("export_other")),
                             outside_kind=OTHER_USER),
    "export_download": RouteCheck(_url("export_download", _attr("export_own")),
                                  _url("export_download", _attr("export_other")),
                                  outside_kind=OTHER_USER),
    # API.
    "v1:town-list": RouteCheck(_url("v1:town-list", query=ALL), api=True),
    "v1:town-detail": RouteCheck(_url("v1:town-detail", _attr("demo.town")),
                                 _url("v1:town-detail", _attr("other.town")),
                                 outside_kind=OTHER_TOWN, api=True),
    "v1:town-summary": RouteCheck(_url("v1:town-summary", _attr("demo.town")),
                                  _url("v1:town-summary", _attr("other.town")),
                                  outside_kind=OTHER_TOWN, api=True),
    "v1:large-grid-list": RouteCheck(_url("v1:large-grid-list", query=ALL), api=True),
    "v1:large-grid-detail": RouteCheck(_url("v1:large-grid-detail", _attr("demo.lg1")),
                                       _url("v1:large-grid-detail", _attr("demo.lg2")),
                                       api=True),
    "v1:small-grid-list": RouteCheck(_url("v1:small-grid-list", query=ALL), api=True),
    "v1:small-grid-detail": RouteCheck(_url("v1:small-grid-detail", _attr("gm01_grid")),
                                       _url("v1:small-grid-detail", _attr("gm02_grid")),
                                       api=True),
    "v1:committee-list": RouteCheck(_url("v1:committee-list", query=ALL), api=True),
    "v1:committee-detail": RouteCheck(_url("v1:committee-detail", _attr("demo.committee1")),
                                      _url("v1:committee-detail", _attr("demo.committee2")),
                                      api=True),
    "v1:centre-list": RouteCheck(_url("v1:centre-list", query=ALL), api=True),
    "v1:centre-detail": RouteCheck(_url("v1:centre-detail", _attr("demo.town_centre")),
                                   _url("v1:centre-detail", _attr("demo.centre2")), api=True),
    "v1:staff-list": RouteCheck(_url("v1:staff-list", query=ALL), api=True),
    "v1:staff-detail": RouteCheck(_url("v1:staff-detail", _attr("demo.staff.gl01")),
                                  _url("v1:staff-detail", _attr("demo.staff.gm02")), api=True),
}


def _view_module(pattern: URLPattern) -> str:
    callback = pattern.callback
    view = getattr(callback, "cls", None) or getattr(callback, "view_class", None) or callback
    return view.__module__


def _project_app_modules() -> set[str]:
    base = str(settings.BASE_DIR)
    return {config.name.split(".")[0] for config in apps.get_app_configs()
            if str(config.path).startswith(base)}


def owned_routes() -> dict[str, str]:
    """Route name → view module, for the routes this module must cover (see the docstring)."""
    others = _project_app_modules() - {"grid", "core"}
    found: dict[str, str] = {}

    def walk(resolver, namespace):
        for pattern in resolver.url_patterns:
            if isinstance(pattern, URLResolver):
                walk(pattern, ":".join(filter(None, [namespace, pattern.namespace or ""])))
            elif namespace in OWN_NAMESPACES:
                module = _view_module(pattern)
                if module.split(".")[0] in others:
                    continue
                name = f"{namespace}:{pattern.name}" if namespace else pattern.name
                assert pattern.name, f"unnamed route {pattern.pattern} ({module})"
                found[name] = module

    walk(get_resolver(), "")
    return found


OWNED = owned_routes()
CHECKED = sorted(name for name in ROUTES if name in OWNED)
DETAIL = [name for name in CHECKED if ROUTES[name].outside]
LISTS = [name for name in CHECKED if not ROUTES[name].outside]


# --- Test data -------------------------------------------------------------------------------

def _large_grid_2_staff(demo) -> list[Staff]:
    """People all of whose assignments in force lie inside large grid 2."""
    lg2 = demo.lg2
    people = []
    for person in Staff.objects.filter(town=demo.town).prefetch_related(
            "assignments__small_grid", "assignments__household__small_grid",
            "assignments__committee"):
        active = [a for a in person.assignments.all() if a.is_active()]
        if active and all(
                a.large_grid_id == lg2.pk
                or (a.small_grid and a.small_grid.large_grid_id == lg2.pk)
                or (a.household and a.household.small_grid.large_grid_id == lg2.pk)
                or (a.committee and a.committee.large_grid_id == lg2.pk)
                for a in active):
            people.append(person)
    return people


@pytest.fixture
def ctx(demo, other_town, gm01, gm02):
    ns = SimpleNamespace(demo=demo, other=other_town,
                         gm01_grid=demo.sg1[0], gm02_grid=demo.sg2[0])
    if "inbox" in OWNED:
        from inbox.notifications import notify

        ns.note_own = notify(recipients=[gm01], title="给网格员一的通知", url="/")[0]
        ns.note_other = notify(recipients=[gm02], title="马寨村网格员的通知", url="/")[0]
    from django.core.files.base import ContentFile

    from core.models import ExportJob, SavedFilter

    ns.filter_own = SavedFilter.objects.create(user=gm01, page="disputes:ledger",
                                               name="调解中", query="state=mediator")
    ns.filter_other = SavedFilter.objects.create(user=gm02, page="disputes:ledger",
                                                 name="调解中", query="state=mediator")
    ns.export_own, ns.export_other = (
        ExportJob.objects.create(user=user, kind="disputes.ledger", state=ExportJob.State.DONE,
                                 filename="ledger.xlsx")
        for user in (gm01, gm02))
    for job in (ns.export_own, ns.export_other):
        job.file.save("ledger.xlsx", ContentFile(b"PK"), save=True)
    return ns


@pytest.fixture
def lg2_markers(demo):
    """Text that gives away large grid 2: its name (in every grid, committee, centre and
    title of its staff) and the names of the people who work only there."""
    return ["马寨"] + [person.name for person in _large_grid_2_staff(demo)]


def _text(response) -> str:
    if response.get("Content-Type", "").startswith("application/json"):
        return json.dumps(response.json(), ensure_ascii=False)
    if response.streaming:  # a file (an export's download)
        return b"".join(response.streaming_content).decode(errors="replace")
    return response.content.decode()


def _client(client_as, api_as, username, check: RouteCheck):
    return api_as(username) if check.api else client_as(username)


def _assert_no_leak(text, markers, where):
    leaked = [m for m in markers if m in text]
    assert not leaked, f"{where} shows {leaked}"


# --- Coverage --------------------------------------------------------------------------------

def test_every_route_has_a_scope_check():
    missing = sorted(set(OWNED) - set(ROUTES) - NO_TOWN_DATA - ADMIN_ROUTES)
    assert not missing, (
        f"routes without a scope check: {missing}. Add each to ROUTES in {__name__} "
        "(or, if it shows no town data, to NO_TOWN_DATA).")
    assert not set(ROUTES) & NO_TOWN_DATA


def test_route_walk_finds_the_organisation_routes():
    assert {"home", "grid:large_grid_detail", "v1:staff-list", "v1:town-summary",
            "login"} <= set(OWNED)
    assert not any(name.startswith("admin:") for name in OWNED)


# --- gm01 inside its scope -------------------------------------------------------------------

@pytest.mark.parametrize("name", CHECKED)
def test_grid_member_can_open_every_route_in_scope(name, ctx, client_as, api_as):
    check = ROUTES[name]
    response = getattr(_client(client_as, api_as, "gm01", check), check.method)(check.inside(ctx))
    assert response.status_code == check.ok, name


# --- gm01 outside its scope ------------------------------------------------------------------

@pytest.mark.parametrize("name", DETAIL)
def test_grid_member_gets_404_for_other_large_grid_on_every_route(name, ctx, client_as, api_as):
    check = ROUTES[name]
    response = getattr(_client(client_as, api_as, "gm01", check), check.method)(check.outside(ctx))
    assert response.status_code == 404, name
    if check.api:
        assert response.json() == {"detail": "未找到，或不在您的管辖范围内。"}


@pytest.mark.parametrize("name", LISTS)
def test_grid_member_sees_nothing_of_other_large_grid_in_any_list(
        name, ctx, client_as, api_as, lg2_markers):
    check = ROUTES[name]
    client = _client(client_as, api_as, "gm01", check)
    response = getattr(client, check.method)(check.inside(ctx), follow=not check.api)
    assert response.status_code == 200, name
    _assert_no_leak(_text(response), lg2_markers, name)


@pytest.mark.parametrize("name", [n for n in DETAIL if ROUTES[n].method == "get"])
def test_grid_member_sees_nothing_of_other_large_grid_on_own_detail_pages(
        name, ctx, client_as, api_as, lg2_markers):
    check = ROUTES[name]
    response = _client(client_as, api_as, "gm01", check).get(check.inside(ctx))
    _assert_no_leak(_text(response), lg2_markers, name)


WRITE_METHODS = ["post", "put", "patch", "delete"]


def _organisation_state():
    return [list(model.objects.order_by("pk").values())
            for model in apps.get_app_config("grid").get_models()]


@pytest.mark.parametrize("name", [n for n in DETAIL if ROUTES[n].method == "get"])
def test_grid_member_cannot_change_anything_of_other_large_grid(name, ctx, client_as, api_as):
    check = ROUTES[name]
    client = _client(client_as, api_as, "gm01", check)
    before = _organisation_state()
    for method in WRITE_METHODS:
        response = getattr(client, method)(check.outside(ctx))
        assert response.status_code in (403, 404, 405), (name, method, response.status_code)
    assert _organisation_state() == before


@pytest.mark.parametrize("name", [n for n in CHECKED if ROUTES[n].api])
def test_api_is_read_only_for_grid_member(name, ctx, api_as):
    check = ROUTES[name]
    client = api_as("gm01")
    before = _organisation_state()
    for method in WRITE_METHODS:
        assert getattr(client, method)(check.inside(ctx)).status_code == 405, (name, method)
    assert _organisation_state() == before


def test_grid_member_gets_404_for_every_object_of_other_large_grid(
        demo, client_as, api_as):
    page, api = client_as("gm01"), api_as("gm01")
    people = _large_grid_2_staff(demo)
    usernames = {p.user.username for p in people if p.user_id}
    assert {"gm02", "gl02", "med02"} <= usernames
    # Grid leader, four grid members, three mediators, the section leader and the cadre (包户).
    assert len(people) == 10
    targets = [
        ("grid:large_grid_detail", "v1:large-grid-detail", [demo.lg2]),
        (None, "v1:small-grid-detail", demo.sg2),
        ("grid:committee_detail", "v1:committee-detail", [demo.committee2]),
        ("grid:centre_detail", "v1:centre-detail", [demo.centre2]),
        ("grid:staff_detail", "v1:staff-detail", people),
    ]
    for page_route, api_route, objects in targets:
        for obj in objects:
            if page_route:
                url = reverse(page_route, args=[obj.pk])
                assert page.get(url).status_code == 404, (url, str(obj))
            url = reverse(api_route, args=[obj.pk])
            assert api.get(url).status_code == 404, (url, str(obj))


def test_grid_member_api_lists_hold_only_its_scope(demo, api_as):
    api = api_as("gm01")

    def ids(route):
        return {row["id"] for row in api.get(reverse(route) + ALL).json()["results"]}

    assert ids("v1:town-list") == {demo.town.pk}
    assert ids("v1:large-grid-list") == {demo.lg1.pk}
    assert ids("v1:small-grid-list") == {demo.sg1[0].pk}
    assert ids("v1:committee-list") == {demo.committee1.pk, demo.town_committee.pk}
    assert ids("v1:centre-list") == {demo.town_centre.pk}
    staff = ids("v1:staff-list")
    assert not staff & {p.pk for p in _large_grid_2_staff(demo)}
    assert {demo.staff[u].pk for u in ("gm01", "gl01", "med01", "leader")} <= staff


def test_grid_member_cannot_filter_its_way_into_other_large_grid(demo, api_as):
    api = api_as("gm01")
    assert api.get(reverse("v1:small-grid-list"),
                   {"large_grid": demo.lg2.pk}).json()["count"] == 0
    assert api.get(reverse("v1:committee-list"), {"level": "village"}).json()["count"] == 1


# --- Town leadership -------------------------------------------------------------------------

def test_leader_api_lists_hold_the_whole_town(leader, demo, api_as):
    api = api_as("leader")
    counts = {route: api.get(reverse(route)).json()["count"] for route in
              ("v1:town-list", "v1:large-grid-list", "v1:small-grid-list",
               "v1:committee-list", "v1:centre-list")}
    assert counts == {"v1:town-list": 1, "v1:large-grid-list": 11, "v1:small-grid-list": 60,
                      "v1:committee-list": 12, "v1:centre-list": 2}
    # Every person of the town, and the county user who covers it.
    everyone = Staff.objects.filter(Q(town=demo.town) | Q(assignments__county=demo.county))
    assert api.get(reverse("v1:staff-list")).json()["count"] == everyone.distinct().count()


@pytest.mark.parametrize("name", [n for n in CHECKED if ROUTES[n].outside_kind != OTHER_USER])
def test_leader_opens_every_route_of_the_town(name, ctx, client_as, api_as, leader):
    check = ROUTES[name]
    client = _client(client_as, api_as, "leader", check)
    call = getattr(client, check.method)
    assert call(check.inside(ctx)).status_code == check.ok, name
    if check.outside:
        expected = 404 if check.outside_kind == OTHER_TOWN else check.ok
        assert call(check.outside(ctx)).status_code == expected, name


def test_leader_town_page_lists_all_large_grids_and_committees(demo, client_as):
    response = client_as("leader").get(reverse("grid:town_detail", args=[demo.town.pk]))
    assert len(response.context["large_grids"]) == 11
    assert len(response.context["committees"]) == 12
    assert len(response.context["centres"]) == 2
    assert response.content.decode().count('data-testid="large-grid-row"') == 11


def test_leader_sees_every_staff_member_of_large_grid_2(demo, api_as):
    api = api_as("leader")
    for person in _large_grid_2_staff(demo):
        assert api.get(reverse("v1:staff-detail", args=[person.pk])).status_code == 200


# --- Admin: covered by model, not by route ---------------------------------------------------

def test_every_grid_model_in_the_admin_is_scoped():
    registered = {model: model_admin for model, model_admin in admin.site._registry.items()
                  if model._meta.app_label == "grid"}
    assert registered
    for model, model_admin in registered.items():
        assert isinstance(model_admin, ScopedAdmin), model
        assert model in SCOPE_FILTERS, model


def test_grid_member_without_staff_flag_is_sent_to_admin_login(client_as, demo):
    client = client_as("gm01")
    for url in ("/admin/", reverse("admin:grid_largegrid_changelist"),
                reverse("admin:grid_largegrid_change", args=[demo.lg2.pk])):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("admin:login"))


@pytest.fixture
def gm01_in_admin(gm01):
    """gm01 given the staff flag and every view permission of the grid app: the admin must
    still show only its scope."""
    gm01.is_staff = True
    gm01.save(update_fields=["is_staff"])
    gm01.user_permissions.set(Permission.objects.filter(
        content_type__app_label="grid", codename__startswith="view_"))
    return gm01


def _admin_models():
    return [model for model in admin.site._registry if model._meta.app_label == "grid"]


def test_scoped_staff_user_sees_nothing_of_other_large_grid_in_admin_lists(
        gm01_in_admin, client_as, lg2_markers):
    client = client_as("gm01")
    for model in _admin_models():
        url = reverse(f"admin:grid_{model._meta.model_name}_changelist")
        response = client.get(url)
        assert response.status_code == 200, url
        _assert_no_leak(response.content.decode(), lg2_markers, url)


def test_scoped_staff_user_admin_lists_hold_only_its_scope(gm01_in_admin, client_as, demo):
    client = client_as("gm01")

    def listed(model):
        url = reverse(f"admin:grid_{model._meta.model_name}_changelist")
        return {obj.pk for obj in client.get(url).context["cl"].result_list}

    assert listed(LargeGrid) == {demo.lg1.pk}
    assert listed(SmallGrid) == {demo.sg1[0].pk}
    assert listed(MediationCommittee) == {demo.committee1.pk, demo.town_committee.pk}
    assert listed(GovernanceCentre) == {demo.town_centre.pk}
    assert listed(Town) == {demo.town.pk}
    assert not listed(RoleAssignment) & set(
        RoleAssignment.objects.filter(large_grid=demo.lg2).values_list("pk", flat=True))


def test_scoped_staff_user_cannot_open_other_large_grid_in_admin(gm01_in_admin, client_as, demo):
    client = client_as("gm01")
    objects = [demo.lg2, demo.sg2[0], demo.committee2, demo.centre2, demo.staff["gm02"],
               RoleAssignment.objects.filter(large_grid=demo.lg2).first()]
    for obj in objects:
        url = reverse(f"admin:grid_{obj._meta.model_name}_change", args=[obj.pk])
        response = client.get(url)
        # The admin answers an object outside the queryset like a missing one.
        assert response.status_code == 302, url
        assert response["Location"] == reverse("admin:index"), url
    # An object in scope opens.
    url = reverse("admin:grid_largegrid_change", args=[demo.lg1.pk])
    assert client.get(url).status_code == 200

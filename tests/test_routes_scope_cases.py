"""Every route of the case apps that names an object answers an object outside the user's
scope exactly as it answers a missing one: 404, with the same message in the API (no
existence oracle). The grid member gm01 (small grid 1 of large grid 1) asks for objects of
the other villages and for ids that do not exist.

``test_every_object_route_is_walked`` walks Django's URL resolver: a route added later to
disputes, petitions, outreach, legalaid, supervision, cadence, reporting, imports or inbox that
names an object and has no
entry in ``PAGE_ROUTES`` or ``API_BASENAMES`` fails the suite. The organisation's routes are
walked in ``tests/grid/test_routes_scope.py``.
"""

from __future__ import annotations

import datetime

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from cadence.models import MonthlyAnalysis, WeeklySummary
from cadence.selectors import monthly_analyses_for_user, weekly_summaries_for_user
from disputes.models import Dispute
from disputes.selectors import dispute_list_for_user
from imports.models import ImportBatch
from imports.selectors import batch_list_for_user
from legalaid.models import LegalAidMatter
from legalaid.selectors import matter_list_for_user
from outreach.models import Application, SmsMessage
from outreach.selectors import application_list_for_user, sms_list_for_user
from petitions.models import Petition
from petitions.selectors import petition_list_for_user
from reporting.models import Bulletin, StatisticsReport
from reporting.selectors import bulletin_list_for_user, report_list_for_user
from supervision.models import ResponsibilityTrace, RiskAssessment, SupervisionNotice
from supervision.selectors import (
    assessment_list_for_user,
    notice_list_for_user,
    trace_list_for_user,
)

pytestmark = pytest.mark.django_db

CASE_APPS = {"disputes", "petitions", "legalaid", "supervision", "cadence", "reporting",
             "imports", "inbox", "outreach"}
MISSING = 987654321

# route name → (the kind of object its ``pk`` names, extra URL kwargs, HTTP method)
PAGE_ROUTES = {
    "disputes:detail": ("dispute", {}, "get"),
    "disputes:action": ("dispute", {"action": "escalate"}, "post"),
    "disputes:personal_data": ("dispute", {}, "post"),
    "disputes:session_add": ("dispute", {}, "post"),
    "disputes:attachment_add": ("dispute", {}, "post"),
    "disputes:attachment": ("dispute", {"attachment_pk": 1}, "get"),
    "disputes:agreement_print": ("dispute", {}, "get"),
    "disputes:termination_print": ("dispute", {}, "get"),
    "disputes:rights_print": ("dispute", {}, "get"),
    "disputes:file_print": ("dispute", {}, "get"),
    "legalaid:detail": ("matter", {}, "get"),
    "legalaid:action": ("matter", {"action": "transfer"}, "post"),
    "petitions:detail": ("petition", {}, "get"),
    "petitions:action": ("petition", {"action": "accept"}, "post"),
    "petitions:personal_data": ("petition", {}, "post"),
    "petitions:higher_visit": ("petition", {}, "post"),
    "petitions:print": ("petition", {"document": "notice"}, "get"),
    "supervision:notice_detail": ("notice", {}, "get"),
    "supervision:notice_print": ("notice", {}, "get"),
    "supervision:notice_action": ("notice", {"action": "acknowledge"}, "post"),
    "supervision:assessment": ("assessment", {}, "get"),
    "supervision:trace_detail": ("trace", {}, "get"),
    "cadence:weekly": ("weekly", {}, "get"),
    "cadence:monthly": ("monthly", {}, "get"),
    "reporting:report": ("report", {}, "get"),
    "reporting:report_xlsx": ("report", {}, "get"),
    "reporting:report_action": ("report", {"action": "file"}, "post"),
    "reporting:bulletin": ("bulletin", {}, "get"),
    "reporting:bulletin_action": ("bulletin", {"action": "read"}, "post"),
    "imports:detail": ("import", {}, "get"),
    "imports:sheet": ("import", {}, "post"),
    "imports:mapping": ("import", {}, "post"),
    "imports:preview": ("import", {}, "get"),
    "imports:report": ("import", {}, "get"),
    "imports:confirm": ("import", {}, "post"),
    "imports:progress": ("import", {}, "get"),
    "imports:undo": ("import", {}, "post"),
    "notification_read": ("notification", {}, "post"),
    "outreach:application_detail": ("application", {}, "get"),
    "outreach:application_action": ("application", {"action": "accept"}, "post"),
}
# Routes that name a town and a day rather than an object (a town outside gm01's reading).
TOWN_ROUTES = {"cadence:daily"}
# API viewsets whose detail routes are walked: every ``<basename>-<action>`` with a pk.
API_BASENAMES = {"dispute": "dispute", "petition": "petition", "notice": "notice",
                 "import": "import", "report": "report", "bulletin": "bulletin",
                 "application": "application", "sms": "sms"}


def _walk(resolver, namespace=""):
    for p in resolver.url_patterns:
        if isinstance(p, URLResolver):
            inner = f"{namespace}:{p.namespace}" if namespace and p.namespace else (
                p.namespace or namespace)
            yield from _walk(p, inner)
        elif isinstance(p, URLPattern) and p.name:
            yield (f"{namespace}:{p.name}" if namespace else p.name), p


def _kwargs(pattern) -> set[str]:
    """The URL's keyword arguments: path converters, or a router's regex groups."""
    return set(pattern.pattern.converters) or set(pattern.pattern.regex.groupindex) - {"format"}


def _object_routes():
    for name, pattern in _walk(get_resolver()):
        module = getattr(pattern.callback, "__module__", "") or ""
        if module.split(".")[0] in CASE_APPS and _kwargs(pattern):
            yield name, pattern


def _outside(kind, user):
    """An object of ``kind`` that exists but that ``user`` may not see, or None."""
    pairs = {
        "dispute": (Dispute, dispute_list_for_user),
        "petition": (Petition, petition_list_for_user),
        "notice": (SupervisionNotice, notice_list_for_user),
        "assessment": (RiskAssessment, assessment_list_for_user),
        "trace": (ResponsibilityTrace, trace_list_for_user),
        "weekly": (WeeklySummary, weekly_summaries_for_user),
        "monthly": (MonthlyAnalysis, monthly_analyses_for_user),
        "import": (ImportBatch, batch_list_for_user),
        "report": (StatisticsReport, report_list_for_user),
        "bulletin": (Bulletin, bulletin_list_for_user),
        "application": (Application, application_list_for_user),
        "sms": (SmsMessage, sms_list_for_user),
        "matter": (LegalAidMatter, matter_list_for_user),
    }
    if kind not in pairs:
        return None
    model, selector = pairs[kind]
    return model.objects.exclude(pk__in=selector(user=user).values("pk")).first()


def test_every_object_route_is_walked():
    unlisted = []
    for name, _pattern in _object_routes():
        if name.startswith("v1:"):
            basename = name.split(":", 1)[1].split("-", 1)[0]
            if basename not in API_BASENAMES:
                unlisted.append(name)
        elif name not in PAGE_ROUTES and name not in TOWN_ROUTES:
            unlisted.append(name)
    assert unlisted == [], "add these routes to PAGE_ROUTES or API_BASENAMES"


def test_the_demo_has_cases_outside_the_grid_members_scope(gm01):
    for kind in ("dispute", "petition", "report", "bulletin", "application", "sms", "matter"):
        assert _outside(kind, gm01) is not None, kind


@pytest.mark.parametrize("name", sorted(PAGE_ROUTES))
def test_a_page_answers_out_of_scope_as_missing(name, client_as, gm01):
    kind, extra, method = PAGE_ROUTES[name]
    client = client_as("gm01")
    outside = _outside(kind, gm01)
    ids = [MISSING] + ([outside.pk] if outside is not None else [])
    for pk in ids:
        url = reverse(name, kwargs={"pk": pk, **extra})
        response = getattr(client, method)(url)
        assert response.status_code == 404, (name, pk, response.status_code)


def test_a_town_the_user_does_not_read_answers_as_missing(client_as, gm01):
    client = client_as("gm01")
    day = datetime.date.today().isoformat()
    for town_id in (gm01.staff.town_id, MISSING):
        response = client.get(reverse("cadence:daily", args=[town_id, day]))
        assert response.status_code == 404, town_id


def _api_routes():
    for name, pattern in _object_routes():
        if name.startswith("v1:") and "pk" in _kwargs(pattern):
            basename, _, action = name.split(":", 1)[1].partition("-")
            if basename in API_BASENAMES:
                yield name, basename, action


def test_every_api_object_route_answers_out_of_scope_as_missing(api_as, gm01):
    client = api_as("gm01")
    routes = list(_api_routes())
    assert len(routes) > 20, "the walk found the case viewsets' routes"
    for name, basename, action in routes:
        outside = _outside(API_BASENAMES[basename], gm01)
        method = "get" if action in ("detail", "history") else "post"
        answers = []
        for pk in [MISSING] + ([outside.pk] if outside is not None else []):
            response = getattr(client, method)(reverse(name, kwargs={"pk": pk}), {},
                                               format="json")
            answers.append((response.status_code, response.json().get("detail")))
        assert {status for status, _ in answers} == {404}, (name, answers)
        assert len({detail for _, detail in answers}) == 1, (name, answers)

"""Saved filters: a user names a ledger's filter and applies it again with one click; only
the owner sees, applies or deletes it. The list each ledger page reads is one fixed
statement: the same rows, in the same order, as the ORM's query."""

import pytest
from django.urls import reverse

from core.models import SavedFilter
from core.saved_filters import PER_PAGE_LIMIT, saved_filter_save, saved_filters_for

pytestmark = pytest.mark.django_db


def test_the_list_is_the_orm_query_of_the_users_filters_of_the_page(gm01, gm02):
    for name, query in (("乙 超期", "overdue=on"), ("甲 已结案", "state=closed"),
                        ("甲 已结案 ", "state=closed&x=")):
        saved_filter_save(user=gm01, page="disputes:ledger", name=name, query=query)
    saved_filter_save(user=gm01, page="petitions:ledger", name="别的页面", query="kind=x")
    saved_filter_save(user=gm02, page="disputes:ledger", name="别人的", query="state=closed")

    rows = saved_filters_for(user=gm01, page="disputes:ledger")
    orm = SavedFilter.objects.filter(user=gm01, page="disputes:ledger")
    assert [(r.pk, r.page, r.name, r.query) for r in rows] == [
        (f.pk, f.page, f.name, f.query) for f in orm]
    # The same name (spaces folded) replaced the first; the empty value was left out.
    assert {(r.name, r.query) for r in rows} == {("乙 超期", "overdue=on"),
                                                 ("甲 已结案", "state=closed")}


def test_a_ledger_shows_the_users_filters_and_marks_the_one_applied(client_as, gm01, gm02):
    saved_filter_save(user=gm01, page="disputes:ledger", name="已结案", query="state=closed")
    saved_filter_save(user=gm02, page="disputes:ledger", name="别人的", query="overdue=on")
    client = client_as("gm01")
    page = client.get(reverse("disputes:ledger")).content.decode()
    assert "已结案" in page and "别人的" not in page
    applied = client.get(reverse("disputes:ledger") + "?state=closed").content.decode()
    assert 'href="/disputes/?state=closed" aria-current="true"' in applied


def test_saving_and_deleting_through_the_pages(client_as, gm01, gm02):
    client = client_as("gm01")
    response = client.post(reverse("saved_filter_create"), {
        "page": "disputes:ledger", "name": "高风险", "query": "risk_level=red&page=3"})
    assert response.status_code == 302
    assert response["Location"] == "/disputes/?risk_level=red"  # where one was is not kept
    saved = SavedFilter.objects.get(user=gm01, name="高风险")
    # Another user's filter is not found for anyone but its owner.
    assert client_as("gm02").post(reverse("saved_filter_delete", args=[saved.pk])
                                  ).status_code == 404
    assert client.post(reverse("saved_filter_delete", args=[saved.pk])).status_code == 302
    assert saved_filters_for(user=gm01, page="disputes:ledger") == []


def test_a_page_holds_a_limited_number(gm01):
    from django.core.exceptions import ValidationError

    for i in range(PER_PAGE_LIMIT):
        saved_filter_save(user=gm01, page="disputes:ledger", name=f"筛选{i}", query=f"q={i}")
    with pytest.raises(ValidationError, match="最多保存"):
        saved_filter_save(user=gm01, page="disputes:ledger", name="再一个", query="q=x")
    assert len(saved_filters_for(user=gm01, page="disputes:ledger")) == PER_PAGE_LIMIT

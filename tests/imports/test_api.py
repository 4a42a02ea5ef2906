import pytest
from django.contrib.auth.models import Permission
from django.test import Client
from django.urls import reverse

from disputes.models import Dispute
from grid.models import Town
from imports.models import ImportBatch, ImportState
from imports.services import import_upload
from tests.imports import workbooks as wbs

pytestmark = pytest.mark.django_db


@pytest.fixture
def town():
    return Town.objects.get(name="黄寨镇")


def upload(client, town, name="a.xlsx", content=None, kind="ledger"):
    return client.post("/api/v1/imports/", {
        "kind": kind, "town": town.pk,
        "file": wbs.upload(name, content if content is not None else wbs.ledger_like_export())},
        format="multipart")


def test_office_uploads_checks_commits_and_undoes_through_the_api(api_as, town):
    client = api_as("office")
    response = upload(client, town)
    assert response.status_code == 201, response.json()
    batch = response.json()
    assert (batch["state"], batch["sheet"], batch["sheets"]) == ("draft", "", ["台账", "说明"])
    assert len(batch["checksum"]) == 64 and batch["created_by"] == "office"
    url = f"/api/v1/imports/{batch['id']}/"
    assert client.post(f"{url}commit/").status_code == 400  # not checked yet
    response = client.post(f"{url}check/", {"sheet": "台账"}, format="json")
    assert response.status_code == 200, response.json()
    checked = response.json()
    assert checked["header_row"] == 2 and checked["mapping"][2] == {"label": "发现日期",
                                                                    "field": "found_on"}
    summary = checked["summary"]
    assert (summary["total"], summary["new"], summary["invalid"], summary["ok"]) == (3, 3, 0, True)
    assert summary["preview"][0]["parties"] == "张*、李*"  # masked, as in lists
    before = Dispute.objects.count()
    response = client.post(f"{url}commit/")
    assert response.status_code == 200, response.json()
    assert (response.json()["state"], response.json()["rows_added"]) == ("committed", 3)
    assert Dispute.objects.count() == before + 3
    listed = client.get("/api/v1/imports/").json()["results"]
    assert [b["id"] for b in listed] == [batch["id"]]
    assert client.post(f"{url}undo/", {"reason": ""}, format="json").status_code == 400
    response = client.post(f"{url}undo/", {"reason": "导错了"}, format="json")
    assert response.status_code == 200
    assert (response.json()["state"], response.json()["undo_reason"]) == ("undone", "导错了")
    assert response.json()["undone_by"] == "office"


def test_check_takes_the_columns_and_names_the_errors(api_as, town):
    client = api_as("office")
    batch = upload(client, town, "b.xlsx", wbs.ledger_two_row_header()).json()
    url = f"/api/v1/imports/{batch['id']}/check/"
    fields = [c["field"] for c in batch["mapping"]]
    response = client.post(url, {"fields": ["", *fields[1:2], "", *fields[3:]]}, format="json")
    assert response.status_code == 400
    assert "缺少必需的列" in str(response.json()["errors"])
    response = client.post(url, {"sheet": "没有这张表"}, format="json")
    assert response.status_code == 400
    bad = upload(client, town, "bad.xlsx", wbs.ledger_two_row_header(
        [[1, "2019.3.5", "火星村", "刘一", "", "合同纠纷", "x", "是", ""]])).json()
    checked = client.post(f"/api/v1/imports/{bad['id']}/check/", {}, format="json").json()
    assert checked["summary"]["invalid"] == 1
    assert "本镇没有网格“火星村”" in checked["summary"]["errors"][0]["errors"][0]
    response = client.post(f"/api/v1/imports/{bad['id']}/commit/")
    assert response.status_code == 400
    assert ImportBatch.objects.get(pk=bad["id"]).state == ImportState.DRAFT


def test_only_the_towns_office_and_admins_see_or_make_imports(api_as, office, town):
    from tests.grid.factories import town_create

    mine = import_upload(by=office, town=town, kind="ledger",
                         upload=wbs.upload("b.xlsx", wbs.ledger_two_row_header()))
    admin = api_as("admin")
    other = town_create()
    elsewhere = upload(admin, other.town).json()
    office_api = api_as("office")
    missing = office_api.get("/api/v1/imports/987654321/")
    outside = office_api.get(f"/api/v1/imports/{elsewhere['id']}/")
    assert missing.status_code == outside.status_code == 404
    assert missing.json() == outside.json()
    assert [b["id"] for b in office_api.get("/api/v1/imports/").json()["results"]] == [mine.pk]
    for username in ("gm01", "leader", "county"):
        client = api_as(username)
        assert client.get("/api/v1/imports/").json()["results"] == []
        assert client.get(f"/api/v1/imports/{mine.pk}/").status_code == 404
        response = upload(client, town)
        assert response.status_code == 400  # a town they may not import into: not found
        assert response.json()["errors"]["town"] == ["未找到，或不在您的管辖范围内。"]


def test_the_import_list_costs_the_same_for_many_imports(api_as, office, town,
                                                        django_assert_max_num_queries):
    client = api_as("office")
    for i in range(6):
        import_upload(by=office, town=town, kind="ledger",
                      upload=wbs.upload(f"b{i}.xlsx", wbs.ledger_two_row_header()))
    with django_assert_max_num_queries(8):
        assert len(client.get("/api/v1/imports/").json()["results"]) == 6


def test_the_admin_lists_the_users_towns_imports_read_only(office, admin, town):
    from tests.grid.factories import town_create

    mine = import_upload(by=office, town=town, kind="ledger",
                         upload=wbs.upload("b.xlsx", wbs.ledger_two_row_header()))
    other = town_create()
    theirs = import_upload(by=admin, town=other.town,
                           kind="ledger", upload=wbs.upload("x.xlsx", wbs.ledger_two_row_header()))
    office.is_staff = True
    office.save(update_fields=["is_staff"])
    office.user_permissions.set(Permission.objects.filter(content_type__app_label="imports"))
    client = Client()
    client.force_login(office)
    page = client.get(reverse("admin:imports_importbatch_changelist"))
    assert page.status_code == 200
    assert reverse("admin:imports_importbatch_change", args=[mine.pk]) in page.content.decode()
    assert reverse("admin:imports_importbatch_change", args=[theirs.pk]) not in (
        page.content.decode())
    change = client.get(reverse("admin:imports_importbatch_change", args=[mine.pk]))
    assert change.status_code == 200 and "b.xlsx" in change.content.decode()
    assert 'name="_save"' not in change.content.decode()  # read-only
    assert client.get(reverse("admin:imports_importbatch_change",
                              args=[theirs.pk])).status_code in (302, 404)
    assert client.get(reverse("admin:imports_importbatch_add")).status_code == 403

import io

import pytest
from openpyxl import load_workbook

from disputes.models import Dispute
from grid.models import Town
from imports.models import ImportBatch, ImportState
from tests.imports import workbooks as wbs

pytestmark = pytest.mark.django_db


def test_office_goes_from_upload_to_confirm_and_undo(client_as):
    town = Town.objects.get(name="黄寨镇")
    client = client_as("office")
    response = client.post("/imports/", {"kind": "ledger", "town": town.pk,
                                         "file": wbs.upload("a.xlsx", wbs.ledger_like_export())})
    batch = ImportBatch.objects.get()
    assert response.url == f"/imports/{batch.pk}/sheet/"
    assert "说明" in client.get(response.url).content.decode()
    response = client.post(f"/imports/{batch.pk}/sheet/", {"sheet": "台账"})
    assert response.url == f"/imports/{batch.pk}/columns/"
    page = client.get(response.url).content.decode()
    assert '<option value="found_on" selected>' in page
    batch.refresh_from_db()
    posted = {f"col{i}": c["field"] for i, c in enumerate(batch.mapping)}
    response = client.post(f"/imports/{batch.pk}/columns/", posted)
    assert response.url == f"/imports/{batch.pk}/preview/"
    page = client.get(response.url).content.decode()
    assert "共3行：新增3行，已存在0行（将跳过），错误0行。" in page
    assert "黄寨人调〔2019〕1号" in page and "已结案" in page and "张*" in page
    report = client.get(f"/imports/{batch.pk}/report.xlsx")
    assert load_workbook(io.BytesIO(report.content)).active.max_row == 4
    before = Dispute.objects.count()
    response = client.post(f"/imports/{batch.pk}/confirm/")
    assert response.url == f"/imports/{batch.pk}/"
    assert Dispute.objects.count() == before + 3
    page = client.get(response.url).content.decode()
    assert "新增3行，跳过0行" in page
    client.post(f"/imports/{batch.pk}/undo/", {"reason": "测试撤销"})
    batch.refresh_from_db()
    assert batch.state == ImportState.UNDONE


def test_others_do_not_see_the_import_pages_or_the_imports(client_as, office):
    town = Town.objects.get(name="黄寨镇")
    from imports.services import import_upload

    batch = import_upload(by=office, town=town, kind="ledger",
                          upload=wbs.upload("b.xlsx", wbs.ledger_two_row_header()))
    for username in ("gm01", "leader", "county"):
        client = client_as(username)
        assert client.get("/imports/").status_code == 404
        assert client.get(f"/imports/{batch.pk}/preview/").status_code == 404
    assert client_as("admin").get(f"/imports/{batch.pk}/preview/").status_code == 200


def test_a_large_file_is_checked_and_committed_on_the_worker(client_as, settings, monkeypatch):
    """Tasks run eagerly in the tests (config/settings/test.py): the test runs each queued
    task itself, as the worker would after the commit."""
    settings.IMPORT_WORKER_ROWS = 2
    town = Town.objects.get(name="黄寨镇")
    client = client_as("office")
    client.post("/imports/", {"kind": "ledger", "town": town.pk,
                              "file": wbs.upload("b.xlsx", wbs.ledger_two_row_header())})
    batch = ImportBatch.objects.get()
    queued = []
    monkeypatch.setattr("django.db.transaction.on_commit", lambda fn, using=None: queued.append(fn))
    page = client.get(f"/imports/{batch.pk}/preview/").content.decode()
    assert "正在后台逐行校验" in page and 'data-waiting="checking"' in page
    assert client.get(f"/imports/{batch.pk}/progress/").json()["state"] == "checking"
    queued.pop()()  # the worker runs the check
    page = client.get(f"/imports/{batch.pk}/preview/").content.decode()
    assert "共3行：新增3行" in page
    client.post(f"/imports/{batch.pk}/confirm/")
    batch.refresh_from_db()
    assert batch.state == ImportState.RUNNING
    assert 'id="import-progress"' in client.get(f"/imports/{batch.pk}/").content.decode()
    queued.pop()()  # the worker commits
    batch.refresh_from_db()
    assert batch.state == ImportState.COMMITTED and batch.rows_added == 3
    progress = client.get(f"/imports/{batch.pk}/progress/").json()
    assert progress == {"state": "committed", "done": 3, "total": 3, "added": 3,
                        "skipped": 0, "error": ""}

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from grid.models import Town
from imports.selectors import import_check
from imports.services import import_commit, import_undo, import_upload
from petitions.models import Petition, PetitionEvent
from petitions.states import CloseReason, PetitionState, ReplyResult
from tests.imports import workbooks as wbs

pytestmark = pytest.mark.django_db


def rows():
    recent = timezone.localdate() - datetime.timedelta(days=5)
    return [
        [1, "黄寨信〔2019〕3号", "2019.4.1", "黄寨村", "申甲", "13600000001", 1, "来访", "宅基地确权",
         "要求确权", "2019.5.10", "支持，已确权", "2019.6.1", "满意"],
        [2, "", recent - datetime.timedelta(days=20), "马寨村第2网格", "申乙、申丙", "", 2, "来信",
         "低保", "申请低保", recent, "解释说明低保政策", None, ""],
        [3, "", "2019年7月1日", "甘庄村", "申丁", "", 1, "网上信访", "道路", "修路", "2019.8.1",
         "不支持", None, ""],
    ]


def test_a_petition_register_lands_replied_or_closed(office):
    town = Town.objects.get(name="黄寨镇")
    batch = import_upload(by=office, town=town, kind="petitions",
                          upload=wbs.upload("p.xlsx", wbs.petition_register(rows())))
    assert batch.header_row == 2
    check = import_check(batch=batch)
    assert (check.total, check.new, check.invalid) == (3, 3, 0)
    batch = import_commit(batch=batch, by=office)
    assert batch.rows_added == 3
    kept = Petition.objects.get(number="黄寨信〔2019〕3号")
    assert (kept.state, kept.close_reason, kept.satisfied) == (
        PetitionState.CLOSED, CloseReason.SATISFIED, True)
    assert kept.reply_result == ReplyResult.SUPPORT and kept.form == "visit"
    assert kept.events.get().action == PetitionEvent.Action.IMPORTED
    recent, old = (batch.rows.get(row_number=n).petition for n in (4, 5))
    assert recent.state == PetitionState.REPLIED and recent.petitioners.count() == 2
    assert recent.form == "letter" and recent.reply_result == ReplyResult.EXPLAIN
    # The review window of a reply in 2019 has long passed: closed on its last day.
    assert (old.state, old.close_reason, old.closed_on) == (
        PetitionState.CLOSED, CloseReason.REVIEW_WINDOW_PASSED, datetime.date(2019, 8, 31))
    assert old.reply_result == ReplyResult.NOT_SUPPORT
    again = import_commit(batch=import_upload(
        by=office, town=town, kind="petitions",
        upload=wbs.upload("p.xlsx", wbs.petition_register(rows()))), by=office)
    assert (again.rows_added, again.rows_skipped) == (0, 3)
    undone = import_undo(batch=batch, by=office, reason="导入了别镇的登记簿")
    assert undone.state == "undone"
    voided = [r.petition for r in batch.rows.select_related("petition")]
    assert {p.state for p in voided} == {PetitionState.VOIDED}
    assert Petition.objects.filter(pk__in=[p.pk for p in voided]).count() == 3  # kept
    event = voided[0].events.order_by("-id").first()
    assert event.action == PetitionEvent.Action.VOID and "导入了别镇的登记簿" in event.note
    assert not Petition.objects.counted().filter(pk__in=[p.pk for p in voided]).exists()


def test_a_register_import_is_not_undone_once_a_petition_was_worked_on(office, leader, gm01):
    from petitions.services import petition_void

    town = Town.objects.get(name="黄寨镇")
    batch = import_commit(batch=import_upload(
        by=office, town=town, kind="petitions",
        upload=wbs.upload("p.xlsx", wbs.petition_register(rows()))), by=office)
    worked = batch.rows.get(row_number=4).petition
    with pytest.raises(PermissionDenied):  # a grid member voids nothing
        petition_void(petition=batch.rows.get(row_number=3).petition, by=gm01, reason="x")
    petition_void(petition=worked, by=leader, reason="重复登记")
    with pytest.raises(ValidationError, match="第4行"):
        import_undo(batch=batch, by=office, reason="x")
    assert all(r.petition.state != PetitionState.VOIDED
               for r in batch.rows.exclude(row_number=4).select_related("petition"))


def test_a_petition_still_being_handled_is_not_imported(office):
    town = Town.objects.get(name="黄寨镇")
    batch = import_upload(by=office, town=town, kind="petitions", upload=wbs.upload(
        "p.xlsx", wbs.petition_register(
            [[1, "", "2019.4.1", "黄寨村", "申甲", "", 1, "来访", "x", "x", "", "", None, ""]])))
    check = import_check(batch=batch)
    assert check.invalid == 1
    assert "未答复的信访事项请在系统中登记" in check.errors[0].errors[0]


def test_import_petitions_command_commits_the_register(tmp_path, capsys):
    from django.core.management import call_command

    town = Town.objects.get(name="黄寨镇")
    path = tmp_path / "p.xlsx"
    path.write_bytes(wbs.petition_register(rows()))
    call_command("import_petitions", str(path), "--town", str(town.pk), "--commit")
    assert "added 3, skipped 0" in capsys.readouterr().out

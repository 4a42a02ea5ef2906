import datetime
import io

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from openpyxl import load_workbook

from disputes.models import Dispute, DisputeEvent
from disputes.services import dispute_escalate
from disputes.states import DisputeState, ReferralTarget
from grid.models import Town, TownSequence
from imports.models import ImportState
from imports.selectors import import_check, import_error_report
from imports.services import import_commit, import_set_mapping, import_undo, import_upload
from tests.imports import workbooks as wbs

pytestmark = pytest.mark.django_db


@pytest.fixture
def town():
    return Town.objects.get(name="黄寨镇")


def fields(batch):
    return [c["field"] for c in batch.mapping]


def test_layout_a_title_row_and_date_cells_are_read_and_previewed(office, town):
    batch = import_upload(by=office, town=town, kind="ledger",
                          upload=wbs.upload("a.xlsx", wbs.ledger_like_export()))
    assert batch.sheet == ""  # two sheets: the office chooses
    from imports.services import import_choose_sheet
    batch = import_choose_sheet(batch=batch, sheet="台账")
    assert batch.header_row == 2
    assert fields(batch)[:6] == ["serial", "number", "found_on", "grid", "parties", "phones"]
    check = import_check(batch=batch)
    assert (check.total, check.new, check.present, check.invalid) == (3, 3, 0, 0)
    first, second, third = (r.data for r in check.preview)
    assert first["found_at"] == datetime.date(2019, 3, 5)
    assert second["found_at"] == datetime.date(2019, 5, 15)  # Excel serial 43600
    assert first["state"] == DisputeState.RESOLVED and first["category"] == "neighbour"
    assert [p["phone"] for p in first["parties"]] == ["13800000001", "13800000002"]
    assert second["state"] == DisputeState.GRID_MEMBER
    assert second["small_grid"].name == "马寨村第1网格"  # a village stands for its first grid
    assert third["state"] == DisputeState.REFERRED and third["risk_level"] == "red"
    assert Dispute.objects.filter(number__contains="〔2019〕").count() == 0  # nothing written


def test_layout_b_two_row_merged_header_and_text_dates(office, town):
    batch = import_upload(by=office, town=town, kind="ledger",
                          upload=wbs.upload("b.xlsx", wbs.ledger_two_row_header()))
    assert batch.sheet == "2019年" and batch.header_row == 4
    assert fields(batch) == ["serial", "found_on", "grid", "parties", "phones", "category",
                             "description", "result", "ended_on"]
    check = import_check(batch=batch)
    assert check.ok and check.total == 3  # the signature row at the foot is not a case
    rows = [r.data for r in check.preview]
    assert [r["found_at"] for r in rows] == [datetime.date(2019, 3, d) for d in (5, 6, 7)]
    assert rows[0]["small_grid"].name == "黄寨村第1网格"  # 黄寨村1组: the grid's description
    assert [p["name"] for p in rows[1]["parties"]] == ["陈二", "杨三"]
    assert [r["state"] for r in rows] == [DisputeState.RESOLVED, DisputeState.GRID_MEMBER,
                                          DisputeState.TERMINATED]
    assert rows[2]["ended_on"] == datetime.date(2019, 4, 1)


def test_layout_c_gb18030_csv_commits_in_final_states(office, town):
    batch = import_upload(by=office, town=town, kind="ledger",
                          upload=wbs.upload("c.csv", wbs.ledger_csv()))
    batch = import_commit(batch=batch, by=office)
    assert (batch.state, batch.rows_added, batch.rows_skipped) == (ImportState.COMMITTED, 2, 0)
    kept = Dispute.objects.get(number="马寨人调〔2018〕7号")
    assert kept.state == DisputeState.REFERRED and kept.referred_to == ReferralTarget.COURT
    assert (kept.year, kept.serial) == (2018, 7)
    assert TownSequence.objects.get(town=town, kind="dispute", year=2018).last >= 7
    event = kept.events.get()
    assert event.action == DisputeEvent.Action.IMPORTED
    assert event.note == "导入自“c.csv”工作表“CSV”第2行"
    assigned = batch.rows.get(row_number=3).dispute
    assert assigned.state == DisputeState.CLOSED and assigned.resolved_tier == "grid_member"
    assert assigned.number.startswith("黄寨人调〔2018〕")
    assert assigned.small_grid.large_grid.name == "柏树村"


def test_errors_are_reported_with_suggestions_and_block_the_commit(office, town):
    rows = [
        [1, "", "2019.13.5", "黄寨村第1网格", "张三", "1380000", "邻里", "x", "", "", "", "", None, ""],
        [2, "", "2019.3.5", "黄在村", "李四", "", "邻里", "x", "", "", "", "", None, ""],
        [3, "", "2019.3.5", "黄寨村第1网格", "王五", "", "打架", "x", "", "", "", "", None, ""],
        [4, "", "2019.3.5", "黄寨村第1网格", "赵六", "", "邻里", "x", "", "", "", "已化解", None, ""],
    ]
    before = Dispute.objects.count()
    batch = import_upload(by=office, town=town, kind="ledger",
                          upload=wbs.upload("bad.xlsx", wbs.ledger_like_export(rows)))
    from imports.services import import_choose_sheet
    batch = import_choose_sheet(batch=batch, sheet="台账")
    check = import_check(batch=batch)
    assert (check.total, check.invalid, check.new) == (4, 3, 1)
    report = load_workbook(io.BytesIO(import_error_report(batch=batch))).active
    lines = list(report.iter_rows(values_only=True))
    assert lines[0][:3] == ("行号", "错误", "序号")
    assert [line[0] for line in lines[1:]] == [3, 4, 5, 6]  # not the total row at the foot
    assert "无法识别的日期“2019.13.5”" in lines[1][1] and "11位手机号码" in lines[1][1]
    assert "是否为：黄寨村" in lines[2][1]
    assert "无法对应的纠纷类型“打架”" in lines[3][1]
    assert lines[4][1] is None and lines[4][6] == "赵六"
    with pytest.raises(ValidationError):
        import_commit(batch=batch, by=office)
    assert Dispute.objects.count() == before  # all or nothing
    batch.refresh_from_db()
    assert batch.state == ImportState.FAILED and "第3行" in batch.error


def test_reimport_changes_nothing_and_a_second_file_adds_only_new_rows(office, town):
    for name in ("b.xlsx", "b-again.xlsx"):
        batch = import_upload(by=office, town=town, kind="ledger",
                              upload=wbs.upload(name, wbs.ledger_two_row_header()))
        batch = import_commit(batch=batch, by=office)
    assert (batch.rows_added, batch.rows_skipped) == (0, 3)
    more = [[4, "2019.5.1", "南庄村", "新人", "", "物业", "物业费", "是", "2019.5.2"]]
    batch = import_upload(by=office, town=town, kind="ledger", upload=wbs.upload(
        "c.xlsx", wbs.ledger_two_row_header(
            [[1, "2019.3.5", "黄寨村1组", "刘一", "13900000001", "合同纠纷", "欠款未还", "是",
              "2019.3.20"], *more])))
    batch = import_commit(batch=batch, by=office)
    assert (batch.rows_added, batch.rows_skipped) == (1, 1)
    numbered = import_upload(by=office, town=town, kind="ledger",
                             upload=wbs.upload("n.csv", wbs.ledger_csv()))
    import_commit(batch=numbered, by=office)
    again = import_commit(batch=import_upload(by=office, town=town, kind="ledger",
                                              upload=wbs.upload("n.csv", wbs.ledger_csv())),
                          by=office)
    assert (again.rows_added, again.rows_skipped) == (0, 2)


def test_undo_voids_the_cases_with_the_reason_and_only_while_untouched(office, leader, town):
    batch = import_commit(batch=import_upload(by=office, town=town, kind="ledger", upload=wbs.upload(
        "b.xlsx", wbs.ledger_two_row_header())), by=office)
    with pytest.raises(ValidationError):
        import_undo(batch=batch, by=office, reason="")
    undone = import_undo(batch=batch, by=office, reason="导错了镇")
    assert undone.state == ImportState.UNDONE
    cases = [r.dispute for r in batch.rows.select_related("dispute")]
    assert {c.state for c in cases} == {DisputeState.VOIDED}
    assert all("导错了镇" in c.ended_reason for c in cases)
    assert Dispute.objects.filter(pk__in=[c.pk for c in cases]).count() == 3  # never deleted
    # Undone rows no longer count: importing the file again brings them back.
    again = import_commit(batch=import_upload(by=office, town=town, kind="ledger", upload=wbs.upload(
        "b.xlsx", wbs.ledger_two_row_header())), by=office)
    assert again.rows_added == 3
    case = again.rows.get(row_number=6).dispute
    dispute_escalate(dispute=case, by=leader, note="网格员调解未果")
    with pytest.raises(ValidationError, match="第6行"):
        import_undo(batch=again, by=office, reason="x")


def test_only_the_towns_office_and_admins_may_import(gm01, leader, admin, town):
    for user in (gm01, leader):
        with pytest.raises(PermissionDenied):
            import_upload(by=user, town=town, kind="ledger",
                          upload=wbs.upload("b.xlsx", wbs.ledger_two_row_header()))
    assert import_upload(by=admin, town=town, kind="ledger",
                         upload=wbs.upload("b.xlsx", wbs.ledger_two_row_header())).pk


def test_a_legacy_xls_ledger_is_read_and_committed(office, town):
    batch = import_upload(by=office, town=town, kind="ledger",
                          upload=wbs.upload("old.xls", wbs.ledger_xls()))
    assert (batch.sheet, batch.header_row) == ("2018年台账", 2)  # one sheet: chosen by itself
    assert fields(batch) == ["serial", "found_on", "grid", "parties", "category",
                             "description", "result"]
    check = import_check(batch=batch)
    assert (check.total, check.new, check.invalid) == (3, 3, 0)
    assert [r.data["found_at"] for r in check.preview] == [
        datetime.date(2018, 9, d) for d in (3, 4, 5)]
    assert [p["name"] for p in check.preview[0].data["parties"]] == ["卫甲", "蒋乙"]
    batch = import_commit(batch=batch, by=office)
    assert batch.rows_added == 3
    assert batch.rows.get(row_number=4).dispute.state == DisputeState.GRID_MEMBER
    again = import_commit(batch=import_upload(by=office, town=town, kind="ledger",
                                              upload=wbs.upload("old.xls", wbs.ledger_xls())),
                          by=office)
    assert (again.rows_added, again.rows_skipped) == (0, 3)


def test_a_file_that_is_not_a_workbook_is_refused(office, town):
    with pytest.raises(ValidationError, match="无法读取该工作簿"):
        import_upload(by=office, town=town, kind="ledger", upload=wbs.upload("old.xls", b"x"))
    with pytest.raises(ValidationError, match="请上传 .xlsx、.xls 或 .csv"):
        import_upload(by=office, town=town, kind="ledger", upload=wbs.upload("a.ods", b"x"))


def test_mapping_needs_the_required_columns_once(office, town):
    batch = import_upload(by=office, town=town, kind="ledger",
                          upload=wbs.upload("b.xlsx", wbs.ledger_two_row_header()))
    wanted = fields(batch)
    with pytest.raises(ValidationError, match="缺少必需的列"):
        import_set_mapping(batch=batch, fields=["", *wanted[1:2], "", *wanted[3:]])
    with pytest.raises(ValidationError, match="对应了多列"):
        import_set_mapping(batch=batch, fields=[wanted[1], *wanted[1:]])
    mapped = import_set_mapping(batch=batch, fields=["", *wanted[1:]])
    assert fields(mapped)[0] == ""


def test_a_row_refused_at_commit_leaves_nothing_written(office, town):
    """The check passes, but the third row's number is another town's: the commit writes none
    of the rows, not the two before it."""
    from tests.grid.factories import town_create

    other = town_create()
    from disputes.services import dispute_import_historical

    dispute_import_historical(by=office.__class__.objects.get(username="admin"),
                              small_grid=other.small_grid, state=DisputeState.RESOLVED,
                              parties=[{"name": "外镇人"}], source_note="-",
                              number="黄寨人调〔2019〕3号", title="x", description="x",
                              category="other", found_at=datetime.date(2019, 1, 1))
    before = Dispute.objects.count()
    batch = import_upload(by=office, town=town, kind="ledger",
                          upload=wbs.upload("a.xlsx", wbs.ledger_like_export()))
    from imports.services import import_choose_sheet
    batch = import_choose_sheet(batch=batch, sheet="台账")
    assert import_check(batch=batch).ok
    with pytest.raises(ValidationError, match="已被使用"):
        import_commit(batch=batch, by=office)
    assert Dispute.objects.count() == before
    assert not TownSequence.objects.filter(town=town, year=2019).exists()
    batch.refresh_from_db()
    assert batch.state == ImportState.FAILED and batch.rows.count() == 0
    assert batch.error == "第5行：编号“黄寨人调〔2019〕3号”已被使用。"


def test_a_failed_mediation_without_a_receiving_unit_lands_terminated(office, town):
    """"调解不成" with no unit it went to is a terminated mediation (人民调解法 第二十六条); with a
    unit it is a referral (the CSV layout's first row)."""
    batch = import_upload(by=office, town=town, kind="ledger",
                          upload=wbs.upload("b.xlsx", wbs.ledger_two_row_header()))
    batch = import_commit(batch=batch, by=office)
    ended = Dispute.objects.get(pk=batch.rows.get(row_number=batch.rows.order_by(
        "row_number").last().row_number).dispute_id)
    assert ended.state == DisputeState.TERMINATED
    assert ended.termination_reason == "mediation_failed" and ended.terminated_at is not None

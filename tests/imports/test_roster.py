import pytest
from django.core.exceptions import ValidationError

from grid.models import County, MediationCommittee, Role, RoleAssignment, Staff, Town
from grid.selectors import role_holders, town_summary
from imports.selectors import import_check
from imports.services import import_commit, import_undo, import_upload
from tests.imports import workbooks as wbs

pytestmark = pytest.mark.django_db


@pytest.fixture
def new_town():
    return Town.objects.create(county=County.objects.get(code="620823"), name="青山镇",
                               short_name="青山", code="620823199")


def test_a_new_town_is_set_up_from_its_roster_and_matches_it(admin, new_town):
    batch = import_upload(by=admin, town=new_town, kind="roster",
                          upload=wbs.upload("roster.xlsx", wbs.roster_workbook()))
    assert batch.header_row == 2
    check = import_check(batch=batch)
    assert check.ok and check.total == 17
    batch = import_commit(batch=batch, by=admin)
    assert batch.rows_added == 17
    assert town_summary(town=new_town) == wbs.ROSTER_SUMMARY
    east = new_town.large_grids.get(number=1)
    assert [g.name for g in east.small_grids.order_by("number")] == ["东村第1网格", "东村第2网格"]
    assert new_town.large_grids.get(number=2).kind == "community"
    village = MediationCommittee.objects.get(large_grid=east)
    assert [a.staff.name for a in role_holders(role=Role.COMMITTEE_CHAIR,
                                              committee_id=village.pk)] == ["东五"]
    elder = RoleAssignment.objects.get(staff__name="东四")
    assert (elder.committee, elder.is_five_elders, elder.elder_kind) == (village, True, "teacher")
    ended = RoleAssignment.objects.get(staff__name="西二")
    assert str(ended.ends_on) == "2022-12-31"
    assert RoleAssignment.objects.get(staff__name="西四").role == Role.PARTY_COMMITTEE_MEMBER
    assert RoleAssignment.objects.get(staff__name="西五").role == Role.SECTION_LEADER
    assert Staff.objects.get(name="东一").phone == "13700000001"
    # 包户: the grid member also covers a household of the small grid.
    cadre = RoleAssignment.objects.get(role=Role.CADRE, staff__town=new_town)
    assert (cadre.staff.name, cadre.household.head_name, cadre.household.small_grid.name) == (
        "东一", "李大户", "东村第2网格")

    again = import_commit(batch=import_upload(
        by=admin, town=new_town, kind="roster",
        upload=wbs.upload("roster.xlsx", wbs.roster_workbook())), by=admin)
    assert (again.rows_added, again.rows_skipped) == (0, 17)
    assert town_summary(town=new_town) == wbs.ROSTER_SUMMARY
    undone = import_undo(batch=batch, by=admin, reason="花名册版本有误")
    assert undone.state == "undone"
    # Every post it gave is void (kept, with the reason): nobody holds a post in the town.
    posts = RoleAssignment.objects.filter(staff__town=new_town)
    assert posts.count() == 16 and not posts.filter(voided_at__isnull=True).exists()
    assert "花名册版本有误" in posts.first().void_reason
    summary = town_summary(town=new_town)
    assert {k: summary[k] for k in ("governance_office_staff", "judicial_office_staff",
                                    "grid_staff", "five_elders_mediators")} == dict.fromkeys(
        ("governance_office_staff", "judicial_office_staff", "grid_staff",
         "five_elders_mediators"), 0)
    assert role_holders(role=Role.COMMITTEE_CHAIR, committee_id=village.pk).count() == 0
    # The places stay (the organisation is never deleted); a corrected roster fills them again.
    assert new_town.large_grids.count() == 2
    fixed = import_commit(batch=import_upload(
        by=admin, town=new_town, kind="roster",
        upload=wbs.upload("roster-2.xlsx", wbs.roster_workbook())), by=admin)
    assert fixed.rows_added == 16 and town_summary(town=new_town) == wbs.ROSTER_SUMMARY


def test_a_roster_import_is_undone_only_while_unused_and_puts_end_dates_back(admin, new_town):
    import datetime

    from disputes.services import dispute_import_historical
    from disputes.states import DisputeState

    first = import_commit(batch=import_upload(
        by=admin, town=new_town, kind="roster",
        upload=wbs.upload("roster.xlsx", wbs.roster_workbook())), by=admin)
    # A later roster ends 西三's post as grid leader.
    import io

    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.append(wbs.ROSTER_HEADERS)
    ws.append([2, "西社区", "", "西三", "男", "", "", "网格长", "", "", "2023.1.1", "2025.6.30"])
    buffer = io.BytesIO()
    wb.save(buffer)
    ending = import_commit(batch=import_upload(
        by=admin, town=new_town, kind="roster", upload=wbs.upload("end.xlsx", buffer.getvalue())),
        by=admin)
    post = RoleAssignment.objects.get(staff__name="西三")
    assert ending.rows_added == 1 and post.ends_on == datetime.date(2025, 6, 30)
    import_undo(batch=ending, by=admin, reason="离任日期有误")
    post.refresh_from_db()
    assert post.ends_on is None and post.voided_at is None

    # A case filed in one of its grids since: the first import is in use.
    grid = new_town.large_grids.get(number=1).small_grids.get(number=1)
    dispute_import_historical(by=admin, small_grid=grid, state=DisputeState.RESOLVED,
                              parties=[{"name": "村民甲"}], source_note="-", title="x",
                              description="x", category="other",
                              found_at=datetime.date(2024, 1, 1))
    with pytest.raises(ValidationError, match="已被使用"):
        import_undo(batch=first, by=admin, reason="x")
    assert RoleAssignment.objects.filter(staff__town=new_town, voided_at__isnull=False).count() == 0


def test_roster_rows_in_error_are_named(admin, new_town):
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.append(wbs.ROSTER_HEADERS)
    ws.append([1, "东村", "", "某甲", "", "", "", "网格员", "", "", "", ""])
    ws.append([1, "东村", "", "某乙", "", "", "", "会计", "", "", "", ""])
    ws.append([1, "东村", "", "某丙", "", "", "", "网格长", "", "老党员", "", ""])
    import io
    buffer = io.BytesIO()
    wb.save(buffer)
    batch = import_upload(by=admin, town=new_town, kind="roster",
                          upload=wbs.upload("r.xlsx", buffer.getvalue()))
    check = import_check(batch=batch)
    assert check.invalid == 3
    messages = ["；".join(r.errors) for r in check.errors]
    assert "该角色必须写明小网格" in messages[0]
    assert "无法导入的角色“会计”" in messages[1]
    assert "只有调解员可以标记" in messages[2]

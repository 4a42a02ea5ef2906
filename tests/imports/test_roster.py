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
    assert check.ok and check.total == 16
    batch = import_commit(batch=batch, by=admin)
    assert batch.rows_added == 16
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

    again = import_commit(batch=import_upload(
        by=admin, town=new_town, kind="roster",
        upload=wbs.upload("roster.xlsx", wbs.roster_workbook())), by=admin)
    assert (again.rows_added, again.rows_skipped) == (0, 16)
    assert town_summary(town=new_town) == wbs.ROSTER_SUMMARY
    with pytest.raises(ValidationError):
        import_undo(batch=again, by=admin, reason="x")


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

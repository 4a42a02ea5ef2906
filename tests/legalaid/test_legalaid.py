"""Legal aid (法律援助法, 2021): the workflow's allowed and refused paths, the hardship rule
and its exemptions (第三十二条、第四十一条、第四十二条), the deadlines (第四十三条), scope (the
legal-service office's staff see what is assigned to it), the ledgers and their exports read
back, consultations and publicity."""

import datetime
import io

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone
from django_fsm import TransitionNotAllowed
from openpyxl import load_workbook

from grid.models import LargeGrid, ServiceUnit, Staff
from legalaid import services
from legalaid.models import Consultation, LegalAidEvent, LegalAidMatter, PublicityEvent
from legalaid.selectors import matter_list_for_user, unit_figures
from tests.disputes.factories import demo_small_grid, make_dispute

pytestmark = pytest.mark.django_db


def office():
    return ServiceUnit.objects.get(kind=ServiceUnit.Kind.LEGAL_SERVICE_OFFICE,
                                   town__code="620823103")


def apply(by, **overrides):
    fields = {"small_grid": demo_small_grid(), "name": "王秀英", "matter_kind": "maintenance",
              "matter": "请求子女给付赡养费", "applied_on": timezone.localdate()}
    fields.update(overrides)
    return services.legal_aid_matter_create(by=by, **fields)


def fresh(matter):
    return LegalAidMatter.objects.get(pk=matter.pk)


def test_the_judicial_office_takes_a_matter_from_application_to_conclusion(judicial, lawyer):
    matter = apply(judicial)
    assert matter.number.startswith("黄寨法援〔") and matter.state == "applied"
    services.legal_aid_check_hardship(matter=matter, by=judicial, hardship="met",
                                      note="民政信息共享查询")
    matter = services.legal_aid_transfer(matter=fresh(matter), by=judicial)
    assert matter.state == "transferred"
    assert matter.decision_due == matter.transferred_on + datetime.timedelta(days=7)
    matter = services.legal_aid_grant(matter=matter, by=judicial, decided_on=timezone.localdate(),
                                      decision_number="崇法援决字〔2026〕1号")
    assert matter.assignment_due == matter.decided_on + datetime.timedelta(days=3)
    matter = services.legal_aid_assign(matter=matter, by=judicial,
                                       provider_kind="legal_service_office", unit=office())
    assert matter.state == "assigned" and matter.unit == office()
    # The office's own staff now see the matter and conclude it.
    assert matter_list_for_user(user=lawyer).filter(pk=matter.pk).exists()
    matter = services.legal_aid_conclude(matter=fresh(matter), by=lawyer,
                                         outcome="代理调解，子女按月给付赡养费。")
    assert matter.state == "concluded" and matter.concluded_on == timezone.localdate()
    assert list(matter.events.values_list("action", flat=True)) == [
        "create", "check_hardship", "transfer", "grant", "assign", "conclude"]


def test_a_matter_is_not_transferred_before_the_hardship_check(judicial):
    matter = apply(judicial)
    with pytest.raises(TransitionNotAllowed, match="经济困难"):
        services.legal_aid_transfer(matter=matter, by=judicial)
    services.legal_aid_check_hardship(matter=matter, by=judicial, hardship="not_met")
    with pytest.raises(TransitionNotAllowed, match="第三十二条"):
        services.legal_aid_transfer(matter=fresh(matter), by=judicial)
    assert fresh(matter).state == "applied"


def test_an_exemption_needs_its_ground(judicial):
    matter = apply(judicial)
    with pytest.raises(ValidationError):
        services.legal_aid_check_hardship(matter=matter, by=judicial, hardship="exempt")
    services.legal_aid_check_hardship(matter=matter, by=judicial, hardship="exempt",
                                      exemption="art32_abuse", note="家庭暴力受害人")
    assert services.legal_aid_transfer(matter=fresh(matter), by=judicial).state == "transferred"


def test_an_assistance_recipient_is_exempt_from_the_check_at_once(judicial):
    matter = apply(judicial, applicant_group="assistance_recipient", priority_reason="低保对象")
    assert matter.hardship == "exempt" and matter.exemption == "art42_assistance"
    assert services.legal_aid_transfer(matter=matter, by=judicial).state == "transferred"


def test_a_priority_group_needs_a_reason(judicial):
    with pytest.raises(ValidationError):
        apply(judicial, applicant_group="vulnerable")


def test_a_refusal_needs_its_reasons_and_a_grant_needs_a_transfer(judicial):
    matter = apply(judicial, applicant_group="assistance_recipient", priority_reason="特困")
    with pytest.raises(TransitionNotAllowed):
        services.legal_aid_grant(matter=matter, by=judicial, decided_on=timezone.localdate())
    matter = services.legal_aid_transfer(matter=fresh(matter), by=judicial)
    with pytest.raises(ValidationError):
        services.legal_aid_refuse(matter=matter, by=judicial, decided_on=timezone.localdate(),
                                  reason="")
    with pytest.raises(ValidationError):
        services.legal_aid_grant(matter=matter, by=judicial,
                                 decided_on=timezone.localdate() + datetime.timedelta(days=1))
    matter = services.legal_aid_refuse(matter=matter, by=judicial,
                                       decided_on=timezone.localdate(), reason="不属于援助范围")
    assert matter.state == "refused" and matter.refusal_reason == "不属于援助范围"


def test_a_lawyer_needs_a_name_and_aid_ends_for_a_ground_of_article_48(judicial):
    matter = apply(judicial, applicant_group="assistance_recipient", priority_reason="特困")
    matter = services.legal_aid_transfer(matter=matter, by=judicial)
    matter = services.legal_aid_grant(matter=matter, by=judicial, decided_on=timezone.localdate())
    with pytest.raises(ValidationError):
        services.legal_aid_assign(matter=matter, by=judicial, provider_kind="lawyer")
    matter = services.legal_aid_assign(matter=matter, by=judicial, provider_kind="lawyer",
                                       provider_name="王律师（崇信正义律师事务所）")
    with pytest.raises(ValidationError):
        services.legal_aid_terminate(matter=matter, by=judicial, ground="bored", note="x")
    matter = services.legal_aid_terminate(matter=matter, by=judicial, ground="own_lawyer",
                                          note="受援人自行委托律师")
    assert matter.state == "terminated"


def test_a_grid_member_may_not_register_or_move_a_matter(gm01, judicial):
    with pytest.raises(PermissionDenied):
        apply(gm01)
    matter = apply(judicial, applicant_group="assistance_recipient", priority_reason="特困")
    with pytest.raises(PermissionDenied):
        services.legal_aid_transfer(matter=matter, by=gm01)
    with pytest.raises(PermissionDenied):
        services.legal_aid_void(matter=matter, by=gm01, reason="误登记")
    assert services.legal_aid_void(matter=fresh(matter), by=judicial,
                                   reason="误登记").state == "voided"


def test_those_on_a_dispute_may_open_a_matter_from_it(gm01):
    dispute = make_dispute(by=gm01)
    matter = apply(gm01, dispute=dispute)
    assert matter.dispute == dispute
    assert LegalAidEvent.objects.filter(matter=matter, action="create").exists()


def test_the_office_staff_see_only_what_is_assigned_to_their_office(judicial, lawyer, client_as):
    mine = apply(judicial, unit=office())
    other = apply(judicial, small_grid=demo_small_grid(2, 1))
    visible = set(matter_list_for_user(user=lawyer).values_list("pk", flat=True))
    assert mine.pk in visible and other.pk not in visible
    client = client_as("lawyer")
    assert client.get(reverse("legalaid:detail", args=[other.pk])).status_code == 404
    assert client.get(reverse("legalaid:detail", args=[mine.pk])).status_code == 200


def test_a_grid_member_sees_the_matters_of_their_grid_only(judicial, gm01):
    mine = apply(judicial)
    other = apply(judicial, small_grid=demo_small_grid(2, 1))
    visible = set(matter_list_for_user(user=gm01).values_list("pk", flat=True))
    assert mine.pk in visible and other.pk not in visible


def _sheet(response):
    assert response.status_code == 200
    content = b"".join(response.streaming_content) if response.streaming else response.content
    return list(load_workbook(io.BytesIO(content)).active.iter_rows(values_only=True))


def test_the_legal_aid_ledger_export_reads_back_with_the_priority_mark(judicial, client_as):
    matter = apply(judicial, applicant_group="vulnerable", priority_reason="独居老人",
                   phone="13812345678")
    rows = _sheet(client_as("judicial").get(reverse("legalaid:export")))
    header = next(r for r in rows if r and r[0] == "序号")
    assert header[1] == "编号" and header[4] == "申请人"
    row = next(r for r in rows if r and r[1] == matter.number)
    assert row[4].startswith("【优先】王*") and "138****5678" in row[4]
    assert "独居老人" not in " ".join(str(c) for c in row)
    assert row[9] == "已登记申请"


def test_the_ledger_page_and_print_list_the_demos_three_matters(client_as, django_assert_max_num_queries):
    client = client_as("judicial")
    with django_assert_max_num_queries(25):
        page = client.get(reverse("legalaid:ledger"))
    assert page.status_code == 200
    for matter in LegalAidMatter.objects.filter(town__code="620823103")[:3]:
        assert matter.number in page.content.decode()
    assert client.get(reverse("legalaid:print")).status_code == 200


def test_a_consultation_is_recorded_and_read_back_from_its_export(leader, lawyer, client_as):
    town = Staff.objects.get(user=lawyer).town
    village = LargeGrid.objects.get(town=town, number=3)
    adviser = Staff.objects.get(user=lawyer)
    with pytest.raises(ValidationError):
        services.consultation_record(by=lawyer, town=town, unit=office(), asker="赵某",
                                     topic="labour", question="工资", advice="仲裁",
                                     advised_by=adviser, referred_onward=True)
    services.consultation_record(by=lawyer, town=town, unit=office(), large_grid=village,
                                 asker="赵某某", asker_group="poor_household", topic="labour",
                                 question="被拖欠工资怎么办", advice="可申请劳动仲裁",
                                 advised_by=adviser, referred_onward=True,
                                 referred_to="县法律援助中心")
    rows = _sheet(client_as("lawyer").get(reverse("legalaid:consultations") + "?format=xlsx"))
    row = next(r for r in rows if r and r[5] == "被拖欠工资怎么办")
    assert row[2] == village.name and row[3].startswith("【优先】赵*")
    assert row[9] == "是" and row[10] == "县法律援助中心"


def test_a_grid_member_may_not_record_a_consultation_in_another_village(gm01):
    staff = Staff.objects.get(user=gm01)
    other = LargeGrid.objects.get(town=staff.town, number=2)
    with pytest.raises(PermissionDenied):
        services.consultation_record(by=gm01, town=staff.town, large_grid=other, asker="甲",
                                     topic="other", question="q", advice="a", advised_by=staff)
    before = Consultation.objects.count()
    mine = LargeGrid.objects.get(town=staff.town, number=1)
    services.consultation_record(by=gm01, town=staff.town, large_grid=mine, asker="甲",
                                 topic="other", question="q", advice="a", advised_by=staff)
    assert Consultation.objects.count() == before + 1


def test_a_publicity_event_is_recorded_with_its_staff_and_read_back(leader, client_as):
    staff = Staff.objects.get(user=leader)
    village = LargeGrid.objects.get(town=staff.town, number=4)
    with pytest.raises(ValidationError):
        services.publicity_record(by=leader, town=staff.town, large_grid=village, place="广场",
                                  topic="民法典宣讲", audience=80, staff=[])
    services.publicity_record(by=leader, town=staff.town, large_grid=village, place="柏树村广场",
                              topic="反诈骗专题宣传", audience=85, staff=[staff])
    rows = _sheet(client_as("leader").get(reverse("legalaid:publicity") + "?format=xlsx"))
    row = next(r for r in rows if r and r[4] == "反诈骗专题宣传")
    assert row[2] == village.name and row[5] == 85 and staff.name in row[6]
    assert PublicityEvent.objects.filter(topic="反诈骗专题宣传").count() == 1


def test_the_consultation_and_publicity_ledgers_keep_their_queries(client_as,
                                                                   django_assert_max_num_queries):
    client = client_as("leader")
    for name in ("legalaid:consultations", "legalaid:publicity", "legalaid:units"):
        with django_assert_max_num_queries(25):
            assert client.get(reverse(name)).status_code == 200


def test_unit_figures_count_the_studios_cases_and_the_offices_matters(judicial):
    matter = apply(judicial, unit=office())
    rows = {r["name"]: r for r in unit_figures(units=ServiceUnit.objects.filter(
        town__code="620823103"))}
    assert rows["黄寨镇法律服务所"]["legal_aid"] >= 1
    assert rows["赵锦铎工作室"]["cases"] >= rows["赵锦铎工作室"]["resolved"] > 0
    assert rows["赵锦铎工作室"]["mean_days"] is not None
    assert matter.unit == office()

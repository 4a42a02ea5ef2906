"""The monthly analysis and the dashboard count legal aid apart from mediation, consultations
and publicity by village, priority service by group and the units' work."""

import pytest
from django.urls import reverse
from django.utils import timezone

from cadence.figures import monthly_figures
from cadence.selectors import dashboard
from grid.models import LargeGrid, Staff
from legalaid import services
from tests.disputes.factories import demo_small_grid, make_dispute, party, respondent

pytestmark = pytest.mark.django_db


def test_the_monthly_analysis_counts_legal_aid_consultations_and_priority_groups(judicial,
                                                                                gm01):
    staff = Staff.objects.get(user=judicial)
    town = staff.town
    today = timezone.localdate()
    before = monthly_figures(town=town, month=today)["services"]
    services.legal_aid_matter_create(by=judicial, small_grid=demo_small_grid(), name="王某",
                                     matter_kind="labour", matter="工资",
                                     applicant_group="poor_household", priority_reason="贫困户")
    village = LargeGrid.objects.get(town=town, number=1)
    services.consultation_record(by=judicial, town=town, large_grid=village, asker="李某",
                                 asker_group="vulnerable", topic="other", question="q",
                                 advice="a", advised_by=staff)
    make_dispute(by=gm01, parties=[party(priority_group="vulnerable", priority_reason="残疾"),
                                   respondent()])
    after = monthly_figures(town=town, month=today)["services"]
    assert after["legal_aid"]["received"] == before["legal_aid"]["received"] + 1
    assert after["legal_aid"]["priority"] == before["legal_aid"]["priority"] + 1
    assert after["consultations"]["n"] == before["consultations"]["n"] + 1
    groups = {r["group"]: r for r in after["priority"]}
    old = {r["group"]: r for r in before["priority"]}
    assert groups["vulnerable"]["disputes"] == old["vulnerable"]["disputes"] + 1
    assert groups["vulnerable"]["consultations"] == old["vulnerable"]["consultations"] + 1
    assert groups["poor_household"]["legal_aid"] == old["poor_household"]["legal_aid"] + 1
    # Mediation's own figures do not count the matter.
    assert {u["name"] for u in after["units"]} == {"黄寨镇法律服务所", "赵锦铎工作室"}


def test_the_dashboard_shows_this_years_legal_aid(leader, client_as):
    panel = dashboard(user=leader)
    assert panel["services"]["legal_aid_year"] >= 0
    page = client_as("leader").get(reverse("home")).content.decode()
    assert 'data-testid="legal-aid-year"' in page


def test_the_monthly_page_shows_the_services_section(leader, client_as):
    from cadence.services.sweeps import monthly_sweep

    town = Staff.objects.get(user=leader).town
    analysis = monthly_sweep(town=town)
    page = client_as("leader").get(reverse("cadence:monthly", args=[analysis.pk]))
    assert page.status_code == 200
    assert 'data-testid="monthly-legal-aid"' in page.content.decode()

"""Full personal data on a case page: masked by default, revealed only to the roles that
need it after a click that states why, each reveal and each export written to the access
log; the leadership's 查看记录 lists them."""

from __future__ import annotations

import pytest
from django.urls import reverse

from core.models import PersonalDataAccess
from tests.disputes.factories import make_dispute, party
from tests.petitions.factories import ID_NUMBER, PHONE, make_petition, petitioner

pytestmark = pytest.mark.django_db


def _reveal(client, url, reason="电话联系当事人"):
    return client.post(url, {"reason": reason})


def test_the_case_page_masks_phones_and_id_numbers(client_as, gm01):
    dispute = make_dispute(by=gm01, parties=[party(phone=PHONE, id_number=ID_NUMBER)])
    page = client_as("office").get(dispute.get_absolute_url()).content.decode()
    assert PHONE not in page and ID_NUMBER not in page
    assert "138****5678" in page


def test_the_handler_reveals_them_and_one_access_row_is_written(client_as, gm01):
    dispute = make_dispute(by=gm01, parties=[party(phone=PHONE, id_number=ID_NUMBER)])
    client = client_as("gm01")
    assert dispute.handler.user == gm01
    page = client.get(dispute.get_absolute_url()).content.decode()
    assert 'data-testid="reveal-form"' in page
    before = PersonalDataAccess.objects.count()
    response = _reveal(client, reverse("disputes:personal_data", args=[dispute.pk]))
    assert response.status_code == 200
    html = response.content.decode()
    assert PHONE in html and ID_NUMBER in html
    assert PersonalDataAccess.objects.count() == before + 1
    access = PersonalDataAccess.objects.latest("id")
    assert (access.user, access.kind, access.record_type, access.record_id, access.reason,
            access.town_id) == (gm01, "view", "disputes.dispute", dispute.pk, "电话联系当事人",
                                dispute.town_id)
    assert "电话联系当事人" in html  # the case's 查看记录


def test_a_reveal_needs_a_reason(client_as, gm01):
    dispute = make_dispute(by=gm01, parties=[party(phone=PHONE)])
    before = PersonalDataAccess.objects.count()
    response = _reveal(client_as("gm01"), reverse("disputes:personal_data", args=[dispute.pk]),
                       reason="")
    assert response.status_code == 400
    assert PHONE not in response.content.decode()
    assert PersonalDataAccess.objects.count() == before


@pytest.mark.parametrize("username", ["office", "county"])
def test_roles_that_do_not_need_them_cannot_reveal(client_as, gm01, username):
    dispute = make_dispute(by=gm01, parties=[party(phone=PHONE)])
    client = client_as(username)
    page = client.get(dispute.get_absolute_url())
    assert 'data-testid="reveal-form"' not in page.content.decode()
    response = _reveal(client, reverse("disputes:personal_data", args=[dispute.pk]))
    assert response.status_code in (403, 404)
    assert PersonalDataAccess.objects.filter(record_id=dispute.pk).count() == 0


@pytest.mark.parametrize("username", ["judicial", "leader"])
def test_the_judicial_office_and_leadership_may_reveal(client_as, gm01, username):
    dispute = make_dispute(by=gm01, parties=[party(phone=PHONE)])
    response = _reveal(client_as(username),
                       reverse("disputes:personal_data", args=[dispute.pk]))
    assert response.status_code == 200
    assert PHONE in response.content.decode()


def test_a_petition_reveal_is_recorded_and_an_accusation_stays_closed(client_as, gm01):
    claim = make_petition(by=gm01, petitioners=[petitioner()])
    response = _reveal(client_as("petition"), reverse("petitions:personal_data", args=[claim.pk]))
    assert response.status_code == 200 and PHONE in response.content.decode()
    assert PersonalDataAccess.objects.filter(record_type="petitions.petition",
                                             record_id=claim.pk).count() == 1
    accusation = make_petition(by=gm01, kind="accusation", petitioners=[petitioner()])
    response = _reveal(client_as("gm01"),
                       reverse("petitions:personal_data", args=[accusation.pk]))
    assert response.status_code == 403


def test_exports_are_logged(client_as, leader):
    client = client_as("leader")
    before = PersonalDataAccess.objects.filter(kind="export").count()
    assert client.get(reverse("disputes:ledger_export")).status_code == 200
    assert client.get(reverse("petitions:ledger_export")).status_code == 200
    rows = PersonalDataAccess.objects.filter(kind="export").order_by("id")[before:]
    assert [r.record_type for r in rows] == ["disputes.dispute", "petitions.petition"]
    assert all(r.user == leader and r.town_id for r in rows)


def test_the_leadership_access_log_lists_the_towns_reveals(client_as, gm01):
    dispute = make_dispute(by=gm01, parties=[party(phone=PHONE)])
    _reveal(client_as("gm01"), reverse("disputes:personal_data", args=[dispute.pk]),
            reason="核对身份号码")
    page = client_as("leader").get(reverse("grid:personal_data_access"))
    assert page.status_code == 200
    assert "核对身份号码" in page.content.decode()
    own = client_as("gm02").get(reverse("grid:personal_data_access")).content.decode()
    assert "核对身份号码" not in own


def test_staff_phones_are_masked(client_as, gm01):
    from grid.models import Staff

    person = Staff.objects.get(user__username="gl01")
    person.phone = "13912345678"
    person.save()
    page = client_as("gm01").get(reverse("grid:staff_detail", args=[person.pk])).content.decode()
    assert "13912345678" not in page and "139****5678" in page

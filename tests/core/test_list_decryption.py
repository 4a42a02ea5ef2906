"""A list decrypts nothing: its rows name the staff handling them and show the parties' kept
masks, so with every phone filled in, a page of the dispute ledger, the disputes API list and
the petitions API list call no decryption at all (each costs about 20 µs)."""

import pytest

from core import crypto
from disputes.models import Dispute
from grid.models import Staff
from petitions.models import Petition

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("path", ["/disputes/", "/api/v1/disputes/", "/api/v1/petitions/"])
def test_a_list_with_every_staff_phone_filled_decrypts_nothing(client_as, monkeypatch, path):
    for staff in Staff.objects.all():
        staff.phone = "13800138000"
        staff.save(update_fields=["phone", "phone_hash"])
    assert Dispute.objects.filter(handler__isnull=False).exists()
    assert Petition.objects.filter(handler__isnull=False).exists()
    calls = []
    real = crypto.decrypt
    monkeypatch.setattr(crypto, "decrypt", lambda value: calls.append(value) or real(value))
    client = client_as("leader")
    response = client.get(path)
    assert response.status_code == 200
    assert response.content.count(b"13800138000") == 0
    assert calls == []

"""The admin, scoped like the rest: with admin access granted to town staff (as deployments
do), a grid member sees no token and no account, only the cases of the own grids, no
accuser's identity, only in-scope choices and filters; ``/admin/r/`` answers 404 alike for a
missing object and one outside the scope."""

from __future__ import annotations

import pytest
from django.contrib import admin
from django.contrib.auth.models import Permission
from django.contrib.contenttypes.models import ContentType
from django.test import Client
from django.urls import reverse
from rest_framework.authtoken.models import Token

from core.admin import ScopedAdminBase, SuperuserOnly
from disputes.models import Dispute
from grid.admin import ScopedInline, ScopedStackedInline
from grid.models import Staff
from grid.scope import scope_for_user
from supervision.models import RiskAssessment
from tests.disputes.factories import demo_small_grid, make_dispute
from tests.petitions.factories import make_petition, petitioner

pytestmark = pytest.mark.django_db


def staff_admin(user) -> Client:
    """A client for ``user`` made admin staff with every model permission."""
    user.is_staff = True
    user.save(update_fields=["is_staff"])
    user.user_permissions.set(Permission.objects.all())
    client = Client()
    client.force_login(user)
    return client


def test_every_admin_derives_from_the_scoped_base_or_is_for_administrators_only():
    for model, model_admin in admin.site._registry.items():
        assert isinstance(model_admin, ScopedAdminBase | SuperuserOnly), model
        for inline in model_admin.inlines:
            assert issubclass(inline, ScopedInline | ScopedStackedInline), (model, inline)


def test_a_staff_grid_member_sees_no_token_and_no_account(gm01, admin_user_token):
    client = staff_admin(gm01)
    index = client.get(reverse("admin:index"))
    assert index.status_code == 200
    assert admin_user_token.key not in index.content.decode()
    for name in ("admin:authtoken_tokenproxy_changelist", "admin:auth_user_changelist",
                 "admin:auth_group_changelist"):
        assert client.get(reverse(name)).status_code == 403, name
    token_page = client.get(reverse("admin:authtoken_tokenproxy_change",
                                    args=[admin_user_token.user_id]))
    assert token_page.status_code in (302, 403, 404)
    assert admin_user_token.key not in token_page.content.decode()


@pytest.fixture
def admin_user_token(admin):
    return Token.objects.create(user=admin)


def test_the_superuser_still_manages_tokens_and_accounts(client_as, admin_user_token):
    client = client_as("admin")
    page = client.get(reverse("admin:authtoken_tokenproxy_changelist"))
    assert page.status_code == 200
    assert client.get(reverse("admin:auth_user_changelist")).status_code == 200


def test_a_staff_grid_member_sees_only_the_cases_of_the_own_grids(gm01, gm02):
    own = make_dispute(by=gm01)
    other = make_dispute(by=gm02, small_grid=demo_small_grid(2, 1))
    client = staff_admin(gm01)
    page = client.get(reverse("admin:disputes_dispute_changelist"))
    listed = set(page.context["cl"].result_list.values_list("pk", flat=True))
    assert own.pk in listed and other.pk not in listed
    assert listed == set(Dispute.objects.filter(
        small_grid_id__in=scope_for_user(gm01).small_grid_ids).values_list("pk", flat=True))
    assert client.get(reverse("admin:disputes_dispute_change", args=[other.pk])
                      ).status_code in (302, 404)
    # The list filters offer only the large grids and towns of the rows in scope.
    html = page.content.decode()
    assert demo_small_grid(2, 1).large_grid.name not in html


def test_view_on_site_answers_404_alike_for_missing_and_out_of_scope(gm01, gm02):
    other = make_dispute(by=gm02, small_grid=demo_small_grid(2, 1))
    own = make_dispute(by=gm01)
    client = staff_admin(gm01)
    ct = ContentType.objects.get_for_model(Dispute).pk
    assert client.get(f"/admin/r/{ct}/{own.pk}/").status_code == 302
    assert client.get(f"/admin/r/{ct}/{other.pk}/").status_code == 404
    assert client.get(f"/admin/r/{ct}/987654321/").status_code == 404


def test_a_confidential_accusers_identity_never_shows_to_a_grid_member(gm01, petition):
    accusation = make_petition(by=gm01, kind="accusation",
                               petitioners=[petitioner(name="李秘举", phone="13900001111")])
    page = staff_admin(gm01).get(reverse("admin:petitions_petition_change",
                                         args=[accusation.pk]))
    assert page.status_code == 200
    html = page.content.decode()
    assert "李秘举" not in html and "13900001111" not in html
    # The petition office sees who filed it.
    office = staff_admin(petition).get(reverse("admin:petitions_petition_change",
                                               args=[accusation.pk]))
    assert office.status_code == 200
    assert "李秘举" in office.content.decode()


def test_foreign_key_choices_are_in_scope(gm01):
    client = staff_admin(gm01)
    page = client.get(reverse("admin:cadence_dailyscreeningreport_add"))
    assert page.status_code == 200
    form = page.context["adminform"].form
    grids = set(form.fields["small_grid"].queryset.values_list("pk", flat=True))
    assert grids == set(scope_for_user(gm01).small_grid_ids)
    reporters = set(form.fields["reporter"].queryset.values_list("pk", flat=True))
    visible = set(Staff.objects.filter(pk__in=reporters).values_list("pk", flat=True))
    assert reporters == visible
    assert reporters < set(Staff.objects.values_list("pk", flat=True))


def test_risk_assessments_show_to_leadership_only(petition, leader):
    client = staff_admin(petition)
    page = client.get(reverse("admin:supervision_riskassessment_changelist"))
    assert page.status_code == 200
    assert page.context["cl"].result_count == 0
    assert RiskAssessment.objects.exists()
    leader_page = staff_admin(leader).get(reverse("admin:supervision_riskassessment_changelist"))
    assert leader_page.context["cl"].result_count == RiskAssessment.objects.filter(
        town_id__in=scope_for_user(leader).held["town_leadership"]).count() > 0

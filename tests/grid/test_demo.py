import pytest
from django.core.management import call_command

from grid.models import RoleAssignment, Staff, Town
from grid.selectors import town_summary

pytestmark = pytest.mark.django_db

EXPECTED = {
    "large_grids": 11, "small_grids": 60, "committees": 12, "centres": 2, "service_windows": 5,
    "rooms": 6, "governance_office_staff": 5, "judicial_office_staff": 2, "grid_staff": 56,
    "five_elders_mediators": 32,
}


def test_demo_town_matches_the_source():
    town = Town.objects.get(name="黄寨镇")
    assert town_summary(town=town) == EXPECTED


def test_load_demo_twice_changes_no_count():
    from django.apps import apps

    def counts():
        return {m._meta.label: m.objects.count() for m in apps.get_models()
                if m._meta.app_label in {"grid", "auth"}}

    before = counts()
    call_command("load_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert counts() == before


def test_demo_logins_exist_with_their_roles(user_factory):
    roles = {
        "leader": "town_leadership", "chair": "committee_chair", "office": "governance_office",
        "judicial": "judicial_office", "petition": "petition_office", "gl01": "grid_leader",
        "gl02": "grid_leader", "gm01": "grid_member", "gm02": "grid_member", "med01": "mediator",
        "med02": "mediator",
    }
    for username, role in roles.items():
        user = user_factory(username)
        assert user.check_password("demo12345")
        staff = Staff.objects.get(user=user)
        assert RoleAssignment.objects.active().filter(staff=staff, role=role).exists(), username
    assert user_factory("admin").is_superuser


def test_demo_grid_members_hold_the_first_small_grid_of_their_large_grid(user_factory):
    for username, number in [("gm01", 1), ("gm02", 2)]:
        a = RoleAssignment.objects.get(staff__user=user_factory(username), role="grid_member")
        assert a.small_grid.number == 1
        assert a.small_grid.large_grid.number == number

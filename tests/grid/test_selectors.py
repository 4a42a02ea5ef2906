"""Who holds which post, the acting user's staff row, and the town's staff: asked of
``grid.selectors`` by routing, alerts, tracing and the petition and supervision services."""

import datetime

import pytest
from django.contrib.auth.models import AnonymousUser
from django.utils import timezone

from grid import selectors, services
from grid.models import Role, RoleAssignment, Staff

from .factories import staff_with_role

pytestmark = pytest.mark.django_db


# --- The acting user's staff row ---------------------------------------------------------------

def test_staff_for_user_is_the_users_own_staff_row(demo, user_factory):
    assert selectors.staff_for_user(user=user_factory("gm01")) == demo.staff["gm01"]
    assert selectors.staff_for_user(user=user_factory("county")) == demo.staff["county"]


def test_staff_for_user_is_none_for_a_login_without_one_and_for_anonymous(user_factory):
    assert selectors.staff_for_user(user=user_factory("admin")) is None
    assert selectors.staff_for_user(user=AnonymousUser()) is None
    assert selectors.staff_for_user(user=None) is None


# --- Who holds role R over X -------------------------------------------------------------------

def test_the_holder_of_a_post_over_an_object(demo):
    assert selectors.role_holder(role=Role.GRID_LEADER, large_grid_id=demo.lg1.pk) == (
        demo.staff["gl01"])
    assert selectors.role_holder(role=Role.GRID_MEMBER, small_grid_id=demo.sg1[0].pk) == (
        demo.staff["gm01"])
    assert selectors.role_holder(
        role=Role.COMMITTEE_CHAIR,
        committee_id=selectors.town_committee_ids(town_id=demo.town.pk)) == demo.staff["chair"]


def test_a_post_whose_holder_left_is_vacant(demo):
    assignment = RoleAssignment.objects.active().get(staff=demo.staff["gl02"],
                                                     role=Role.GRID_LEADER)
    services.role_end(assignment=assignment, ends_on=timezone.localdate() - datetime.timedelta(
        days=1))
    assert selectors.role_holder(role=Role.GRID_LEADER, large_grid_id=demo.lg2.pk) is None


def test_role_holders_takes_several_roles_and_several_objects(demo):
    rows = selectors.role_holders(role=(Role.PARTY_COMMITTEE_MEMBER, Role.SECTION_LEADER),
                                  large_grid_id=[demo.lg1.pk, demo.lg2.pk])
    assert {(a.role, a.large_grid_id) for a in rows} == {
        (role, lg.pk) for role in (Role.PARTY_COMMITTEE_MEMBER, Role.SECTION_LEADER)
        for lg in (demo.lg1, demo.lg2)}


def test_leaders_in_charge_name_the_party_member_then_the_section_leader(demo):
    """三包: 黄寨村 is in the leader's area (包片) and has its own section-level leader (包村)."""
    assert selectors.leaders_in_charge(large_grid_ids=[demo.lg1.pk]) == {
        demo.lg1.pk: [demo.staff["leader"].name,
                      Staff.objects.get(title=f"科级领导（包{demo.lg1.name}）").name]}


def test_leaders_in_charge_of_any_set_of_grids_are_one_kept_entry(demo,
                                                                   django_assert_num_queries):
    """Each page asks for its own rows' large grids: whatever the set, the names are those
    role_holders gives, and after the first page only the organisation stamp is read."""
    from grid.models import LEADER_IN_CHARGE_ROLES, LargeGrid

    grids = list(LargeGrid.objects.filter(town=demo.town).values_list("id", flat=True))
    expected = {}
    for a in selectors.role_holders(role=LEADER_IN_CHARGE_ROLES, large_grid_id=grids
                                    ).order_by("role", "staff__name"):
        expected.setdefault(a.large_grid_id, []).append(a.staff.name)
    assert selectors.leaders_in_charge(large_grid_ids=grids) == expected != {}
    for subset in (grids[:3], grids[2:7], grids[-1:], []):
        with django_assert_num_queries(1):  # the stamp
            assert selectors.leaders_in_charge(large_grid_ids=subset) == {
                g: expected[g] for g in subset if g in expected}


def test_role_holders_needs_exactly_one_object(demo):
    with pytest.raises(TypeError):
        selectors.role_holders(role=Role.GRID_LEADER)
    with pytest.raises(TypeError):
        selectors.role_holders(role=Role.GRID_LEADER, town_id=demo.town.pk,
                               large_grid_id=demo.lg1.pk)


def test_leadership_users_are_the_towns_active_leadership_logins(demo, user_factory):
    users = set(selectors.leadership_users(town_id=demo.town.pk))
    assert user_factory("leader") in users
    assert not {user_factory(u) for u in ("office", "chair", "gl01", "county")} & users
    leader = user_factory("leader")
    leader.is_active = False
    leader.save(update_fields=["is_active"])
    assert leader not in set(selectors.leadership_users(town_id=demo.town.pk))


# --- Staff of this town ------------------------------------------------------------------------

def test_staff_of_town_are_the_people_whose_staff_row_belongs_to_it(demo, other_town):
    town_staff = set(selectors.staff_of_town(town_id=demo.town.pk))
    assert {demo.staff[u] for u in ("leader", "gm02", "med01", "office")} <= town_staff
    assert demo.staff["county"] not in town_staff
    assert other_town.staff not in town_staff


def test_town_cadres_hold_a_town_level_post_or_sit_on_the_town_committee(demo):
    cadres = set(selectors.town_cadres(town_id=demo.town.pk))
    assert {demo.staff[u] for u in ("leader", "office", "petition", "judicial", "chair")} <= (
        cadres)
    # Grid staff and a village committee's mediator are not town cadres.
    assert not {demo.staff[u] for u in ("gm01", "gl01", "med01", "county")} & cadres


def test_a_town_cadre_whose_post_ended_is_no_longer_one(demo):
    newcomer = staff_with_role(Role.JUDICIAL_OFFICE, demo.town)
    assert newcomer.staff in set(selectors.town_cadres(town_id=demo.town.pk))
    assignment = RoleAssignment.objects.get(staff=newcomer.staff)
    services.role_end(assignment=assignment, ends_on=assignment.starts_on)
    assert newcomer.staff not in set(selectors.town_cadres(town_id=demo.town.pk))


# --- Who may mediate a case (the mediator pickers) ---------------------------------------------

def _committee_members(committees, roles) -> set:
    return set(Staff.objects.filter(
        assignments__role__in=roles, assignments__committee__in=committees,
        assignments__voided_at__isnull=True).distinct())


def test_mediator_candidates_are_the_village_and_town_committees_mediators(demo):
    offered = set(selectors.mediator_candidates(town_id=demo.town.pk,
                                                large_grid_id=demo.lg1.pk))
    assert offered == _committee_members([demo.committee1, demo.town_committee],
                                         [Role.MEDIATOR])
    assert demo.staff["med01"] in offered
    # Another village's mediator, grid staff, the chair and the offices are not.
    assert not {demo.staff[u] for u in ("med02", "gm01", "gl01", "chair", "office")} & offered


def test_with_chairs_the_committees_chairs_may_also_sign(demo):
    signers = set(selectors.mediator_candidates(town_id=demo.town.pk,
                                                large_grid_id=demo.lg1.pk, with_chairs=True))
    assert demo.staff["chair"] in signers and demo.staff["med01"] in signers
    assert demo.staff["med02"] not in signers


def test_a_mediator_whose_post_ended_is_no_longer_offered(demo):
    newcomer = staff_with_role(Role.MEDIATOR, demo.committee1)
    assert newcomer.staff in set(selectors.mediator_candidates(
        town_id=demo.town.pk, large_grid_id=demo.lg1.pk))
    assignment = RoleAssignment.objects.get(staff=newcomer.staff)
    services.role_end(assignment=assignment, ends_on=assignment.starts_on)
    assert newcomer.staff not in set(selectors.mediator_candidates(
        town_id=demo.town.pk, large_grid_id=demo.lg1.pk))

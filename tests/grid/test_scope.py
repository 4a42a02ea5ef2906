"""The one scope rule (``grid.scope``): what each role may see and act in."""

import datetime

import pytest
from django.utils import timezone

from grid import scope as scope_rule
from grid import services
from grid.models import (
    FiveElderKind,
    Household,
    LargeGrid,
    MediationCommittee,
    Role,
    RoleAssignment,
    SmallGrid,
    Staff,
    Town,
)
from grid.scope import scope_for_user

from .factories import staff_with_role, town_create, user_create

pytestmark = pytest.mark.django_db

ALL_LARGE_GRIDS = 11
ALL_SMALL_GRIDS = 60
ALL_COMMITTEES = 12


def ids(objs):
    return frozenset(o.pk for o in objs)


def small_grids_of(*large_grids):
    return ids(SmallGrid.objects.filter(large_grid__in=large_grids))


def assert_whole_town(scope, demo):
    assert scope.town_ids == {demo.town.pk}
    assert scope.full_town_ids == {demo.town.pk}
    assert scope.covered_large_grid_ids == ids(demo.large_grids.values())
    assert scope.large_grid_ids == ids(demo.large_grids.values())
    assert len(scope.small_grid_ids) == ALL_SMALL_GRIDS
    assert len(scope.committee_ids) == ALL_COMMITTEES
    assert scope.covers_town(demo.town.pk)
    assert scope.covers_large_grid(demo.lg2.pk)


def assert_sees_nothing(user):
    scope = scope_for_user(user)
    assert scope.is_empty
    assert not scope.is_global
    assert not scope.town_ids and not scope.large_grid_ids
    assert not scope.small_grid_ids and not scope.committee_ids
    assert not scope_rule.filter_towns(Town.objects.all(), user).exists()
    assert not scope_rule.filter_large_grids(LargeGrid.objects.all(), user).exists()
    assert not scope_rule.filter_small_grids(SmallGrid.objects.all(), user).exists()
    assert not scope_rule.filter_committees(MediationCommittee.objects.all(), user).exists()
    assert not scope_rule.filter_assignments(RoleAssignment.objects.all(), user).exists()


# --- Small-grid roles ------------------------------------------------------------------------

def test_grid_member_covers_only_own_small_grid(gm01, demo):
    scope = scope_for_user(gm01)
    assert scope.roles == {Role.GRID_MEMBER}
    assert scope.small_grid_ids == {demo.sg1[0].pk}
    assert scope.covers_small_grid(demo.sg1[0].pk)
    assert not scope.covers_small_grid(demo.sg1[1].pk)
    assert not scope.covers_small_grid(demo.sg2[0].pk)


def test_grid_member_sees_town_parent_large_grid_and_committees_but_covers_neither(gm01, demo):
    scope = scope_for_user(gm01)
    assert scope.town_ids == {demo.town.pk}
    assert scope.full_town_ids == frozenset()
    assert scope.large_grid_ids == {demo.lg1.pk}
    assert scope.covered_large_grid_ids == frozenset()
    assert scope.committee_ids == {demo.committee1.pk, demo.town_committee.pk}
    assert not scope.covers_town(demo.town.pk)
    assert not scope.covers_large_grid(demo.lg1.pk)


def test_grid_member_cannot_see_other_large_grid(gm01, demo):
    scope = scope_for_user(gm01)
    assert demo.lg2.pk not in scope.large_grid_ids
    assert not ids(demo.sg2) & scope.small_grid_ids
    assert demo.committee2.pk not in scope.committee_ids
    assert not scope_rule.filter_large_grids(LargeGrid.objects.filter(pk=demo.lg2.pk),
                                             gm01).exists()


def test_grid_member_of_large_grid_2_is_the_mirror_image(gm02, demo):
    scope = scope_for_user(gm02)
    assert scope.small_grid_ids == {demo.sg2[0].pk}
    assert scope.large_grid_ids == {demo.lg2.pk}
    assert scope.committee_ids == {demo.committee2.pk, demo.town_committee.pk}


def test_informant_covers_only_own_small_grid(demo):
    small_grid = demo.sg1[3]
    user = staff_with_role(Role.INFORMANT, small_grid)
    scope = scope_for_user(user)
    assert scope.roles == {Role.INFORMANT}
    assert scope.small_grid_ids == {small_grid.pk}
    assert scope.large_grid_ids == {demo.lg1.pk}
    assert scope.covered_large_grid_ids == frozenset()
    assert scope.holds(Role.INFORMANT, small_grid.pk)


def test_demo_informant_covers_last_small_grid_of_its_village(demo):
    informant = Staff.objects.get(title="刘家沟村信息员")
    lg7 = demo.large_grids[7]
    assignment = informant.assignments.get(role=Role.INFORMANT)
    assert assignment.small_grid == lg7.small_grids.order_by("number").last()


def test_grid_member_with_two_small_grids_covers_both(demo):
    user = staff_with_role(Role.GRID_MEMBER, demo.sg1[4])
    services.role_assign(staff=user.staff, role=Role.GRID_MEMBER, scope_object=demo.sg2[5])
    scope_rule.forget_scope(user)
    scope = scope_for_user(user)
    assert scope.small_grid_ids == {demo.sg1[4].pk, demo.sg2[5].pk}
    assert scope.large_grid_ids == {demo.lg1.pk, demo.lg2.pk}
    assert scope.covered_large_grid_ids == frozenset()


# --- Large-grid roles ------------------------------------------------------------------------

def test_grid_leader_covers_own_large_grid_and_all_its_small_grids(gl01, demo):
    scope = scope_for_user(gl01)
    assert scope.roles == {Role.GRID_LEADER, Role.COMMITTEE_CHAIR}
    assert scope.covered_large_grid_ids == {demo.lg1.pk}
    assert scope.large_grid_ids == {demo.lg1.pk}
    assert scope.small_grid_ids == small_grids_of(demo.lg1)
    assert scope.committee_ids == {demo.committee1.pk, demo.town_committee.pk}
    assert scope.town_ids == {demo.town.pk}
    assert not scope.full_town_ids
    assert scope.covers_large_grid(demo.lg1.pk)
    assert not scope.covers_large_grid(demo.lg2.pk)
    assert scope.holds(Role.GRID_LEADER, demo.lg1.pk)
    assert scope.holds(Role.COMMITTEE_CHAIR, demo.committee1.pk)
    assert not scope.holds(Role.GRID_LEADER, demo.lg2.pk)


def test_village_mediator_covers_the_village_of_its_committee(med01, demo):
    scope = scope_for_user(med01)
    assert scope.roles == {Role.MEDIATOR}
    assert scope.covered_large_grid_ids == {demo.lg1.pk}
    assert scope.small_grid_ids == small_grids_of(demo.lg1)
    assert scope.committee_ids == {demo.committee1.pk, demo.town_committee.pk}
    assert not scope.full_town_ids
    assert scope.holds(Role.MEDIATOR, demo.committee1.pk)


def test_village_mediator_of_large_grid_2_cannot_see_large_grid_1(med02, demo):
    scope = scope_for_user(med02)
    assert scope.covered_large_grid_ids == {demo.lg2.pk}
    assert demo.lg1.pk not in scope.large_grid_ids
    assert not ids(demo.sg1) & scope.small_grid_ids


def test_party_committee_member_covers_the_large_grids_of_the_area(demo):
    area = [demo.large_grids[n] for n in (4, 5, 6)]
    user = staff_with_role(Role.PARTY_COMMITTEE_MEMBER, area[0])
    for lg in area[1:]:
        services.role_assign(staff=user.staff, role=Role.PARTY_COMMITTEE_MEMBER, scope_object=lg)
    scope_rule.forget_scope(user)
    scope = scope_for_user(user)
    assert scope.covered_large_grid_ids == ids(area)
    assert scope.small_grid_ids == small_grids_of(*area)
    assert scope.committee_ids == ({c.pk for c in MediationCommittee.objects.filter(
        large_grid__in=area)} | {demo.town_committee.pk})
    assert not scope.full_town_ids
    assert demo.lg1.pk not in scope.large_grid_ids


def test_demo_party_committee_member_covers_three_villages(demo):
    person = Staff.objects.get(title="镇党委委员2")
    user = user_create()
    person.user = user
    person.save(update_fields=["user"])
    scope = scope_for_user(user)
    assert scope.covered_large_grid_ids == ids(demo.large_grids[n] for n in (4, 5, 6))


def test_section_leader_covers_one_village(demo):
    user = staff_with_role(Role.SECTION_LEADER, demo.lg2)
    scope = scope_for_user(user)
    assert scope.roles == {Role.SECTION_LEADER}
    assert scope.covered_large_grid_ids == {demo.lg2.pk}
    assert scope.small_grid_ids == small_grids_of(demo.lg2)
    assert demo.lg1.pk not in scope.large_grid_ids


def test_cadre_covers_the_small_grids_of_the_households(demo):
    households = list(Household.objects.filter(small_grid__in=demo.sg1[:2]))
    assert len(households) == 4
    user = staff_with_role(Role.CADRE, households[0])
    for household in households[1:]:
        services.role_assign(staff=user.staff, role=Role.CADRE, scope_object=household)
    scope_rule.forget_scope(user)
    scope = scope_for_user(user)
    assert scope.roles == {Role.CADRE}
    assert scope.small_grid_ids == {demo.sg1[0].pk, demo.sg1[1].pk}
    assert scope.large_grid_ids == {demo.lg1.pk}
    assert scope.covered_large_grid_ids == frozenset()
    assert scope.holds(Role.CADRE, households[0].pk)


# --- Town-wide roles -------------------------------------------------------------------------

def test_town_committee_chair_sees_the_whole_town(chair, demo):
    scope = scope_for_user(chair)
    assert scope.roles == {Role.COMMITTEE_CHAIR}
    assert_whole_town(scope, demo)
    assert scope.holds(Role.COMMITTEE_CHAIR, demo.town_committee.pk)


def test_town_committee_mediator_sees_the_whole_town(demo):
    user = staff_with_role(Role.MEDIATOR, demo.town_committee, is_five_elders=True,
                           elder_kind=FiveElderKind.TEACHER)
    assert_whole_town(scope_for_user(user), demo)


@pytest.mark.parametrize("username, role", [
    ("office", Role.GOVERNANCE_OFFICE),
    ("judicial", Role.JUDICIAL_OFFICE),
    ("petition", Role.PETITION_OFFICE),
])
def test_town_office_sees_the_whole_town(user_factory, demo, username, role):
    scope = scope_for_user(user_factory(username))
    assert scope.roles == {role}
    assert_whole_town(scope, demo)


def test_police_liaison_sees_the_whole_town(demo):
    user = staff_with_role(Role.POLICE_LIAISON, demo.town)
    assert_whole_town(scope_for_user(user), demo)


def test_town_leadership_sees_the_whole_town(leader, demo):
    scope = scope_for_user(leader)
    assert Role.TOWN_LEADERSHIP in scope.roles
    assert_whole_town(scope, demo)
    assert scope_rule.filter_large_grids(LargeGrid.objects.all(), leader).count() == 11
    assert scope_rule.filter_small_grids(SmallGrid.objects.all(), leader).count() == 60
    assert scope_rule.filter_committees(MediationCommittee.objects.all(), leader).count() == 12


def test_town_leadership_cannot_see_another_town(leader, demo, other_town):
    scope = scope_for_user(leader)
    assert other_town.town.pk not in scope.town_ids
    assert other_town.large_grid.pk not in scope.large_grid_ids
    assert other_town.committee.pk not in scope.committee_ids
    assert not scope_rule.filter_towns(Town.objects.filter(pk=other_town.town.pk),
                                       leader).exists()


def test_grid_member_of_another_town_cannot_see_the_demo_town(demo, other_town):
    scope = scope_for_user(other_town.user)
    assert scope.town_ids == {other_town.town.pk}
    assert scope.committee_ids == {other_town.committee.pk, other_town.town_committee.pk}
    assert demo.town_committee.pk not in scope.committee_ids


# --- County, superuser ------------------------------------------------------------------------

def test_county_user_sees_every_town_of_the_county(county, demo, other_town):
    scope = scope_for_user(county)
    assert scope.roles == {Role.COUNTY_USER}
    assert scope.full_town_ids == {demo.town.pk, other_town.town.pk}
    assert scope.town_ids == {demo.town.pk, other_town.town.pk}
    assert other_town.large_grid.pk in scope.covered_large_grid_ids
    assert len(scope.small_grid_ids) == ALL_SMALL_GRIDS + 1
    assert len(scope.committee_ids) == ALL_COMMITTEES + 2


def test_county_user_cannot_see_a_town_of_another_county(county, demo):
    from grid.models import County

    elsewhere = town_create(county=County.objects.create(name="华亭市", code="620881"),
                            name="安口镇", code="620881101")
    scope = scope_for_user(county)
    assert elsewhere.town.pk not in scope.town_ids
    assert scope.town_ids == {demo.town.pk}


def test_superuser_sees_everything(admin, demo, other_town):
    scope = scope_for_user(admin)
    assert scope.is_global
    assert scope.covers_town(other_town.town.pk)
    assert scope.covers_small_grid(demo.sg2[0].pk)
    assert scope_rule.filter_towns(Town.objects.all(), admin).count() == 2
    assert scope_rule.filter_small_grids(SmallGrid.objects.all(), admin).count() == 61


# --- Covering any whole town ----------------------------------------------------------------

@pytest.mark.parametrize("username", ["leader", "chair", "office", "judicial", "petition",
                                      "county", "admin"])
def test_town_wide_roles_county_users_and_administrators_cover_a_whole_town(
        user_factory, username):
    assert scope_for_user(user_factory(username)).covers_any_whole_town


@pytest.mark.parametrize("username", ["gm01", "gl01", "med01"])
def test_grid_staff_and_village_mediators_cover_no_whole_town(user_factory, username):
    scope = scope_for_user(user_factory(username))
    assert scope.small_grid_ids and not scope.covers_any_whole_town


def test_the_town_committees_mediator_covers_the_whole_town(demo):
    user = staff_with_role(Role.MEDIATOR, demo.town_committee)
    assert scope_for_user(user).covers_any_whole_town


def test_nobody_without_assignments_covers_a_town(demo):
    assert not scope_rule.EMPTY_SCOPE.covers_any_whole_town
    assert not scope_for_user(user_create()).covers_any_whole_town


# --- Nobody ----------------------------------------------------------------------------------

def test_anonymous_user_sees_nothing():
    from django.contrib.auth.models import AnonymousUser

    assert scope_for_user(AnonymousUser()).is_empty
    assert scope_for_user(None).is_empty


def test_user_without_staff_record_sees_nothing(demo):
    assert_sees_nothing(user_create())


def test_staff_without_assignment_sees_nothing_but_keeps_staff_id(demo):
    user = user_create()
    person = Staff.objects.create(user=user, town=demo.town, name="无任职人员")
    scope = scope_for_user(user)
    assert scope.staff_id == person.pk
    assert_sees_nothing(user)
    assert list(scope_rule.filter_staff(Staff.objects.all(), user)) == [person]


def test_user_whose_assignment_has_ended_sees_nothing(demo):
    user = staff_with_role(Role.GRID_LEADER, demo.lg1)
    assert scope_for_user(user).covers_large_grid(demo.lg1.pk)
    assignment = user.staff.assignments.get()
    services.role_end(assignment=assignment,
                      ends_on=timezone.localdate() - datetime.timedelta(days=1))
    user.refresh_from_db()
    scope_rule.forget_scope(user)
    assert_sees_nothing(user)
    assert RoleAssignment.objects.filter(pk=assignment.pk).exists(), "history is kept"


def test_assignment_ending_today_is_still_in_force(demo):
    user = staff_with_role(Role.GRID_LEADER, demo.lg1)
    services.role_end(assignment=user.staff.assignments.get(), ends_on=timezone.localdate())
    scope_rule.forget_scope(user)
    assert scope_for_user(user).covers_large_grid(demo.lg1.pk)


def test_assignment_starting_tomorrow_is_not_yet_in_force(demo):
    user = staff_with_role(Role.GRID_LEADER, demo.lg1,
                           starts_on=timezone.localdate() + datetime.timedelta(days=1))
    assert_sees_nothing(user)


def test_inactive_user_sees_nothing(gm01):
    gm01.is_active = False
    assert scope_for_user(gm01).is_empty


def test_ended_role_no_longer_counts_while_others_remain(gl01, demo):
    leader_assignment = gl01.staff.assignments.get(role=Role.GRID_LEADER)
    services.role_end(assignment=leader_assignment,
                      ends_on=timezone.localdate() - datetime.timedelta(days=1))
    scope_rule.forget_scope(gl01)
    scope = scope_for_user(gl01)
    assert scope.roles == {Role.COMMITTEE_CHAIR}
    # Still chair of the village committee, so still covers the village.
    assert scope.covered_large_grid_ids == {demo.lg1.pk}


# --- The rule's plumbing ---------------------------------------------------------------------

def test_scope_is_computed_once_per_user_object(gm01, django_assert_num_queries):
    scope_rule.forget_scope(gm01)
    scope_for_user(gm01)
    with django_assert_num_queries(0):
        scope_for_user(gm01)


def test_role_assign_forgets_the_cached_scope_of_that_user(demo):
    user = staff_with_role(Role.GRID_MEMBER, demo.sg1[2])
    person = Staff.objects.select_related("user").get(user=user)
    assert scope_for_user(person.user).small_grid_ids == {demo.sg1[2].pk}
    services.role_assign(staff=person, role=Role.GRID_MEMBER, scope_object=demo.sg1[3])
    assert scope_for_user(person.user).small_grid_ids == {demo.sg1[2].pk, demo.sg1[3].pk}


def test_filter_staff_shows_grid_member_only_people_of_its_village_and_town(gm01, demo):
    visible = set(scope_rule.filter_staff(Staff.objects.all(), gm01)
                  .values_list("user__username", flat=True))
    assert {"gm01", "gl01", "med01", "leader", "chair", "office"} <= visible
    assert not {"gm02", "gl02", "med02", "county"} & visible


def test_filter_assignments_hides_roles_held_over_other_large_grids(gm01, demo):
    visible = scope_rule.filter_assignments(RoleAssignment.objects.all(), gm01)
    assert not visible.filter(large_grid=demo.lg2).exists()
    assert not visible.filter(small_grid__large_grid=demo.lg2).exists()
    assert not visible.filter(committee=demo.committee2).exists()
    assert not visible.filter(household__small_grid__large_grid=demo.lg2).exists()
    # The leader's 包片 over large grid 1 is visible, the one over large grid 2 is not.
    leader_lgs = set(visible.filter(staff__user__username="leader",
                                    role=Role.PARTY_COMMITTEE_MEMBER)
                     .values_list("large_grid__number", flat=True))
    assert leader_lgs == {1}


# --- Computed once per state of the organisation --------------------------------------------

@pytest.fixture
def scope_cache(settings):
    """This process keeps computed scopes, as in production (the test settings do not)."""
    settings.SCOPE_CACHE = True
    scope_rule.forget_computed_scopes()
    yield
    scope_rule.forget_computed_scopes()


def _fresh(user):
    """The user as the next request loads it (no scope kept on the object)."""
    from django.contrib.auth import get_user_model

    return get_user_model().objects.get(pk=user.pk)


def test_a_scope_is_reused_until_the_organisation_changes(gm01, scope_cache,
                                                           django_assert_num_queries):
    first = scope_for_user(_fresh(gm01))
    again = _fresh(gm01)
    with django_assert_num_queries(1):  # the stamp, not the rule's queries
        assert scope_for_user(again) == first
    # The assignment ends (a bulk update: no model code runs): the next request sees it.
    RoleAssignment.objects.filter(staff__user=gm01).update(
        ends_on=timezone.localdate() - datetime.timedelta(days=1))
    assert scope_for_user(_fresh(gm01)).small_grid_ids == frozenset()


@pytest.mark.parametrize("model", ["Staff", "RoleAssignment", "Town", "LargeGrid", "SmallGrid",
                                   "Household", "MediationCommittee", "ServiceUnit"])
def test_a_write_to_any_table_the_rule_reads_changes_the_stamp(demo, model):
    from django.apps import apps
    from django.db.models import F

    from grid.models import OrganisationStamp
    from grid.stamp import SCOPE_TABLES

    Model = apps.get_model("grid", model)
    assert Model._meta.db_table in SCOPE_TABLES
    row = Model.objects.first()
    if row is None:
        pytest.skip(f"the demo has no {model}")
    before = OrganisationStamp.objects.get(pk=1).stamp
    Model.objects.filter(pk=row.pk).update(id=F("id"))
    assert OrganisationStamp.objects.get(pk=1).stamp != before


def test_the_scope_of_another_day_is_computed_again(gm01, scope_cache, monkeypatch):
    scope_for_user(_fresh(gm01))
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    RoleAssignment.objects.filter(staff__user=gm01).update(ends_on=timezone.localdate())
    before = scope_for_user(_fresh(gm01))
    assert before.small_grid_ids, "in force until the end of today"
    monkeypatch.setattr(scope_rule.timezone, "localdate", lambda *a, **k: tomorrow)
    monkeypatch.setattr("grid.models.timezone.localdate", lambda *a, **k: tomorrow)
    assert scope_for_user(_fresh(gm01)).small_grid_ids == frozenset()


def test_values_of_the_organisation_are_kept_until_it_changes(demo, scope_cache,
                                                              django_assert_num_queries):
    """The leaders in charge a ledger row names: read once, then from memory (the stamp
    only) until a write to the organisation, then read again."""
    from grid.selectors import leaders_in_charge

    first = leaders_in_charge(large_grid_ids=[demo.lg1.pk])
    assert first[demo.lg1.pk]
    with django_assert_num_queries(1):  # the stamp
        assert leaders_in_charge(large_grid_ids=[demo.lg1.pk]) == first
    # A copy each time: a caller changing it changes nothing kept.
    leaders_in_charge(large_grid_ids=[demo.lg1.pk])[demo.lg1.pk].append("x")
    assert leaders_in_charge(large_grid_ids=[demo.lg1.pk]) == first
    leader = demo.staff["leader"]
    Staff.objects.filter(pk=leader.pk).update(name="新领导")
    renamed = leaders_in_charge(large_grid_ids=[demo.lg1.pk])[demo.lg1.pk]
    assert "新领导" in renamed and leader.name not in renamed


def test_a_request_reads_the_stamp_once(leader, client_as, scope_cache,
                                        django_assert_max_num_queries):
    """The scope, the grid options and the leaders in charge of a ledger page share one
    read of the stamp; the next request reads it again."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = client_as(leader)
    client.get("/disputes/")
    for _ in range(2):
        with CaptureQueriesContext(connection) as ctx:
            assert client.get("/disputes/").status_code == 200
        stamps = [q["sql"] for q in ctx.captured_queries if "grid_organisationstamp" in q["sql"]]
        assert len(stamps) == 1
    # Outside a request (the worker, a command) the stamp is read at each use.
    assert scope_rule._request_stamp.get() is None


def test_the_small_grids_outside_whole_towns_are_those_not_named_by_a_town(leader, gl01, gm01,
                                                                         county):
    for who in (leader, county):
        scope = scope_for_user(who)
        assert scope.full_town_ids and scope.partial_small_grid_ids == frozenset()
    for who in (gl01, gm01):
        scope = scope_for_user(who)
        assert not scope.full_town_ids
        assert scope.partial_small_grid_ids == scope.small_grid_ids != frozenset()


def test_the_home_pages_organisation_is_kept_until_it_changes(demo, client_as, scope_cache):
    """The user's duties, towns and large grids are read once; the next visit reads none of
    them (only the stamp) and shows the same; an assignment given since shows at once."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = client_as("leader")
    first = client.get("/")
    with CaptureQueriesContext(connection) as ctx:
        again = client.get("/")
    organisation = [q["sql"] for q in ctx.captured_queries
                    if 'FROM "grid_roleassignment"' in q["sql"] or 'FROM "grid_town"' in q["sql"]]
    assert organisation == []
    for name in ("assignments", "towns", "covered_large_grids"):
        assert list(again.context[name]) == list(first.context[name])
    assert len(first.context["assignments"]) > 0 and len(first.context["towns"]) == 1

    services.role_assign(staff=demo.staff["leader"], role=Role.GRID_MEMBER,
                         scope_object=demo.sg1[3])
    after = client.get("/")
    assert len(after.context["assignments"]) == len(first.context["assignments"]) + 1
    assert demo.sg1[3].name in after.content.decode()


def test_the_kept_home_values_are_kept_per_scope(demo, client, client_as, scope_cache):
    """An entry kept for one user's towns and duties is never shown to a user whose scope
    differs: a user with no assignment, after the leader's visit, sees no town and no duty,
    and a grid member sees only their own duties."""
    leader_home = client_as("leader").get("/")
    assert leader_home.context["towns"] and leader_home.context["assignments"]
    client.force_login(user_create())
    nobody = client.get("/")
    assert nobody.context["towns"] == () and nobody.context["assignments"] == ()
    gm01 = client_as("gm01").get("/")
    assert {a.staff.user.username for a in gm01.context["assignments"]} == {"gm01"}
    assert {a.pk for a in gm01.context["assignments"]}.isdisjoint(
        a.pk for a in leader_home.context["assignments"])

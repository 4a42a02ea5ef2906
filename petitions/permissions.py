"""Who may do what to a petition: one function per action.

A petition is in a user's scope when its small grid is covered. Within scope:
- at the grid (代办): the proxy agent / handler and the small grid's grid member;
- at the town: the large grid's grid leader (who coordinates at town level);
- at the county: the named town coordinator;
- the petition office and town leadership may act at every step; a step's people may also
  act at the steps below it ("anyone above them in the chain").
"""

from __future__ import annotations

from django.utils import timezone

from grid.models import Role
from grid.scope import scope_for_user

from . import deadlines
from .states import PetitionKind, PetitionState


def in_scope(user, petition) -> bool:
    return user.is_authenticated and scope_for_user(user).covers_small_grid(petition.small_grid_id)


def is_leadership(user, petition) -> bool:
    """Town leadership of the petition's town (or an administrator): the organ's responsible
    person who approves an extension (信访工作条例 第三十四条)."""
    scope = scope_for_user(user)
    return scope.is_global or scope.holds(Role.TOWN_LEADERSHIP, petition.town_id)


def is_office(user, petition) -> bool:
    """Petition office or town leadership of the petition's town (or an administrator)."""
    scope = scope_for_user(user)
    return (scope.is_global or scope.holds(Role.PETITION_OFFICE, petition.town_id)
            or scope.holds(Role.TOWN_LEADERSHIP, petition.town_id))


def _staff_id(user):
    return scope_for_user(user).staff_id


def is_grid_level(user, petition) -> bool:
    scope = scope_for_user(user)
    staff_id = scope.staff_id
    return (scope.holds(Role.GRID_MEMBER, petition.small_grid_id)
            or (staff_id is not None and staff_id in (petition.proxy_agent_id,
                                                      petition.handler_id)))


def is_town_level(user, petition) -> bool:
    return scope_for_user(user).holds(Role.GRID_LEADER, petition.small_grid.large_grid_id)


def is_county_level(user, petition) -> bool:
    staff_id = _staff_id(user)
    return staff_id is not None and staff_id == petition.coordinator_id


STEP_CHECKS = {
    PetitionState.REGISTERED: (is_grid_level, is_town_level),
    PetitionState.GRID: (is_grid_level, is_town_level),
    PetitionState.TOWN: (is_town_level, is_county_level),
    PetitionState.COUNTY: (is_county_level,),
}


def can_act_at_current_step(petition, user) -> bool:
    if not in_scope(user, petition):
        return False
    if is_office(user, petition):
        return True
    return any(check(user, petition) for check in STEP_CHECKS.get(petition.state, ()))


def can_accept(petition, user) -> bool:
    """accept, decline and guide a registered petition."""
    return can_act_at_current_step(petition, user)


def can_escalate(petition, user) -> bool:
    return can_act_at_current_step(petition, user)


def can_reply(petition, user) -> bool:
    return can_act_at_current_step(petition, user)


def can_dock(petition, user) -> bool:
    return can_act_at_current_step(petition, user)


def can_withdraw(petition, user) -> bool:
    return can_act_at_current_step(petition, user)


def can_void(petition, user) -> bool:
    """Entered in error: town leadership or an administrator; also the town's governance
    office for a matter it imported from a register while nothing has been done to it since
    (an import undone as a whole)."""
    if not in_scope(user, petition):
        return False
    if is_leadership(user, petition):
        return True
    return (scope_for_user(user).holds(Role.GOVERNANCE_OFFICE, petition.town_id)
            and is_untouched_import(petition))


def is_untouched_import(petition) -> bool:
    """Imported from a register and nothing recorded on it since: its one history row is the
    import."""
    # PetitionEvent.Action.IMPORTED, by value: the models import this module.
    return list(petition.events.values_list("action", flat=True)[:2]) == ["imported"]


def can_close(petition, user) -> bool:
    """Close a replied petition: its proxy or coordinator, the grid leader, or the office."""
    if not in_scope(user, petition):
        return False
    return (is_office(user, petition) or is_grid_level(user, petition)
            or is_town_level(user, petition) or is_county_level(user, petition))


def can_assign_coordinator(petition, user) -> bool:
    return in_scope(user, petition) and is_office(user, petition)


def can_request_extension(petition, user) -> bool:
    """The handler (whoever acts at the current step) or the petition office asks for an
    extension, with a reason (信访工作条例 第三十四条)."""
    return can_act_at_current_step(petition, user)


def can_approve_extension(petition, user) -> bool:
    """Only the organ's responsible person, the town leadership, approves or refuses an
    extension (信访工作条例 第三十四条): the petition office alone cannot."""
    return in_scope(user, petition) and is_leadership(user, petition)


def can_transfer_discipline(petition, user) -> bool:
    """The petition office or town leadership transfers an accusation to the
    discipline-inspection organ (信访工作条例 第二十二条)."""
    return in_scope(user, petition) and is_office(user, petition)


def can_deliver(petition, user) -> bool:
    """Record the delivery of the written reply: anyone who may close it."""
    return can_close(petition, user)


def can_evaluate(petition, user) -> bool:
    """Staff record the petitioner's evaluation on their behalf (信访工作条例 第二十一条):
    anyone on the matter's chain."""
    return can_close(petition, user)


def can_recuse(petition, user) -> bool:
    """A staff member on the matter's chain records their own recusal (信访工作条例
    第二十八条); the petition office or town leadership may record anyone's."""
    return _staff_id(user) is not None and can_record(petition, user)


def can_set_national_number(petition, user) -> bool:
    return in_scope(user, petition) and is_office(user, petition)


def can_review(petition, user) -> bool:
    return in_scope(user, petition) and is_office(user, petition)


def can_record(petition, user) -> bool:
    """Notes such as a higher-level visit: anyone on the petition's chain."""
    return can_close(petition, user) or can_act_at_current_step(petition, user)


def can_see_identity(petition, user) -> bool:
    """Accusations (检举控告类): only the petition office and town leadership see who."""
    return not petition.is_confidential or (in_scope(user, petition) and is_office(user, petition))


# --- Conditions -----------------------------------------------------------------------------

def is_accusation(petition) -> bool:
    """检举控告类 (信访工作条例 第三十条)."""
    return petition.kind == PetitionKind.ACCUSATION


def not_barred_after_re_review(petition) -> bool:
    """After a re-review the same matter is not accepted again (信访工作条例 第三十六条)."""
    earlier = petition.repeat_of
    seen = set()
    while earlier is not None and earlier.pk not in seen:
        seen.add(earlier.pk)
        if earlier.reviews.filter(kind="re_review", answered_on__isnull=False).exists():
            return False
        earlier = earlier.repeat_of
    return True


def has_coordinator(petition) -> bool:
    """A county matter needs a named town coordinator and the county department."""
    return bool(petition.coordinator_id and petition.county_department)


def may_close_now(petition) -> bool:
    """Satisfied, or the window for the next review request has passed, or re-reviewed; and
    never while a review is pending. The window counts from the petitioner's receipt of the
    written reply (信访工作条例 第三十五条): an undelivered reply never lets it pass. Only a
    claim has the review chain; any other kind closes once replied."""
    if petition.kind != PetitionKind.CLAIM:
        return True
    reviews = list(petition.reviews.all())
    if any(r.answered_on is None for r in reviews):
        return False
    if petition.satisfied:
        return True
    if any(r.kind == "re_review" for r in reviews):
        return True
    answers = [r.answered_on for r in reviews if r.answered_on]
    last_answer = max(answers) if answers else petition.delivered_on
    until = deadlines.review_request_until(last_answer)
    return until is not None and timezone.localdate() > until


# --- What a page or the API offers now ------------------------------------------------------

def available_actions(petition, user) -> list[str]:
    """The actions ``user`` may take on ``petition`` now, as declared in
    ``petitions.actions``."""
    from .actions import ACTIONS

    return ACTIONS.available(petition, user)


def can_see_personal_data(petition, user) -> bool:
    """Who may reveal the petitioners' full phones and ID numbers on the case page (each
    reveal recorded, casework.personal_data): its handler and coordinator, the petition
    office, the judicial office and the leadership of its town; never, for an accusation,
    anyone who may not know who filed it."""
    if not in_scope(user, petition) or not can_see_identity(petition, user):
        return False
    scope = scope_for_user(user)
    staff_id = scope.staff_id
    return (is_office(user, petition)
            or scope.holds(Role.JUDICIAL_OFFICE, petition.town_id)
            or (staff_id is not None
                and staff_id in (petition.handler_id, getattr(petition, "coordinator_id", None))))

"""Who may do what to a dispute: one function per transition.

The FSM transitions point at these functions (``permission=``), the services check them
through ``has_transition_perm``, and pages show only the buttons they allow. The rule:

- the case must be in the user's scope (its small grid covered);
- a transition at tier k is allowed to whoever holds tier k's role over the case's grid
  (the assigned handler first among them), to anyone holding a higher tier's role over it
  ("anyone above them in the chain"), and to town leadership;
- voiding is for town leadership (and administrators) only.

Tier roles over a case (docs/domain.md, "四道防线"): grid member of its small grid; mediator of
its village committee (or of the town committee); grid leader of its large grid; chair of
the town committee.
"""

from __future__ import annotations

from grid.models import Role
from grid.scope import scope_for_user

from .states import DisputeState, ReferralTarget, RespondentConsent, RiskLevel, tier_index


def tiers_held(user, dispute) -> set[str]:
    """The ladder tiers ``user`` holds over ``dispute``'s grid."""
    scope = scope_for_user(user)
    large_grid_id = dispute.small_grid.large_grid_id
    held = set()
    if scope.holds(Role.GRID_MEMBER, dispute.small_grid_id):
        held.add(DisputeState.GRID_MEMBER)
    if large_grid_id in scope.mediator_large_grid_ids or dispute.town_id in scope.mediator_town_ids:
        held.add(DisputeState.MEDIATOR)
    if scope.holds(Role.GRID_LEADER, large_grid_id):
        held.add(DisputeState.GRID_LEADER)
    if dispute.town_id in scope.chair_town_ids:
        held.add(DisputeState.CHAIR)
    return held


def in_scope(user, dispute) -> bool:
    """Its small grid is covered, or it is assigned to the user's service unit."""
    scope = scope_for_user(user)
    return scope.covers_small_grid(dispute.small_grid_id) or is_unit_staff(user, dispute)


def is_unit_staff(user, dispute) -> bool:
    """The user works at the service unit the case is assigned to (the legal-service office
    or the five-elders studio): such a case is mediated there, at whatever tier it stands."""
    return dispute.unit_id is not None and dispute.unit_id in scope_for_user(user).unit_ids


def is_leadership(user, dispute) -> bool:
    scope = scope_for_user(user)
    return scope.is_global or scope.holds(Role.TOWN_LEADERSHIP, dispute.town_id)


def is_handler(user, dispute) -> bool:
    scope = scope_for_user(user)
    return dispute.handler_id is not None and dispute.handler_id == scope.staff_id


def can_act_at_current_tier(dispute, user) -> bool:
    """The ladder rule for an open case (see the module docstring)."""
    if not user.is_authenticated or not in_scope(user, dispute):
        return False
    if is_leadership(user, dispute) or is_handler(user, dispute):
        return True
    if dispute.is_open and is_unit_staff(user, dispute):
        return True
    current = tier_index(dispute.state)
    if current is None:
        return False
    return any(tier_index(t) >= current for t in tiers_held(user, dispute))


def can_act_on_case(dispute, user) -> bool:
    """Anyone on the case's ladder (any tier), its last handler, or leadership: for follow-ups
    on a resolved case, where no tier is current."""
    if not user.is_authenticated or not in_scope(user, dispute):
        return False
    return (is_leadership(user, dispute) or is_handler(user, dispute)
            or is_unit_staff(user, dispute) or bool(tiers_held(user, dispute)))


# --- One function per transition -----------------------------------------------------------

def can_escalate(dispute, user) -> bool:
    return can_act_at_current_tier(dispute, user)


def can_escalate_urgent(dispute, user) -> bool:
    return can_act_at_current_tier(dispute, user)


def can_resolve(dispute, user) -> bool:
    return can_act_at_current_tier(dispute, user)


def can_refer(dispute, user) -> bool:
    return can_act_at_current_tier(dispute, user)


def can_withdraw(dispute, user) -> bool:
    return can_act_at_current_tier(dispute, user)


def can_terminate(dispute, user) -> bool:
    return can_act_at_current_tier(dispute, user)


def can_report_police(dispute, user) -> bool:
    """Report civil-to-criminal risk (人民调解法 第二十五条): whoever acts at the current tier."""
    return dispute.is_open and can_act_at_current_tier(dispute, user)


def can_acknowledge_police(dispute, user) -> bool:
    """The town's police liaison (派出所联络员) acknowledges a report on the case."""
    if not user.is_authenticated or not in_scope(user, dispute):
        return False
    return scope_for_user(user).holds(Role.POLICE_LIAISON, dispute.town_id)


def can_extend_mediation(dispute, user) -> bool:
    return dispute.is_open and can_act_at_current_tier(dispute, user)


def can_record_consent(dispute, user) -> bool:
    return dispute.is_open and can_act_at_current_tier(dispute, user)


def can_notify_rights(dispute, user) -> bool:
    return dispute.is_open and can_act_at_current_tier(dispute, user)


def can_reassign(dispute, user) -> bool:
    """A party's request for a named or another mediator (人民调解法 第十九条、第二十三条): at
    the mediator tier, the town committee chair reassigns (town leadership too)."""
    if (dispute.state != DisputeState.MEDIATOR or not user.is_authenticated
            or not in_scope(user, dispute)):
        return False
    return (is_leadership(user, dispute)
            or DisputeState.CHAIR in tiers_held(user, dispute))


def can_record_confirmation(dispute, user) -> bool:
    """The application for judicial confirmation and its result: anyone on the case."""
    return can_act_on_case(dispute, user)


def can_follow_up(dispute, user) -> bool:
    return can_act_on_case(dispute, user)


def can_void(dispute, user) -> bool:
    """Entered in error: town leadership or an administrator; also the town's governance
    office for a case it imported from a ledger while nothing has been done to it since (an
    import undone as a whole)."""
    if not user.is_authenticated or not in_scope(user, dispute):
        return False
    if is_leadership(user, dispute) or user.has_perm("disputes.void_dispute"):
        return True
    return (scope_for_user(user).holds(Role.GOVERNANCE_OFFICE, dispute.town_id)
            and is_untouched_import(dispute))


def is_untouched_import(dispute) -> bool:
    """Imported from a ledger and nothing recorded on it since: its one history row is the
    import."""
    # DisputeEvent.Action.IMPORTED, by value: the models import this module.
    actions = list(dispute.events.values_list("action", flat=True)[:2])
    return actions == ["imported"]


def can_add_record(dispute, user) -> bool:
    """Sessions and attachments: anyone who may act on the case."""
    return can_act_on_case(dispute, user)


def can_create_in_small_grid(user, small_grid) -> bool:
    return user.is_authenticated and scope_for_user(user).covers_small_grid(small_grid.pk)


# --- Service units, priority service, referrals that come back -------------------------------

def can_assign_unit(dispute, user) -> bool:
    """Hand an open case to the legal-service office or the five-elders studio: the town
    committee's chair, the judicial office (which works with both units) and leadership."""
    if not dispute.is_open or not user.is_authenticated or not in_scope(user, dispute):
        return False
    scope = scope_for_user(user)
    return (is_leadership(user, dispute) or dispute.town_id in scope.chair_town_ids
            or scope.holds(Role.JUDICIAL_OFFICE, dispute.town_id))


def can_mark_priority(dispute, user) -> bool:
    """Mark a party for priority service: those who handle the case (who may see its
    parties' personal data: the reason is theirs only)."""
    return dispute.state != DisputeState.VOIDED and can_see_personal_data(dispute, user)


def can_track_referral(dispute, user) -> bool:
    """Record the receiving unit's receipt and result: its liaison in the organisation, the
    town's judicial and governance offices (the docking model's coordinators), the town
    committee's chair who referred, and leadership."""
    if not user.is_authenticated or not in_scope(user, dispute):
        return False
    scope = scope_for_user(user)
    return (is_leadership(user, dispute) or dispute.town_id in scope.chair_town_ids
            or any(scope.holds(role, dispute.town_id) for role in REFERRAL_LIAISON_ROLES.values())
            or any(r.liaison_id == scope.staff_id and scope.staff_id
                   for r in dispute.referrals.all()))


def can_report_back(dispute, user) -> bool:
    """Tell the court or the police that entrusted or handed over the case how it ended."""
    return can_act_on_case(dispute, user) or can_track_referral(dispute, user)


# The post in the organisation that liaises for each referral target (docs/domain.md, "Docking
# mediation"); a court and county departments have none in the town.
REFERRAL_LIAISON_ROLES = {
    ReferralTarget.POLICE: Role.POLICE_LIAISON,
    ReferralTarget.JUDICIAL_OFFICE: Role.JUDICIAL_OFFICE,
    ReferralTarget.GOVERNANCE_OFFICE: Role.GOVERNANCE_OFFICE,
    ReferralTarget.PETITION_OFFICE: Role.PETITION_OFFICE,
}


# --- Conditions (pure preconditions on the row) --------------------------------------------

def is_urgent_case(dispute) -> bool:
    """Urgent escalation needs red risk or a risk flag."""
    return dispute.risk_level == RiskLevel.RED or dispute.has_risk_flag


def consent_not_refused(dispute) -> bool:
    """A case whose respondent refused mediation cannot climb the ladder: it may not be
    mediated (人民调解法 第十七条); it is terminated or referred instead."""
    return dispute.respondent_consent != RespondentConsent.REFUSED


def referral_refusal(dispute, target: str):
    """Why ``dispute`` may not be referred to ``target`` now, or ``None`` when it may: from the
    chair to any unit; from any tier only to the police on civil-to-criminal risk (mediators
    must report such cases, 人民调解法 第二十五条); from any tier to any unit when the
    respondent refused mediation (第十七条: it may not be mediated, so it goes to the unit
    that can decide it)."""
    from django.utils.translation import gettext as _

    if not target:
        return _("请选择移交单位。")
    if dispute.state == DisputeState.CHAIR or not consent_not_refused(dispute):
        return None
    if target != ReferralTarget.POLICE:
        return _("只有镇调委会主任可以移交其他单位；各级发现民转刑风险的，可移交派出所。")
    if not dispute.risk_civil_to_criminal:
        return _("只有存在民转刑风险的纠纷可以由各级直接移交派出所。")
    return None


def referral_allowed_from_state(dispute) -> bool:
    """The transition's condition: the target set on the row passes ``referral_refusal``."""
    return referral_refusal(dispute, dispute.referred_to) is None


def followup_found_kept(dispute) -> bool:
    return dispute.last_followup_kept is True


def followup_found_broken(dispute) -> bool:
    return dispute.last_followup_kept is False


# --- What a page or the API offers this user now -------------------------------------------

def available_actions(dispute, user) -> list[str]:
    """The actions ``user`` may take on ``dispute`` now, as declared in ``disputes.actions``
    (each offered by the permission function above that governs it)."""
    from .actions import ACTIONS

    return ACTIONS.available(dispute, user)


def can_see_personal_data(dispute, user) -> bool:
    """Who may reveal the parties' full phones and ID numbers on the case page (each reveal
    recorded, casework.personal_data): its handler, the mediators of its committee, the
    judicial office and the leadership of its town (《个人信息保护法》第六条: no more people
    than the purpose needs)."""
    if not user.is_authenticated or not in_scope(user, dispute):
        return False
    scope = scope_for_user(user)
    return (is_leadership(user, dispute) or is_handler(user, dispute)
            or scope.holds(Role.JUDICIAL_OFFICE, dispute.town_id)
            or DisputeState.MEDIATOR in tiers_held(user, dispute))

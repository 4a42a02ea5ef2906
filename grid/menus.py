"""The phone's bottom bar: each role's main jobs, as keys of the navigation items the apps
register (``core.registry.nav_item``). Everything else stays in the menu.

A new page is one ``nav_item`` line in its app's ``AppConfig.ready()``; to put it in a role's
bottom bar, add its key to that role's tuple here. A person holding several roles gets the
jobs of each in the order of ``MAIN_JOBS`` (first three shown), items the user may not see
left out.
"""

from __future__ import annotations

from .models import Role

MAIN_JOBS: dict[str, tuple[str, ...]] = {
    # The grid member's three daily jobs: daily screening, log a dispute, my queue.
    Role.GRID_MEMBER: ("cadence_screening", "disputes_new", "disputes_queue"),
    Role.INFORMANT: ("cadence_screening", "disputes_new", "instability_report"),
    Role.MEDIATOR: ("disputes_queue", "disputes_ledger"),
    Role.GRID_LEADER: ("disputes_queue", "notices_mine", "disputes_ledger"),
    Role.COMMITTEE_CHAIR: ("disputes_queue", "disputes_ledger", "notices_mine"),
    Role.PETITION_OFFICE: ("petitions_mine", "petitions_ledger", "disputes_queue"),
    Role.JUDICIAL_OFFICE: ("disputes_queue", "disputes_ledger", "notices_mine"),
    Role.POLICE_LIAISON: ("disputes_queue", "notices_mine"),
    Role.TOWN_LEADERSHIP: ("disputes_ledger", "notices_ledger", "cadence_reports"),
    Role.GOVERNANCE_OFFICE: ("disputes_ledger", "notices_ledger", "cadence_reports"),
    Role.PARTY_COMMITTEE_MEMBER: ("disputes_ledger", "notices_mine"),
    Role.SECTION_LEADER: ("disputes_ledger", "notices_mine"),
    Role.CADRE: ("disputes_new", "notices_mine"),
    Role.COUNTY_USER: ("disputes_ledger", "petitions_ledger", "cadence_reports"),
}
# A login without a post (an administrator): the ledgers.
DEFAULT_JOBS = ("disputes_ledger", "petitions_ledger", "notices_ledger")


def main_jobs_for(user) -> list[str]:
    """The nav item keys of ``user``'s main jobs, each once, from the roles held today."""
    from .scope import scope_for_user

    held = scope_for_user(user).held
    keys: list[str] = []
    for role, jobs in MAIN_JOBS.items():
        if held.get(role):
            keys += [key for key in jobs if key not in keys]
    return keys or list(DEFAULT_JOBS)

"""Reads of disputes for a user: the scope rule applies before anything else."""

from __future__ import annotations

import operator
from functools import reduce

from django.db import connection
from django.db.models import (
    BooleanField,
    Case,
    Count,
    F,
    IntegerField,
    Prefetch,
    Q,
    QuerySet,
    Value,
    When,
    Window,
    prefetch_related_objects,
)
from django.db.models.expressions import RawSQL
from django.db.models.functions import RowNumber
from django.utils import timezone

from core import search
from core.rows import known_empty, prefetch_named, set_empty_related
from core.stored_text import render
from grid import scope as scope_rule
from grid.models import Role
from grid.selectors import leaders_in_charge  # noqa: F401  (the case page reads it here)

from . import tallies
from .models import (
    TIERS,
    Attachment,
    Dispute,
    DisputeAvertedRisk,
    DisputeEvent,
    DisputeQuerySet,
    DisputeReferral,
    DisputeState,
    FollowUpVisit,
    MediationAgreement,
    MediationSession,
    Party,
    PoliceReport,
)


def _base(user) -> QuerySet[Dispute]:
    """Cases in the user's small grids, and those assigned to the user's service unit."""
    return scope_rule.filter_cases(Dispute.objects.all(), user, small_grid_path="small_grid_id",
                                   unit_path="unit_id")


def party_choices_for_user(*, user) -> QuerySet[Party]:
    """Parties of the cases in the user's scope (an id in API input)."""
    return Party.objects.filter(dispute__in=_base(user).values("pk"))


def with_overdue(qs: QuerySet[Dispute]) -> QuerySet[Dispute]:
    """Annotate ``overdue``: open and past the current tier's deadline (computed, never typed)."""
    return qs.annotate(overdue=Case(
        When(DisputeQuerySet.overdue_q(timezone.now()), then=Value(True)),
        default=Value(False), output_field=BooleanField()))


def dispute_list_for_user(*, user, filters: dict | None = None) -> QuerySet[Dispute]:
    """The ledger: every case in the user's scope, with what a row shows, in fixed queries.

    The latest measure of each row is not a subquery per row (it would run for every row the
    database orders, not only those shown): ``latest_measures`` reads it for a page's ids."""
    qs = (with_overdue(_base(user))
          .select_related("town", "small_grid", "small_grid__large_grid", "handler",
                          "reporter", "agreement")
          .prefetch_related(Prefetch("parties", queryset=Party.objects.order_by("id"))))
    return apply_filters(qs, filters or {})


def order_ledger(qs: QuerySet[Dispute], sort: str) -> QuerySet[Dispute]:
    """The ledger in one of its orders (``disputes.filters.LEDGER_SORTS``) for the export and
    the print: a deadline's empty rows last, as on the pages."""
    from .filters import LEDGER_SORTS

    return LEDGER_SORTS.order(qs, sort)


def ledger_export_file(*, user, query: str, progress=None):
    """The ledger for ``query`` (the page's query string) in the user's scope, as a rewound
    .xlsx temporary file and its name: the worker's half of a large export."""
    from core.export_jobs import ledger_export_file as export_file

    from .exports import ledger_xlsx_file
    from .filters import LEDGER_SORTS, LedgerFilterForm

    return export_file(user=user, query=query, form_class=LedgerFilterForm,
                       rows_for=dispute_list_for_user, sorts=LEDGER_SORTS,
                       write=ledger_xlsx_file, name="dispute-ledger", progress=progress)


def latest_measures(*, dispute_ids) -> dict[int, str]:
    """The latest non-empty history note of each case (the ledger's 采取的措施), in one query
    for a page of ids."""
    ids = list(dispute_ids)
    if not ids:
        return {}
    notes = DisputeEvent.objects.filter(dispute_id__any_of=ids).exclude(note="")
    if connection.vendor == "postgresql":
        # DISTINCT ON: the first row of each case in this order, without the window
        # function's subquery (cheaper to build and to plan).
        rows = (notes.order_by("dispute_id", "-created_at", "-id").distinct("dispute_id")
                .values_list("dispute_id", "note", "note_text"))
    else:
        rows = (notes.annotate(rank=Window(RowNumber(), partition_by=[F("dispute_id")],
                                           order_by=[F("created_at").desc(), F("id").desc()]))
                .filter(rank=1).values_list("dispute_id", "note", "note_text"))
    return {pk: render(text) if text else note for pk, note, text in rows}


def apply_filters(qs: QuerySet[Dispute], filters: dict) -> QuerySet[Dispute]:
    """Ledger filters: date range, grid, type, state, risk, overdue."""
    if filters.get("found_from"):
        qs = qs.filter(found_at__date__gte=filters["found_from"])
    if filters.get("found_to"):
        qs = qs.filter(found_at__date__lte=filters["found_to"])
    if filters.get("large_grid"):
        qs = qs.filter(small_grid__large_grid=filters["large_grid"])
    if filters.get("small_grid"):
        qs = qs.filter(small_grid=filters["small_grid"])
    if filters.get("category"):
        qs = qs.filter(category=filters["category"])
    if filters.get("state"):
        qs = qs.filter(state=filters["state"])
    if filters.get("risk_level"):
        qs = qs.filter(risk_level=filters["risk_level"])
    if filters.get("overdue") in (True, "true", "1", "yes"):
        qs = qs.overdue()
    if filters.get("legal_aid") in (True, "true", "1", "yes"):
        qs = qs.filter(legal_aid=True)
    if filters.get("q"):
        qs = qs.filter(search_q(search.parse(filters["q"])))
    return qs


def search_q(terms: search.Terms) -> Q:
    """Cases matching a search (``core.search``): a party's exact phone or ID number, the
    number, title or description, or a party's name. One ``id IN (… UNION …)``, so that each
    part is answered by its own index and no row is repeated."""
    own = Dispute.objects.filter(search.text_q(
        terms, substring=["number", "title", "description"])).order_by().values("pk")
    by_party = search.text_q(terms, substring=["name"], prefix=["name"])
    person = search.person_q(terms)
    if person is not None:
        by_party |= person
    return Q(pk__in=own.union(
        Party.objects.filter(by_party).order_by().values("dispute_id")))


def dispute_search_for_user(*, user, query: str, limit: int = 8) -> list[Dispute]:
    """The header search's cases: at most ``limit``, newest first, in one query."""
    terms = search.parse(query)
    if not terms.usable:
        return []
    return list(_base(user).filter(search_q(terms))
                .select_related("small_grid").order_by("-found_at", "-id")[:limit])


# The case's lists that a new case has none of: whether each has a row is read with the case
# (an EXISTS each, set as ``has_<name>``), and only those that have one are read. A new case's page
# made seven queries that found nothing; each costs about as much as one that finds a row.
CASE_LISTS = {
    "agreement": MediationAgreement, "averted_risks": DisputeAvertedRisk,
    "police_reports": PoliceReport, "referrals": DisputeReferral,
    "sessions": MediationSession, "followups": FollowUpVisit, "attachments": Attachment,
}


def _case_lists_present(pk) -> RawSQL:
    """Which of ``CASE_LISTS`` case ``pk`` has a row of, as bits in their order: one column
    of the case's own row. Each part is an EXISTS on the list's index by case (the case's id
    a parameter, so nothing correlates); written as SQL, it costs Django nothing to build
    (seven ``Exists`` expressions took more of the web process than the seven queries)."""
    quote_name = connection.ops.quote_name
    parts = [f"(CASE WHEN EXISTS (SELECT 1 FROM {quote_name(model._meta.db_table)} WHERE "
             f"{quote_name(model._meta.get_field('dispute').column)} = %s) THEN {1 << bit}"
             f" ELSE 0 END)" for bit, model in enumerate(CASE_LISTS.values())]
    return RawSQL(" + ".join(parts), [pk] * len(parts), output_field=IntegerField())


def _case_list_reads() -> dict:
    return {"agreement": Prefetch("agreement", queryset=MediationAgreement.objects
                                  .select_related("mediator", "committee", "confirmation")),
            "averted_risks": "averted_risks",
            "police_reports": Prefetch("police_reports", queryset=PoliceReport.objects
                                       .select_related("acknowledged_by")),
            "referrals": Prefetch("referrals", queryset=DisputeReferral.objects
                                  .select_related("liaison").order_by("referred_at", "id"))}


def dispute_get_for_user(*, user, pk: int) -> Dispute:
    """One case with everything its page shows; ``Dispute.DoesNotExist`` outside the scope.

    Only the grid and the handler are joined; the reporter, the unit and the agreement with
    what it names come in queries of their own (none for an empty one). Joined in, the
    case's row was a join of thirteen tables whose planning alone took PostgreSQL 8 ms, more
    than all the queries now; planning grows much faster than the joins past five or six.
    Of ``CASE_LISTS``, the agreement, averted risks, police reports and referrals are read
    here when the case has any (empty ones are set without a query); the page reads the
    sessions, follow-ups and attachments by the same flags (``case_list``)."""
    case = (with_overdue(_base(user))
            .select_related("small_grid", "small_grid__large_grid", "handler", "handler__user")
            .annotate(case_lists=_case_lists_present(pk))
            .get(pk=pk))
    for bit, name in enumerate(CASE_LISTS):
        setattr(case, f"has_{name}", bool(case.case_lists & (1 << bit)))
    reads = _case_list_reads()
    for name in reads:
        if not getattr(case, f"has_{name}"):
            set_empty_related(case, name)
    # The parties are read twice (the page, its probable duplicates): once here.
    prefetch_related_objects([case], "parties", *(
        read for name, read in reads.items() if getattr(case, f"has_{name}")))
    prefetch_named([case], "reporter", "unit")
    return case


def case_list(dispute: Dispute, name: str, queryset: QuerySet):
    """``queryset`` (one of the case's ``CASE_LISTS``) when the case has a row of it, else
    nothing, without a query or its compiling; a case not read by ``dispute_get_for_user``
    is queried."""
    return queryset if getattr(dispute, f"has_{name}", True) else known_empty(queryset)


def dispute_queue_for_user(*, user) -> QuerySet[Dispute]:
    """Open cases waiting on the user: assigned to them, or unassigned at a tier they hold
    over the case's grid, and open cases assigned to the user's service unit. Cases with a
    party marked for priority service (弱势群体、贫困户、应援对象) first, then the earliest
    deadline."""
    scope = scope_rule.scope_for_user(user)
    # Only the tiers the user holds somewhere: a branch of no ids matches nothing, but Django
    # builds it (and its join) before it drops it, on every visit of the queue.
    tiers = [Q(state=state, **{path: ids}) for state, path, ids in (
        (DisputeState.GRID_MEMBER, "small_grid_id__in", scope.held.get(Role.GRID_MEMBER, [])),
        (DisputeState.MEDIATOR, "small_grid__large_grid_id__in", scope.mediator_large_grid_ids),
        (DisputeState.MEDIATOR, "town_id__in", scope.mediator_town_ids),
        (DisputeState.GRID_LEADER, "small_grid__large_grid_id__in",
         scope.held.get(Role.GRID_LEADER, [])),
        (DisputeState.CHAIR, "town_id__in", scope.chair_town_ids)) if ids]
    waiting = [Q(handler_id=scope.staff_id)] if scope.staff_id else []
    if tiers:
        waiting.append(Q(handler__isnull=True) & reduce(operator.or_, tiers))
    if scope.unit_ids:
        waiting.append(Q(unit_id__in=scope.unit_ids))
    if not waiting:
        return known_empty(Dispute.objects.all())
    return (with_overdue(_base(user)).open().filter(reduce(operator.or_, waiting))
            .select_related("small_grid", "small_grid__large_grid", "handler")
            .order_by("-priority", "tier_due_at", "id"))


def dispute_history(*, dispute: Dispute) -> QuerySet[DisputeEvent]:
    return dispute.events.select_related("actor", "handler").order_by("created_at", "id")


# Filters the summary rows can answer; any other filter counts the cases it selects.
TALLY_FILTERS = {"large_grid", "small_grid", "state"}


def _tally_counts(*, user, filters: dict) -> dict | None:
    """{(state, resolved_tier): n} over the user's scope and ``filters`` from the summary rows,
    or None when a filter is one they cannot answer."""
    filters = {k: v for k, v in filters.items() if v not in (None, "", False)}
    if not set(filters) <= TALLY_FILTERS:
        return None
    scope = scope_rule.scope_for_user(user)
    if scope.unit_ids and not scope.is_global:
        return None  # a unit's cases are not kept by grid: count them
    # The scope's small grids, named by their towns where it covers the whole town.
    town_ids, small_grid_ids = (None, None) if scope.is_global else (
        list(scope.full_town_ids), list(scope.partial_small_grid_ids))
    if filters.get("small_grid"):
        wanted = getattr(filters["small_grid"], "pk", filters["small_grid"])
        town_ids = None
        small_grid_ids = [wanted] if scope.is_global or wanted in scope.small_grid_ids else []
    counts = tallies.state_counts(
        town_ids=town_ids, small_grid_ids=small_grid_ids,
        large_grid_id=getattr(filters.get("large_grid"), "pk", filters.get("large_grid")))
    if filters.get("state"):
        counts = {k: n for k, n in counts.items() if k[0] == filters["state"]}
    return counts


def dispute_count_for_user(*, user, filters: dict | None = None) -> int | None:
    """How many cases the ledger lists for ``filters``, exact, from the summary rows; None
    when the filters need the cases counted."""
    counts = _tally_counts(user=user, filters=filters or {})
    return None if counts is None else sum(counts.values())


def fengqiao_headline(*, user, filters: dict | None = None) -> dict:
    """"小事不出村、大事不出镇、矛盾不上交": cases resolved at each of the four tiers and cases
    referred, and mediations terminated without agreement (apart from referrals), over the
    user's scope.

    Read from the summary rows (``disputes.tallies``) when the filters are at most a grid and
    a state, so the figure costs the same for a county as for a village; other filters (dates,
    type, risk, a search) count the cases they select in one query."""
    return ledger_figures(user=user, filters=filters)[1]


def ledger_figures(*, user, filters: dict | None = None) -> tuple[int | None, dict]:
    """The ledger's exact count (every case it lists, voided ones too) and its headline
    (``fengqiao_headline``) in one read: of the summary rows when the filters are at most a
    grid and a state, otherwise one aggregate over the cases the filters select."""
    filters = {k: v for k, v in (filters or {}).items() if v not in (None, "", False)}
    counts = _tally_counts(user=user, filters=filters)
    if counts is not None:
        return sum(counts.values()), tallies.headline_from(counts)
    headline = _counted_headline(user=user, filters=filters)
    return headline.pop("listed"), headline


def _counted_headline(*, user, filters: dict) -> dict:
    qs = apply_filters(_base(user), filters)
    resolved = DisputeQuerySet.resolved_q()
    figures = qs.aggregate(
        **{f"resolved_{t.value}": Count("id", filter=resolved & Q(resolved_tier=t.value))
           for t in TIERS},
        referred=Count("id", filter=DisputeQuerySet.referred_q()),
        terminated=Count("id", filter=DisputeQuerySet.terminated_q()),
        open=Count("id", filter=DisputeQuerySet.open_q()),
        total=Count("id", filter=DisputeQuerySet.counted_q()),
        listed=Count("id"),
    )
    tiers = [{"tier": t.value, "label": t.label, "resolved": figures[f"resolved_{t.value}"]}
             for t in TIERS]
    resolved_total = sum(row["resolved"] for row in tiers)
    return {"tiers": tiers, "resolved": resolved_total, "referred": figures["referred"],
            "terminated": figures["terminated"], "open": figures["open"],
            "total": figures["total"], "listed": figures["listed"]}


def dispute_file(*, dispute: Dispute) -> dict:
    """Everything the case file (一案一卷, 人民调解法 第二十七条) holds, in filing order: the
    cover, the registration, the rights notice, the sessions, the agreement or the
    termination notice, the follow-ups, the judicial confirmation, the attachment list. A
    fixed number of queries whatever the case holds."""
    from .deadlines import judicial_confirmation_until

    agreement = getattr(dispute, "agreement", None)
    confirmation = getattr(agreement, "confirmation", None) if agreement else None
    keeper = (agreement.committee.name if agreement and agreement.committee_id
              else None)
    return {
        "dispute": dispute,
        "parties": list(dispute.parties.all()),
        "events": list(dispute_history(dispute=dispute)),
        "sessions": list(dispute.sessions.select_related("room").prefetch_related("mediators")),
        "agreement": agreement,
        "confirmation": confirmation,
        "confirmation_until": judicial_confirmation_until(agreement.signed_on)
        if agreement and agreement.confirmable else None,
        "followups": list(dispute.followups.select_related("visitor")),
        "police_reports": list(dispute.police_reports.all()),
        "attachments": list(dispute.attachments.all()),
        "keeper": keeper,
    }


# A probable duplicate: the same party (name, or phone through its search hash) in the same
# small grid within this many days of the case being found.
DUPLICATE_WINDOW_DAYS = 30


def _any_probable_duplicate(dispute: Dispute, *, names, phones, window) -> bool:
    """Whether any case, whoever may see it, matches ``dispute`` as the query of
    ``dispute_probable_duplicates`` does (the same small grid, the window, not itself, not
    voided, a party of the same name or phone hash): that query without the scope, which
    only narrows it. One fixed statement, asked first because most cases have none: the
    query's filters cost the case page 2.5 ms of Python to build, more than it takes to
    run (``tests/disputes/test_duplicates.py`` compares the two)."""
    from core import crypto

    quote, ops = connection.ops.quote_name, connection.ops
    case, party = Dispute._meta, Party._meta

    def col(meta, name):
        return quote(meta.get_field(name).column)

    match, match_params = [], []
    if names:
        match.append(f"p.{col(party, 'name')} IN ({', '.join(['%s'] * len(names))})")
        match_params += sorted(names)
    if phones:
        hash_column = quote(party.get_field(party.get_field("phone").hash_field).column)
        match.append(f"p.{hash_column} IN ({', '.join(['%s'] * len(phones))})")
        match_params += [crypto.keyed_hash(phone) for phone in sorted(phones)]
    sql = (f"SELECT 1 FROM {quote(case.db_table)} d WHERE d.{col(case, 'small_grid')} = %s"
           f" AND d.{col(case, 'found_at')} >= %s AND d.{col(case, 'found_at')} <= %s"
           f" AND NOT (d.{col(case, 'id')} = %s) AND NOT (d.{col(case, 'state')} = %s)"
           f" AND EXISTS (SELECT 1 FROM {quote(party.db_table)} p"
           f" WHERE p.{col(party, 'dispute')} = d.{col(case, 'id')} AND ({' OR '.join(match)}))"
           f" LIMIT 1")
    params = [dispute.small_grid_id, ops.adapt_datetimefield_value(dispute.found_at - window),
              ops.adapt_datetimefield_value(dispute.found_at + window), dispute.pk,
              DisputeState.VOIDED.value, *match_params]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchone() is not None


def dispute_probable_duplicates(*, user, dispute: Dispute, limit: int = 5) -> list[Dispute]:
    """Other cases the user sees that may be this one logged twice: same small grid, found
    within ``DUPLICATE_WINDOW_DAYS`` days of it (before or after), not voided, with a party of
    the same name or the same phone (exact, through the keyed hash: phones are encrypted).
    A warning with links, never a refusal: two disputes between the same neighbours happen.
    Two queries (the parties, the matches), whatever the number of cases."""
    import datetime

    names, phones = set(), set()
    for party in dispute.parties.all():
        if party.name.strip():
            names.add(party.name.strip())
        if party.phone:
            phones.add(party.phone)
    if not names and not phones:
        return []
    window = datetime.timedelta(days=DUPLICATE_WINDOW_DAYS)
    if not _any_probable_duplicate(dispute, names=names, phones=phones, window=window):
        return []
    same_party = Q(name__in=names) if names else Q(pk__in=[])
    if phones:
        same_party |= Q(phone__in=phones)
    matches = (_base(user).filter(small_grid_id=dispute.small_grid_id,
                                  found_at__gte=dispute.found_at - window,
                                  found_at__lte=dispute.found_at + window)
               .exclude(pk=dispute.pk).exclude(state=DisputeState.VOIDED)
               .filter(pk__in=Party.objects.filter(same_party).values("dispute_id"))
               .order_by("-found_at", "-id"))
    return list(matches.only("id", "number", "title", "found_at", "state")[:limit])

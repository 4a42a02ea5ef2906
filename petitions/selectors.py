"""Reads of petitions for a user: the scope rule applies before anything else."""

from __future__ import annotations

from django.db.models import BooleanField, Case, F, Prefetch, Q, QuerySet, Value, When
from django.utils import timezone

from core import search
from core.keyset import Count, count_rows
from core.rows import prefetch_named
from grid import scope as scope_rule

from .models import Petition, Petitioner, PetitionKind, PetitionQuerySet


def _base(user) -> QuerySet[Petition]:
    return scope_rule.filter_small_grids(Petition.objects.all(), user, path="small_grid_id")


_FLAGS = {
    "accept_overdue": lambda today: PetitionQuerySet.accept_due_before_q(today),
    "reply_overdue": lambda today: PetitionQuerySet.reply_due_before_q(today),
    "review_overdue": lambda today: PetitionQuerySet.review_due_before_q(today),
    "overdue": lambda today: PetitionQuerySet.overdue_q(today),
    "skip_level": lambda today: PetitionQuerySet.skip_level_q(),
    "repeat_to_higher": lambda today: PetitionQuerySet.repeat_to_higher_q(),
}


def with_flags(qs: QuerySet[Petition], *names: str) -> QuerySet[Petition]:
    """Computed, never typed: overdue (accept, reply, review answer), skip-level and a repeat
    to a higher level (by the petitions' own predicates, ``PetitionQuerySet``); only
    ``names`` if given (each flag is an expression Django builds and PostgreSQL plans)."""
    unknown = set(names) - set(_FLAGS)
    if unknown:
        raise ValueError(f"No such petition flag: {', '.join(sorted(unknown))}")
    today = timezone.localdate()
    return qs.annotate(**{name: _flag(condition(today)) for name, condition in _FLAGS.items()
                          if not names or name in names})


def _flag(condition: Q) -> Case:
    return Case(When(condition, then=Value(True)), default=Value(False),
                output_field=BooleanField())


def apply_filters(qs: QuerySet[Petition], filters: dict) -> QuerySet[Petition]:
    if filters.get("received_from"):
        qs = qs.filter(received_on__gte=filters["received_from"])
    if filters.get("received_to"):
        qs = qs.filter(received_on__lte=filters["received_to"])
    if filters.get("large_grid"):
        qs = qs.filter(small_grid__large_grid=filters["large_grid"])
    if filters.get("small_grid"):
        qs = qs.filter(small_grid=filters["small_grid"])
    for name in ("kind", "form", "state"):
        if filters.get(name):
            qs = qs.filter(**{name: filters[name]})
    if filters.get("overdue") in (True, "true", "1"):
        qs = qs.filter(PetitionQuerySet.overdue_q(timezone.localdate()))
    if filters.get("repeat") in (True, "true", "1"):
        qs = qs.filter(repeat_of__isnull=False)
    if filters.get("group") in (True, "true", "1"):
        qs = qs.group()
    if filters.get("skip_level") in (True, "true", "1"):
        qs = qs.filter(PetitionQuerySet.skip_level_q())
    if filters.get("undelivered") in (True, "true", "1"):
        qs = qs.filter(PetitionQuerySet.undelivered_q())
    if filters.get("q"):
        qs = qs.filter(search_q(search.parse(filters["q"])))
    return qs


def search_q(terms: search.Terms) -> Q:
    """Petitions matching a search (``core.search``): the number, the national system's
    number, the subject or content, the query code exactly, or a petitioner's name, exact
    phone or ID number. Searching by petitioner must not reveal who filed a confidential
    accusation (``petitions.permissions.can_see_identity``), so those match only by their
    own text."""
    code = terms.text.strip().upper()
    own = (Petition.objects.filter(
        search.text_q(terms, substring=["number", "national_number", "subject", "content"])
        | Q(national_number=terms.text) | Q(query_code=code))
        .order_by().values("pk"))
    by_petitioner = search.text_q(terms, substring=["name"], prefix=["name"])
    person = search.person_q(terms)
    if person is not None:
        by_petitioner |= person
    petitioners = (Petitioner.objects.filter(by_petitioner)
                   .exclude(petition__kind=PetitionKind.ACCUSATION)
                   .order_by().values("petition_id"))
    return Q(pk__in=own.union(petitioners))


def petition_search_for_user(*, user, query: str, limit: int = 8) -> list[Petition]:
    """The header search's petitions: at most ``limit``, newest first, in one query."""
    terms = search.parse(query)
    if not terms.usable:
        return []
    return list(_base(user).filter(search_q(terms))
                .select_related("small_grid").order_by("-received_on", "-id")[:limit])


def petition_list_for_user(*, user, filters: dict | None = None) -> QuerySet[Petition]:
    """Petitions in the user's scope with their computed flags and what a list row names (the
    API's list). Joins only those: each join more makes PostgreSQL's planning of the page's
    query costlier (with the town and the village joined too, 19 ms, ten times its run)."""
    qs = (with_flags(_base(user))
          .select_related("small_grid", "handler", "proxy_agent", "docked_dispute")
          .prefetch_related("petitioners"))
    return apply_filters(qs, filters or {})


# What a row of the ledger shows (``petitions.exports.ledger_rows``), and nothing more.
LEDGER_FIELDS = (
    "pk", "small_grid_id", "number", "national_number", "form", "kind", "subject",
    "received_on", "people_count", "accept_due", "reply_due", "state", "handler_id",
    "proxy_agent_id", "repeat_of_id", "docked_dispute_id", "replied_on", "delivered_on",
    "reply_result", "close_reason", "evaluation", "evaluation_comment",
)
# The names a row shows of its grid and people, as plain values (no related instance a row).
LEDGER_NAMES = {"row_small_grid_name": "small_grid__name",
                "row_large_grid_name": "small_grid__large_grid__name",
                "row_handler_name": "handler__name", "row_proxy_name": "proxy_agent__name"}
LEDGER_FLAGS = ("overdue", "skip_level", "repeat_to_higher")
# What a list row shows of the petitioners (``exports.petitioners_display``): the phone as the
# mask kept beside its cipher text, so a list decrypts nothing.
PETITIONER_ROW_FIELDS = ("id", "petition_id", "name", "phone_masked", "is_representative")


def listed_petitioners() -> Prefetch:
    return Prefetch("petitioners", queryset=Petitioner.objects.only(*PETITIONER_ROW_FIELDS))


def petition_ledger_for_user(*, user, filters: dict | None = None) -> QuerySet[Petition]:
    """The petitions ledger (page, export, print): the same petitions as
    ``petition_list_for_user``, as plain rows (named tuples) of only the columns a row shows
    and the names of ``LEDGER_NAMES``, no model instance a row; the computed flags are read
    for a page's ids at once (``petition_flags``), not computed in the list's query, and so
    are the petitioners (``exports.ledger_rows``)."""
    qs = apply_filters(_base(user), filters or {})
    return (qs.annotate(**{name: F(path) for name, path in LEDGER_NAMES.items()})
            .values_list(*LEDGER_FIELDS, *LEDGER_NAMES, named=True))


def petition_ledger_count(*, user, filters: dict | None = None) -> Count:
    """How many petitions the ledger lists for ``filters`` (``core.keyset.count_rows``),
    counted without the rows' names: their joins would be read for every row counted."""
    return count_rows(apply_filters(_base(user), filters or {}))


def ledger_export_file(*, user, query: str, progress=None):
    """The ledger for ``query`` (the page's query string) in the user's scope, in its order,
    as a rewound .xlsx temporary file and its name: the worker's half of a large export."""
    from core.export_jobs import ledger_export_file as export_file

    from .exports import LEDGER_SORTS, ledger_xlsx_file
    from .forms import PetitionLedgerFilterForm

    return export_file(user=user, query=query, form_class=PetitionLedgerFilterForm,
                       rows_for=petition_ledger_for_user, sorts=LEDGER_SORTS,
                       write=ledger_xlsx_file, name="petition-ledger", progress=progress)


def petition_flags(*, ids) -> dict[int, dict]:
    """The computed flags a ledger row shows (overdue, skip-level, a repeat to a higher level,
    by the same predicates as ``with_flags``) of the petitions ``ids``, in one query:
    {id: {flag: bool}}."""
    if not ids:
        return {}
    today = timezone.localdate()
    rows = Petition.objects.filter(pk__in=ids).annotate(
        overdue=_flag(PetitionQuerySet.overdue_q(today)),
        skip_level=_flag(PetitionQuerySet.skip_level_q()),
        repeat_to_higher=_flag(PetitionQuerySet.repeat_to_higher_q()),
    ).values_list("pk", *LEDGER_FLAGS)
    return {pk: dict(zip(LEDGER_FLAGS, flags, strict=True)) for pk, *flags in rows}


def petition_get_for_user(*, user, pk: int) -> Petition:
    """One petition with what its page shows. The grid, the town and the handler are joined;
    the other people and cases it names come in queries of their own (none for an empty one):
    joined in, the row was a thirteen-table join that PostgreSQL took 30 ms to plan."""
    petition = (with_flags(_base(user))
                .select_related("town", "small_grid", "small_grid__large_grid", "handler")
                .get(pk=pk))
    prefetch_named([petition], "proxy_agent", "coordinator", "extension_approver", "created_by",
                   "extension_requested_by", "docked_dispute", "repeat_of", "source_dispute")
    return petition


def petition_queue_for_user(*, user) -> QuerySet[Petition]:
    """Open petitions on the user's desk: where they are the handler or proxy agent, or the
    coordinator of a county matter. Earliest due first; flagged overdue (what the queue
    shows)."""
    staff_id = scope_rule.scope_for_user(user).staff_id
    if staff_id is None:
        return Petition.objects.none()
    return (with_flags(_base(user), "overdue").open()
            .filter(Q(handler_id=staff_id) | Q(proxy_agent_id=staff_id)
                    | Q(coordinator_id=staff_id))
            .select_related("small_grid", "small_grid__large_grid")
            .order_by("accept_due", "reply_due", "id"))


def petition_history(*, petition: Petition):
    return petition.events.select_related("actor", "handler").order_by("created_at", "id")

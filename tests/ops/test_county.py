"""The generated county keeps the application's invariants (disputes, petitions, notices,
query codes, numbers), and the lists, the dashboard and the deadline-alert sweep cost the
same queries at 5,000 cases as at 5 (rows written set-based by ``generate_county``;
PostgreSQL only)."""

import pytest
from django.db import connection
from django.db.models import Count, F, Max
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from disputes import tallies
from disputes.models import Dispute, DisputeEvent, Party
from disputes.services.routing import handler_for, handlers_for_many
from disputes.states import OPEN_STATES, DisputeState, next_tier
from grid.models import SmallGrid, Town, TownSequence
from ops.county import generate_county
from supervision.models import DeadlineAlert
from supervision.services import deadline_alerts_sweep
from tests.conftest import requires_postgres

pytestmark = [requires_postgres, pytest.mark.django_db]


def test_the_generated_county_keeps_every_invariant():
    generate_county(towns=2, cases=3000, seed=3)
    assert Town.objects.count() == 2
    assert SmallGrid.objects.filter(large_grid__town__in=Town.objects.all()).count() == 120
    # Numbers: unique per town and year, the sequences advanced past them.
    assert not (Dispute.objects.values("town", "year", "serial").annotate(n=Count("id"))
                .filter(n__gt=1).exists())
    for seq in TownSequence.objects.filter(kind="dispute"):
        top = Dispute.objects.filter(town=seq.town, year=seq.year).aggregate(m=Max("serial"))
        assert seq.last == top["m"]
    # Open cases have a handler and a deadline; closed ones their stamps.
    assert not Dispute.objects.filter(state__in=OPEN_STATES, handler__isnull=True).exists()
    assert not Dispute.objects.filter(state__in=OPEN_STATES, tier_due_at__isnull=True).exists()
    assert not Dispute.objects.filter(state="closed", closed_at__isnull=True).exists()
    assert not Dispute.objects.filter(state="resolved", resolved_tier="").exists()
    assert not Dispute.objects.filter(state="referred", referred_to="").exists()
    # Every case has its parties and a history that ends in its state.
    assert not Dispute.objects.annotate(n=Count("parties")).filter(n=0).exists()
    assert Party.objects.count() >= 2 * 3000
    last = {}
    for d_id, to_state in (DisputeEvent.objects.order_by("dispute_id", "created_at", "id")
                           .values_list("dispute_id", "to_state")):
        last[d_id] = to_state
    assert all(last[d.pk] == d.state for d in Dispute.objects.only("id", "state"))
    assert tallies.differences() == []
    # Nothing happened later than now; open cases are the last quarter's (most within the
    # month their mediation runs), about one in a hundred over the three years.
    import datetime

    from django.utils import timezone

    now = timezone.now()
    for field in ("found_at", "tier_started_at", "resolved_at", "referred_at", "closed_at"):
        assert not Dispute.objects.filter(**{f"{field}__gt": now}).exists(), field
    assert not DisputeEvent.objects.filter(created_at__gt=now).exists()
    opened = Dispute.objects.filter(state__in=OPEN_STATES)
    assert not opened.filter(found_at__lt=now - datetime.timedelta(days=90)).exists()
    assert 0 < opened.count() < 0.03 * Dispute.objects.count()
    assert (Dispute.objects.filter(found_at__gt=now - datetime.timedelta(days=365)).count()
            < 0.5 * Dispute.objects.count())
    # The masks the lists read agree with the encrypted values (core.fields).
    from core.masking import mask_id_number, mask_phone
    from petitions.models import Petitioner

    for model in (Party, Petitioner):
        rows = model.objects.values_list("phone", "phone_masked", "id_number",
                                         "id_number_masked")
        assert rows and all((masked, id_masked) == (mask_phone(phone), mask_id_number(idn))
                            for phone, masked, idn, id_masked in rows), model


def test_handlers_for_many_agrees_with_handler_for():
    generate_county(towns=1, cases=2000, seed=4, years=1)
    cases = list(Dispute.objects.open().select_related("small_grid")[:200])
    assert len(cases) > 20
    many = handlers_for_many(disputes=cases, state_of=lambda d: next_tier(d.state))
    for d in cases:
        state = next_tier(d.state)
        if state:
            assert many[d.pk] == handler_for(dispute=d, state=state), d.state


def _queries(call):
    with CaptureQueriesContext(connection) as ctx:
        result = call()
    return len(ctx.captured_queries), result


def test_the_deadline_sweep_costs_the_same_queries_for_a_few_or_thousands_of_items():
    import datetime

    from django.contrib.auth import get_user_model
    from django.utils import timezone

    from petitions import services as petition_services
    from petitions.models import Petition
    from supervision.models import SupervisionNotice
    from tests.petitions.factories import make_petition
    from tests.supervision.factories import issue

    deadline_alerts_sweep()  # the demo's own items
    # Every kind of alert, a few of each: 1,000 cases over one year leave about thirty open,
    # at every tier...
    generate_county(towns=1, cases=1000, seed=5, years=1)
    # ...a notice due in two days among them (1,000 cases make about five notices, most of
    # them verified long ago).
    leader = get_user_model().objects.get(username="leader")
    issue(by=leader, urgency="urgent", deadline=timezone.now() + datetime.timedelta(days=2))
    # ...and one overdue, which opens its responsibility trace.
    late = issue(by=leader, urgency="urgent",
                 deadline=timezone.now() + datetime.timedelta(days=2))
    SupervisionNotice.objects.filter(pk=late.pk).update(
        deadline=timezone.now() - datetime.timedelta(hours=1))
    # ...and a petition whose reply falls due in two days (the year's are answered by now).
    answering = make_petition(by=get_user_model().objects.get(username="gm01"))
    petition_services.petition_accept(petition=answering, by=answering.created_by)
    Petition.objects.filter(pk=answering.pk).update(
        reply_due=timezone.localdate() + datetime.timedelta(days=2))
    # ...and, at each tier below the chair, a case past its tier's deadline: its next tier's
    # handler is looked up, one query per tier.
    for tier in (DisputeState.GRID_MEMBER, DisputeState.MEDIATOR, DisputeState.GRID_LEADER):
        late_case = Dispute.objects.filter(state=tier, tier_due_at__gt=timezone.now()).first()
        assert late_case is not None, f"the county has no open case at {tier} to make late"
        Dispute.objects.filter(pk=late_case.pk).update(
            tier_due_at=timezone.now() - datetime.timedelta(hours=1))
    few, sent_few = _queries(deadline_alerts_sweep)
    kinds_few = set(DeadlineAlert.objects.values_list("item_kind", flat=True))
    generate_county(towns=1, cases=20000, seed=6, years=1)
    many, sent_many = _queries(deadline_alerts_sweep)
    # The few run alerted every kind the many run did: equal counts compare like with like.
    assert set(DeadlineAlert.objects.values_list("item_kind", flat=True)) == kinds_few
    assert sent_many > 10 * sent_few > 0
    assert many == few < 40  # the target at a county of 1,000,000 cases is under 100
    assert DeadlineAlert.objects.count() > sent_many
    assert _queries(deadline_alerts_sweep)[1] == 0  # a repeat run sends nothing


def test_ledgers_api_and_dashboard_are_flat_from_five_to_five_thousand_cases(client_as, api_as):
    def counts():
        client = client_as("leader")
        api = api_as("leader")
        paths = [reverse("disputes:ledger"), reverse("disputes:ledger") + "?page=last",
                 reverse("home"), reverse("disputes:ledger") + "?page=3",
                 reverse("petitions:ledger"), reverse("petitions:ledger") + "?page=last",
                 reverse("supervision:ledger"), reverse("supervision:ledger") + "?page=last"]
        out = [_queries(lambda p=p: client.get(p))[0] for p in paths]
        out.append(_queries(lambda: api.get("/api/v1/disputes/?page=last"))[0])
        return out

    generate_county(towns=1, cases=5, seed=7)
    few = counts()
    generate_county(towns=1, cases=5000, seed=8)
    assert counts() == few


def _last_states(event_model, fk: str) -> dict:
    last = {}
    for case_id, to_state in (event_model.objects.order_by(fk, "created_at", "id")
                              .values_list(fk, "to_state")):
        last[case_id] = to_state
    return last


def test_the_county_has_petitions_and_notices_in_proportion_with_their_invariants(client_as):
    from casework.querycode import ALPHABET, LENGTH
    from petitions.models import Petition, PetitionEvent
    from petitions.states import HANDLING_STATES
    from supervision.models import NoticeEvent, SupervisionNotice

    before_p, before_n = Petition.objects.count(), SupervisionNotice.objects.count()
    last_d, last_p = (model.objects.aggregate(m=Max("id"))["m"] for model in (Dispute, Petition))
    result = generate_county(towns=2, cases=2000, seed=9)
    made_p = Petition.objects.count() - before_p
    made_n = SupervisionNotice.objects.count() - before_n
    assert made_p == result["petitions"] == 200  # one per ten cases
    assert 5 <= made_n == result["notices"] <= 16  # about one per two hundred
    # Every state, handler and history as the services leave them.
    states = set(Petition.objects.values_list("state", flat=True))
    assert {"registered", "grid", "town", "county", "replied", "closed", "declined",
            "transferred"} <= states
    assert set(SupervisionNotice.objects.values_list("state", flat=True)) >= {"verified"}
    assert all(last == state for last, state in (
        (_last_states(PetitionEvent, "petition_id")[p.pk], p.state)
        for p in Petition.objects.only("id", "state")))
    assert all(last == state for last, state in (
        (_last_states(NoticeEvent, "notice_id")[n.pk], n.state)
        for n in SupervisionNotice.objects.only("id", "state")))
    assert not Petition.objects.filter(state__in=HANDLING_STATES, handler__isnull=True).exists()
    assert not Petition.objects.filter(accepted_on__isnull=False, kind="claim",
                                       reply_due__isnull=True).exists()
    assert not Petition.objects.filter(accept_due__isnull=True).exists()
    assert not Petition.objects.filter(state="closed", closed_on__isnull=True).exists()
    assert not Petition.objects.annotate(n=Count("petitioners")).filter(n=0).exists()
    docked = Petition.objects.filter(docked_dispute__isnull=False)
    assert docked.count() > 5
    assert not docked.exclude(docked_dispute__source="petition_docking").exists()
    assert not docked.exclude(town=F("docked_dispute__town")).exists()
    one = docked.first()
    assert one.number in one.docked_dispute.events.get(action="create").note
    assert not SupervisionNotice.objects.annotate(n=Count("target_large_grids")).filter(
        n=0).exists()
    assert not SupervisionNotice.objects.exclude(
        target_large_grids__town=F("town")).exists()
    # Numbers unique per town and year, sequences advanced past them.
    for model, kind in ((Petition, None), (SupervisionNotice, "kind")):
        keys = ["town", "year", "serial"] + ([kind] if kind else [])
        assert not model.objects.values(*keys).annotate(n=Count("id")).filter(n__gt=1).exists()
    for seq in TownSequence.objects.filter(kind="petition"):
        top = Petition.objects.filter(town=seq.town, year=seq.year).aggregate(m=Max("serial"))
        assert seq.last == top["m"]
    for seq in TownSequence.objects.filter(kind__startswith="notice_"):
        top = SupervisionNotice.objects.filter(
            town=seq.town, year=seq.year, kind=seq.kind.removeprefix("notice_")).aggregate(
            m=Max("serial"))
        assert seq.last == top["m"]
    # Every generated dispute and petition has its own query code, of the rule's shape.
    codes = (list(Dispute.objects.filter(pk__gt=last_d).values_list("query_code", flat=True))
             + list(Petition.objects.filter(pk__gt=last_p).values_list("query_code", flat=True)))
    assert len(codes) == 2200 and None not in codes
    assert all(len(c) == LENGTH and set(c) <= set(ALPHABET) for c in codes)
    all_codes = (list(Dispute.objects.exclude(query_code=None).values_list("query_code",
                                                                          flat=True))
                 + list(Petition.objects.exclude(query_code=None).values_list("query_code",
                                                                             flat=True)))
    assert len(all_codes) == len(set(all_codes))
    # The public query page finds a generated case by its code and a phone's last digits.
    from outreach.services.public import case_for

    for case in (Dispute.objects.filter(pk__gt=last_d).last(),
                 Petition.objects.filter(pk__gt=last_p, docked_dispute=None).last()):
        people = case.parties.all() if isinstance(case, Dispute) else case.petitioners.all()
        assert case_for(code=case.query_code, phone_last4=people[0].phone[-4:]) == case
    assert tallies.differences() == []
    # The ledgers render for a town leader, first and last page.
    leader = client_as("leader")
    for name in ("petitions:ledger", "supervision:ledger"):
        for query in ("", "?page=last"):
            response = leader.get(reverse(name) + query)
            assert response.status_code == 200, (name, query)
    page = leader.get(reverse("petitions:ledger")).content.decode()
    newest = Petition.objects.filter(town__code="620823103").order_by("-received_on",
                                                                      "-id").first()
    assert newest.number in page
    # A generated case of each state opens on its page, actions and all.
    for model in (Petition, SupervisionNotice):
        for state in set(model.objects.values_list("state", flat=True)):
            case = model.objects.filter(town__code="620823103", state=state).order_by(
                "-id").first()
            if case is not None:
                assert leader.get(case.get_absolute_url()).status_code == 200, (model, state)


def test_a_petition_registered_after_the_county_takes_the_next_number():
    from django.contrib.auth import get_user_model
    from django.utils import timezone

    from petitions.models import Petition
    from supervision.models import SupervisionNotice
    from tests.petitions.factories import make_petition
    from tests.supervision.factories import issue

    generate_county(towns=1, cases=2000, seed=10)
    year = timezone.localdate().year
    town = Town.objects.order_by("id").first()
    top = Petition.objects.filter(town=town, year=year).aggregate(m=Max("serial"))["m"]
    petition = make_petition(by=get_user_model().objects.get(username="gm01"))
    assert petition.year == year and petition.serial == top + 1
    assert petition.number.endswith(f"〔{year}〕{top + 1}号")
    top_n = SupervisionNotice.objects.filter(town=town, year=year,
                                             kind="supervision").aggregate(m=Max("serial"))["m"]
    notice = issue(by=get_user_model().objects.get(username="leader"))
    assert notice.kind == "supervision" and notice.serial == top_n + 1

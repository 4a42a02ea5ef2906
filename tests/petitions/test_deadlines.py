"""The time limits of the 2022 信访工作条例 at month, year and leap-day ends:
accept within 15 days of receipt, reply within 60 days of acceptance (+ one extension of at
most 30), a review requested within 30 days of the answer and answered within 30 days.
A due date is the last day on which the act is in time."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from petitions import deadlines

from .factories import accept, deliver, extend, make_petition, reply, request_review

D = datetime.date


@pytest.mark.parametrize(("received", "due"), [
    (D(2026, 12, 20), D(2027, 1, 4)),   # across the year end
    (D(2026, 12, 17), D(2027, 1, 1)),   # lands on New Year's day
    (D(2027, 1, 31), D(2027, 2, 15)),
    (D(2027, 2, 14), D(2027, 3, 1)),    # no 29 February in 2027
    (D(2028, 2, 14), D(2028, 2, 29)),   # ... but there is in 2028
    (D(2028, 2, 29), D(2028, 3, 15)),
    (D(2026, 4, 30), D(2026, 5, 15)),
])
def test_accept_due_is_fifteen_calendar_days_after_receipt(received, due):
    assert deadlines.accept_due(received) == due


@pytest.mark.parametrize(("accepted", "extension", "due"), [
    (D(2026, 12, 31), 0, D(2027, 3, 1)),
    (D(2026, 12, 31), 30, D(2027, 3, 31)),
    (D(2026, 12, 31), 1, D(2027, 3, 2)),
    (D(2027, 12, 31), 0, D(2028, 2, 29)),   # leap year: 29 February is the last day
    (D(2027, 12, 31), 30, D(2028, 3, 30)),
    (D(2028, 2, 29), 0, D(2028, 4, 29)),
    (D(2028, 2, 29), 30, D(2028, 5, 29)),
    (D(2026, 11, 1), 0, D(2026, 12, 31)),
    (D(2026, 11, 2), 0, D(2027, 1, 1)),
])
def test_reply_due_is_sixty_days_after_acceptance_plus_the_extension(accepted, extension, due):
    assert deadlines.reply_due(accepted, extension) == due


def test_no_reply_due_before_acceptance():
    assert deadlines.reply_due(None) is None
    assert deadlines.review_request_until(None) is None


@pytest.mark.parametrize(("answered", "until", "answer_due"), [
    # answered → last day to request a review → that request answered by
    (D(2026, 12, 31), D(2027, 1, 30), D(2027, 3, 1)),
    (D(2027, 1, 31), D(2027, 3, 2), D(2027, 4, 1)),
    (D(2028, 1, 30), D(2028, 2, 29), D(2028, 3, 30)),
    (D(2028, 2, 29), D(2028, 3, 30), D(2028, 4, 29)),
    (D(2027, 2, 28), D(2027, 3, 30), D(2027, 4, 29)),
])
def test_review_window_and_review_answer_are_thirty_days_each(answered, until, answer_due):
    assert deadlines.review_request_until(answered) == until
    assert deadlines.review_answer_due(until) == answer_due


def test_at_most_thirty_days_of_extension():
    assert deadlines.MAX_EXTENSION_DAYS == 30


# --- The services store the same dates ------------------------------------------------------

@pytest.mark.django_db
def test_registration_on_new_years_eve_stores_the_accept_due_of_next_year(gm01, travel):
    travel(to=D(2026, 12, 31))
    petition = make_petition(by=gm01, received_on=D(2026, 12, 20))
    assert petition.accept_due == D(2027, 1, 4)
    assert petition.year == 2026
    assert petition.number.startswith("黄寨信〔2026〕")


@pytest.mark.django_db
def test_acceptance_on_new_years_eve_and_a_30_day_extension(gm01, leader, travel):
    travel(to=D(2026, 12, 31))
    petition = accept(make_petition(by=gm01, received_on=D(2026, 12, 20)), by=gm01)
    assert petition.accepted_on == D(2026, 12, 31)
    assert petition.reply_due == D(2027, 3, 1)
    extend(petition, by=gm01, approver=leader, days=30)
    assert petition.reply_due == D(2027, 3, 31)


@pytest.mark.django_db
def test_acceptance_on_a_leap_day(gm01, travel):
    travel(to=D(2028, 2, 29))
    petition = accept(make_petition(by=gm01, received_on=D(2028, 2, 29)), by=gm01)
    assert petition.accept_due == D(2028, 3, 15)
    assert petition.reply_due == D(2028, 4, 29)


@pytest.mark.django_db
def test_a_review_may_be_requested_on_the_last_day_of_the_window_and_not_after(
        gm01, petition, travel):
    travel(to=D(2028, 1, 30))
    answered = deliver(reply(accept(make_petition(by=gm01, received_on=D(2028, 1, 20)),
                                    by=gm01), by=gm01), by=gm01)
    assert answered.replied_on == answered.delivered_on == D(2028, 1, 30)
    travel(to=D(2028, 3, 1))
    with pytest.raises(ValidationError) as exc:
        request_review(answered, by=petition, requested_on=D(2028, 3, 1))
    assert "2028-02-29" in exc.value.message_dict["requested_on"][0]
    review = request_review(answered, by=petition, requested_on=D(2028, 2, 29))
    assert review.due_on == D(2028, 3, 30)

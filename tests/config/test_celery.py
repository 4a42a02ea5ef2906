"""The Celery app's limits: every task is stopped in time, and a task whose worker dies is
run again (every periodic task gives the same result if it runs twice)."""

from django.conf import settings

from config.celery import app


def test_tasks_have_a_soft_limit_below_the_hard_one():
    assert app.conf.task_soft_time_limit == settings.CELERY_TASK_SOFT_TIME_LIMIT == 300
    assert app.conf.task_time_limit == settings.CELERY_TASK_TIME_LIMIT == 360
    assert app.conf.task_soft_time_limit < app.conf.task_time_limit


def test_tasks_are_acknowledged_after_they_ran_one_message_at_a_time():
    assert app.conf.task_acks_late is True
    assert app.conf.worker_prefetch_multiplier == 1
    # Still acknowledged when it fails, times out or kills its process: never run forever.
    assert app.conf.task_acks_on_failure_or_timeout is True
    assert app.conf.task_reject_on_worker_lost is not True


def test_the_broker_redelivers_later_than_the_hard_limit():
    """On Redis an unacknowledged task is delivered again after the visibility timeout
    (an hour by default): it must outlast a task that runs to its hard limit."""
    visibility = (app.conf.broker_transport_options or {}).get("visibility_timeout", 3600)
    assert visibility > app.conf.task_time_limit

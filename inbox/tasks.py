"""Inbox tasks: delivering the outbox (e-mail, later SMS)."""

from celery import shared_task

from . import outbox


@shared_task(name="inbox.tasks.outbox_deliver", bind=True, ignore_result=True,
             max_retries=5)
def outbox_deliver(self, message_ids: list[int]) -> int:
    """Deliver these outbox rows now; retry the failed ones with back-off (1, 2, 4 …
    minutes). Rows still failing after the task's retries are left to the sweep."""
    result = outbox.outbox_deliver(ids=message_ids)
    if result.failed and self.request.retries < self.max_retries:
        raise self.retry(args=[result.failed],
                         countdown=outbox.retry_delay(self.request.retries + 1))
    return result.delivered


@shared_task(name="inbox.tasks.outbox_sweep", ignore_result=True)
def outbox_sweep() -> int:
    """Deliver every row that is due: those the broker never received, and those whose
    back-off is over. Gives the same result if it runs twice."""
    return outbox.outbox_deliver().delivered

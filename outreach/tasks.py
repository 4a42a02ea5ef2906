"""SMS tasks: send now after a commit (with retries), the sweep, the status poll and the
judicial-confirmation reminders."""

from celery import shared_task

from . import services
from .services.sms import retry_delay


@shared_task(name="outreach.tasks.sms_deliver", bind=True, ignore_result=True, max_retries=8)
def sms_deliver(self, message_ids: list[int]) -> int:
    """Send these messages; retry the failed ones after their back-off. Those still waiting
    when the retries are spent are left to the sweep."""
    failed = services.sms_deliver(ids=message_ids)
    if failed and self.request.retries < self.max_retries:
        raise self.retry(args=[failed], countdown=retry_delay(self.request.retries + 1))
    return len(message_ids) - len(failed)


@shared_task(name="outreach.tasks.sms_sweep", ignore_result=True)
def sms_sweep() -> int:
    """Send every message that is due (the broker missed it, its back-off or the quiet hours
    are over) and ask the gateway about the ones it accepted. Same result if run twice."""
    failed = services.sms_deliver()
    services.sms_refresh_status()
    return len(failed)


@shared_task(name="outreach.tasks.confirmation_reminders", ignore_result=True)
def confirmation_reminders() -> int:
    return services.confirmation_reminders()

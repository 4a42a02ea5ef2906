"""The Celery application and the one periodic schedule of the project.

Every periodic entry says when it runs in plain words, in Asia/Shanghai time
(``CELERY_TIMEZONE``). Each task gives the same result if it runs twice.
"""

import os

from celery import Celery
from celery.schedules import crontab

from .runtime import celery_folders_make

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.base")

app = Celery("config")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@app.on_after_configure.connect
def _folders_make(sender, source, **kwargs):
    """The filesystem broker's folders and beat's schedule folder, made once per process
    when Celery first reads its configuration: before a worker or beat starts and before
    the web sends its first task. Kombu makes none of them with their parents."""
    celery_folders_make(source)


app.conf.beat_schedule = {
    # Every evening at 20:30: the daily screening record of each town (一日一排查化解), and a
    # reminder to the grid members who have not reported and their grid leaders.
    "cadence-daily": {
        "task": "cadence.tasks.run_sweep",
        "schedule": crontab(hour=20, minute=30),
        "args": ("daily",),
    },
    # Every Monday at 07:00: the summary of the past week (一周一调度汇总).
    "cadence-weekly": {
        "task": "cadence.tasks.run_sweep",
        "schedule": crontab(hour=7, minute=0, day_of_week="mon"),
        "args": ("weekly",),
    },
    # On the 1st of each month at 07:30: the analysis of the past month (一月一分析研判).
    "cadence-monthly": {
        "task": "cadence.tasks.run_sweep",
        "schedule": crontab(hour=7, minute=30, day_of_month="1"),
        "args": ("monthly",),
    },
    # Every Monday at 07:20, after the weekly summary: each town's draft bulletin (情况通报)
    # from it, for the leadership to edit and issue.
    "reporting-weekly-bulletin": {
        "task": "reporting.tasks.bulletin_draft_sweep",
        "schedule": crontab(hour=7, minute=20, day_of_week="mon"),
        "args": ("weekly",),
    },
    # On the 1st of each month at 07:50, after the monthly analysis: the monthly bulletin's draft.
    "reporting-monthly-bulletin": {
        "task": "reporting.tasks.bulletin_draft_sweep",
        "schedule": crontab(hour=7, minute=50, day_of_month="1"),
        "args": ("monthly",),
    },
    # Every 15 minutes, day and night: alert what is near or past its deadline (disputes'
    # tiers, petitions' accept / reply / review dues, notices) at T-3 days, T-1 day and overdue.
    "supervision-deadline-alerts": {
        "task": "supervision.tasks.deadline_alerts_sweep",
        "schedule": crontab(minute="*/15"),
    },
    # Every night at 02:30: recount each town's organisation for the summary cache.
    "grid-organisation-snapshot": {
        "task": "grid.tasks.organisation_snapshot_take_all",
        "schedule": crontab(hour=2, minute=30),
    },
    # Every minute: hand the notifications still waiting in the outbox to their channel
    # (e-mail): those the broker missed while it was away and those whose back-off is over.
    "inbox-outbox-sweep": {
        "task": "inbox.tasks.outbox_sweep",
        "schedule": crontab(),
    },
    # Every minute: send the text messages that are due (those the broker missed, those
    # whose back-off or the quiet hours 22:00–07:00 are over) and ask the gateway their status.
    "outreach-sms-sweep": {
        "task": "outreach.tasks.sms_sweep",
        "schedule": crontab(),
    },
    # Every morning at 09:00: remind the parties three days before their window for judicial
    # confirmation closes.
    "outreach-confirmation-reminders": {
        "task": "outreach.tasks.confirmation_reminders",
        "schedule": crontab(hour=9, minute=0),
    },
    # Every minute: the worker's heartbeat, which /health/ reads to tell it is alive.
    "core-worker-heartbeat": {
        "task": "core.tasks.worker_heartbeat",
        "schedule": crontab(),
    },
    # Every night at 03:00: forget the form and API tokens older than 30 days.
    "core-idempotency-keys-purge": {
        "task": "core.tasks.idempotency_keys_purge",
        "schedule": crontab(hour=3, minute=0),
    },
    # Every night at 03:10: delete the export files older than EXPORT_RETENTION_DAYS and
    # mark their jobs expired (the jobs stay).
    "core-export-files-purge": {
        "task": "core.tasks.export_files_purge",
        "schedule": crontab(hour=3, minute=10),
    },
}

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    """Utilities every app may use and that import no app of the project."""

    name = "core"
    verbose_name = _("公共")

    def ready(self):
        from celery.signals import task_success, worker_ready

        from . import lookups  # noqa: F401 - registers the ``__any_of`` lookup
        from .heartbeat import beat_entry_succeeded, worker_started

        task_success.connect(beat_entry_succeeded, dispatch_uid="core.beat_entry_succeeded",
                             weak=False)
        worker_ready.connect(worker_started, dispatch_uid="core.worker_started", weak=False)

        from django.contrib.auth.signals import user_logged_in

        from .middleware import session_lifetime_fix

        user_logged_in.connect(session_lifetime_fix, dispatch_uid="core.session_lifetime_fix")


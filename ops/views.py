"""``/health/``: JSON (``?format=json`` or ``Accept: application/json``) and plain text for
monitors and the compose healthchecks, a page for administrators."""

from django.contrib.auth.views import redirect_to_login
from health_check.views import HealthCheckView

from . import health


class HealthView(HealthCheckView):
    template_name = "ops/health.html"
    checks = health.ALL

    async def get(self, request, *args, **kwargs):
        response = await super().get(request, *args, **kwargs)
        if response.get("Content-Type", "").startswith("text/html"):
            user = await request.auser()
            if not user.is_staff:
                return redirect_to_login(request.get_full_path())
        return response


class WebHealthView(HealthView):
    """What the web container needs: database, cache, storage, broker."""

    checks = health.WEB


class WorkerHealthView(HealthView):
    """The worker container's own check: its heartbeat."""

    checks = (health.Worker,)


class BeatHealthView(HealthView):
    """The beat container's own check: every periodic entry ran when it was due."""

    checks = (health.Beat,)

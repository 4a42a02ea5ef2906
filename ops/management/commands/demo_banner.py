"""``make run``'s last words: once the web server answers, print where it is and how to log
in (after the start-up lines of web, worker and beat), then wait to be stopped with the
others (Ctrl-C). A process of ``Procfile.dev``: honcho stops every process when one ends."""

from __future__ import annotations

import time
import urllib.error
import urllib.request

from django.core.management.base import BaseCommand

LOGINS = (
    ("leader", "镇领导 town leadership"),
    ("office", "综治办 governance office"),
    ("gm01", "网格员 grid member"),
    ("med01", "调解员 mediator"),
    ("petition", "信访办 petition office"),
    ("admin", "系统管理员 administrator"),
)


class Command(BaseCommand):
    help = "Wait for the web server, print its address and the demo logins, then wait."

    def add_arguments(self, parser):
        parser.add_argument("--url", default="http://127.0.0.1:8000/")
        parser.add_argument("--timeout", type=float, default=120.0)
        parser.add_argument("--once", action="store_true", help="print and exit (for tests)")

    def handle(self, *args, url, timeout, once, **options):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                urllib.request.urlopen(url + "accounts/login/", timeout=2)  # noqa: S310 - local
                break
            except (urllib.error.URLError, OSError):
                time.sleep(0.5)
        time.sleep(1)  # let the worker's and beat's start-up lines come first
        lines = ["", "=" * 72, f"  黄寨镇演示系统 / Huangzhai demo: {url}",
                 "  登录 / logins (password demo12345):"]
        lines += [f"    {name:<10} {role}" for name, role in LOGINS]
        lines += ["  停止 / stop: Ctrl-C", "=" * 72, ""]
        self.stdout.write("\n".join(lines))
        self.stdout.flush()
        while not once:
            time.sleep(3600)

"""gunicorn's settings, in one place: the image's command is ``gunicorn -c
config/gunicorn.conf.py config.wsgi``, and docker-compose's ``web`` runs it unchanged.

Each setting may be changed through the environment variable beside it (README.md,
"Production"). https://docs.gunicorn.org/en/stable/settings.html
"""

import os


def _int(name: str, default: int) -> int:
    return int(os.environ.get(name) or default)


bind = os.environ.get("GUNICORN_BIND") or "0.0.0.0:8000"
workers = _int("GUNICORN_WORKERS", 3)
threads = _int("GUNICORN_THREADS", 1)
# A request still running after `timeout` seconds has its worker killed and replaced; on a
# restart, workers get `graceful_timeout` seconds to finish what they serve.
timeout = _int("GUNICORN_TIMEOUT", 60)
graceful_timeout = _int("GUNICORN_GRACEFUL_TIMEOUT", 30)
keepalive = _int("GUNICORN_KEEPALIVE", 5)
# Replace each worker after about this many requests (0: never), so a slow leak stays small;
# the jitter keeps workers from restarting all at once.
max_requests = _int("GUNICORN_MAX_REQUESTS", 1000)
max_requests_jitter = _int("GUNICORN_MAX_REQUESTS_JITTER", 100)
# The application is imported once, in the master, before the workers are forked: a worker
# replaced after `max_requests` starts serving at once instead of importing Django and every
# app first (a second of one core, during which the other workers serve alone). Nothing is
# connected at import (Django opens its database connections on the first query), so no
# connection is shared across the fork. Off (0) to have `kill -HUP` reload changed code.
preload_app = (os.environ.get("GUNICORN_PRELOAD") or "1").lower() not in ("0", "false", "no")
# "-" is standard output: the container's log.
accesslog = os.environ.get("GUNICORN_ACCESS_LOG") or "-"
errorlog = os.environ.get("GUNICORN_ERROR_LOG") or "-"
loglevel = os.environ.get("GUNICORN_LOG_LEVEL") or "info"
# Workers' heartbeat files in memory rather than on the container's overlay disk (gunicorn
# docs, "Blocking OS calls"); elsewhere gunicorn's own default.
if os.path.isdir("/dev/shm"):
    worker_tmp_dir = "/dev/shm"

"""gunicorn's settings live in config/gunicorn.conf.py, read from the environment, and the
image and docker-compose both run the one command that uses them."""

import json
import re
import runpy
from pathlib import Path

import yaml
from django.conf import settings

BASE_DIR = Path(settings.BASE_DIR)
CONF = BASE_DIR / "config" / "gunicorn.conf.py"


def _conf(monkeypatch, **env):
    for name in ("GUNICORN_BIND", "GUNICORN_WORKERS", "GUNICORN_TIMEOUT", "GUNICORN_ACCESS_LOG",
                 "GUNICORN_PRELOAD"):
        monkeypatch.delenv(name, raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    return runpy.run_path(str(CONF))


def test_defaults_serve_port_8000_with_three_workers_and_an_access_log(monkeypatch):
    conf = _conf(monkeypatch)
    assert conf["bind"] == "0.0.0.0:8000"
    assert conf["workers"] == 3
    assert conf["timeout"] == 60 and conf["graceful_timeout"] == 30
    assert conf["accesslog"] == "-"
    assert conf["preload_app"] is True


def test_preloading_can_be_turned_off_and_empty_means_on(monkeypatch):
    assert _conf(monkeypatch, GUNICORN_PRELOAD="0")["preload_app"] is False
    assert _conf(monkeypatch, GUNICORN_PRELOAD="false")["preload_app"] is False
    assert _conf(monkeypatch, GUNICORN_PRELOAD="")["preload_app"] is True


def test_the_preloaded_application_holds_no_connection_to_share_across_the_fork():
    """gunicorn imports the application in its master and forks the workers from it: the
    import must not open a database or cache connection the workers would share."""
    import os
    import subprocess
    import sys

    probe = ("import config.wsgi\n"
             "from django.db import connections\n"
             "open_ = [c.alias for c in connections.all() if c.connection is not None]\n"
             "assert not open_, open_\n")
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings.base", "DEBUG": "1"}
    result = subprocess.run([sys.executable, "-c", probe], cwd=BASE_DIR, env=env,
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr


def test_the_environment_changes_them_and_empty_means_the_default(monkeypatch):
    conf = _conf(monkeypatch, GUNICORN_BIND="127.0.0.1:9000", GUNICORN_WORKERS="5",
                 GUNICORN_TIMEOUT="")
    assert conf["bind"] == "127.0.0.1:9000"
    assert conf["workers"] == 5
    assert conf["timeout"] == 60


def test_the_image_runs_gunicorn_with_the_config_and_compose_keeps_that_command():
    dockerfile = (BASE_DIR / "Dockerfile").read_text()
    cmd = json.loads(re.search(r"^CMD (\[.*\])$", dockerfile, re.MULTILINE)[1])
    assert cmd == ["gunicorn", "-c", "config/gunicorn.conf.py", "config.wsgi"]
    services = yaml.safe_load((BASE_DIR / "docker-compose.yml").read_text())["services"]
    assert "command" not in services["web"]
    assert not any("gunicorn" in str(service.get("command", ""))
                   for service in services.values())

"""Folders: importing the settings creates none; the processes that write there make them,
and Celery's filesystem broker keeps all of its files under VAR_DIR."""

import os
import shutil
import subprocess
import sys
from pathlib import Path

from django.conf import settings

from config.runtime import celery_folders_make, sqlite_folder

BASE_DIR = Path(settings.BASE_DIR)


def _run(args, *, cwd, var_dir, pythonpath=BASE_DIR, **env):
    """``args`` in a fresh interpreter with the embedded defaults under ``var_dir``."""
    environment = {key: value for key, value in os.environ.items()
                   if key not in {"DJANGO_SETTINGS_MODULE", "MEDIA_ROOT", "STATIC_ROOT"}}
    environment.update(
        PYTHONPATH=str(pythonpath), VAR_DIR=str(var_dir),
        DATABASE_URL=f"sqlite:///{var_dir / 'db.sqlite3'}", REDIS_URL="",
        CELERY_BROKER_URL="filesystem://", CELERY_RESULT_BACKEND="", **env)
    return subprocess.run([sys.executable, *args], cwd=cwd, env=environment, text=True,
                          capture_output=True, timeout=120, check=True)


def test_importing_the_settings_creates_no_folder(tmp_path):
    var_dir = tmp_path / "var"
    _run(["-c", "import config.settings.base"], cwd=tmp_path, var_dir=var_dir)
    assert list(tmp_path.iterdir()) == []


def test_the_env_file_is_read_before_var_dir(tmp_path):
    project = tmp_path / "project"
    (project / "config" / "settings").mkdir(parents=True)
    (project / "config" / "__init__.py").touch()
    (project / "config" / "settings" / "__init__.py").touch()
    shutil.copy(BASE_DIR / "config" / "settings" / "base.py", project / "config" / "settings")
    (project / ".env").write_text(f"VAR_DIR={tmp_path / 'from-env-file'}\n")
    code = ("import config.settings.base as s; "
            "print(s.VAR_DIR, s.CELERY_BROKER_TRANSPORT_OPTIONS['control_folder'])")
    environment = {key: value for key, value in os.environ.items() if key != "VAR_DIR"}
    result = subprocess.run([sys.executable, "-c", code], cwd=tmp_path, text=True, check=True,
                            capture_output=True, timeout=60,
                            env={**environment, "PYTHONPATH": str(project), "REDIS_URL": "",
                                 "CELERY_BROKER_URL": "filesystem://"})
    var_dir, control = result.stdout.split()
    assert var_dir == str(tmp_path / "from-env-file")
    assert control == str(tmp_path / "from-env-file" / "celery" / "control")
    assert not (tmp_path / "from-env-file").exists()


def test_manage_py_makes_the_database_and_media_folders_and_keeps_its_settings_option(
        tmp_path):
    var_dir = tmp_path / "var"
    result = _run([str(BASE_DIR / "manage.py"), "diffsettings",
                   "--settings=config.settings.test"], cwd=tmp_path, var_dir=var_dir)
    assert "MD5PasswordHasher" in result.stdout  # --settings still chose the settings
    assert sorted(p.name for p in var_dir.iterdir()) == ["media"]
    assert list(tmp_path.iterdir()) == [var_dir]


def test_the_filesystem_broker_writes_only_under_var_dir(tmp_path):
    """A task sent on the embedded broker: the message and the exchange table lie under
    VAR_DIR/celery/, and nothing is written to the working directory."""
    var_dir = tmp_path / "var"
    code = ("import django; django.setup(); from config.celery import app; "
            "app.send_task('cadence.tasks.run_sweep', args=('daily',))")
    _run(["-c", code], cwd=tmp_path, var_dir=var_dir,
         DJANGO_SETTINGS_MODULE="config.settings.base")
    assert list(tmp_path.iterdir()) == [var_dir]
    celery_dir = var_dir / "celery"
    assert sorted(p.name for p in celery_dir.iterdir()) == ["broker", "control", "processed"]
    assert len(list((celery_dir / "broker").glob("*.msg"))) == 1
    assert (celery_dir / "control" / "celery.exchange").is_file()


def test_celery_folders_are_those_of_the_broker_and_of_beat(tmp_path):
    conf = {
        "broker_url": "filesystem://",
        "beat_schedule_filename": str(tmp_path / "var" / "celerybeat-schedule"),
        "broker_transport_options": {
            "data_folder_in": str(tmp_path / "var" / "in"),
            "data_folder_out": str(tmp_path / "var" / "out"),
            "processed_folder": str(tmp_path / "var" / "processed"),
            "control_folder": str(tmp_path / "var" / "control"),
        },
    }
    made = celery_folders_make(conf)
    assert {p.name for p in made} == {"var", "in", "out", "processed", "control"}
    assert all(p.is_dir() for p in made)


def test_celery_folders_on_redis_are_only_beats(tmp_path):
    conf = {"broker_url": "redis://127.0.0.1:6379/0",
            "beat_schedule_filename": str(tmp_path / "var" / "celerybeat-schedule")}
    assert celery_folders_make(conf) == [tmp_path / "var"]


def test_eager_celery_makes_no_folder(tmp_path):
    conf = {"task_always_eager": True, "broker_url": "filesystem://",
            "beat_schedule_filename": str(tmp_path / "var" / "celerybeat-schedule")}
    assert celery_folders_make(conf) == []
    assert not (tmp_path / "var").exists()


def test_sqlite_folder_is_the_files_folder_only():
    sqlite = "django.db.backends.sqlite3"
    assert sqlite_folder({"ENGINE": sqlite, "NAME": "/srv/var/db.sqlite3"}) == Path("/srv/var")
    assert sqlite_folder({"ENGINE": sqlite, "NAME": ":memory:"}) is None
    assert sqlite_folder({"ENGINE": sqlite,
                          "NAME": "file:memorydb_default?mode=memory&cache=shared"}) is None
    assert sqlite_folder({"ENGINE": "django.db.backends.postgresql", "NAME": "x"}) is None

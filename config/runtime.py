"""The folders that processes write to, created by the process that needs them.

The settings only name these folders (``VAR_DIR`` and what lies under it): importing them
creates nothing, so tests, ``manage.py check`` and the image build leave no folder behind.
``manage.py`` makes the database's and the media folder before it runs a command; the
Celery app makes the broker's and beat's when it is configured (config/celery.py).
"""

from __future__ import annotations

import importlib
import os
from collections.abc import Iterable, Mapping
from pathlib import Path

SQLITE = "django.db.backends.sqlite3"


def folders_make(folders: Iterable[Path]) -> list[Path]:
    """Create each folder with its parents unless it exists; returns them."""
    made = []
    for folder in folders:
        folder.mkdir(parents=True, exist_ok=True)
        made.append(folder)
    return made


def sqlite_folder(database: Mapping) -> Path | None:
    """The folder of a SQLite database file; None for another engine or an in-memory one."""
    name = str(database.get("NAME") or "")
    if database.get("ENGINE") != SQLITE or name in ("", ":memory:") or name.startswith("file:"):
        return None
    return Path(name).parent


def local_folders_make() -> list[Path]:
    """Create the SQLite database's folder (SQLite creates the file, not its folder) and
    ``MEDIA_ROOT``, as the settings named by ``DJANGO_SETTINGS_MODULE`` give them.

    The settings module is imported rather than read through ``django.conf.settings``: that
    would configure Django before ``manage.py --settings`` is parsed. If the module fails
    to import, this creates nothing and Django reports the error its own way.
    """
    from django.core.exceptions import ImproperlyConfigured

    try:
        config = importlib.import_module(os.environ["DJANGO_SETTINGS_MODULE"])
    except (KeyError, ImportError, ImproperlyConfigured):
        return []
    folders = [Path(config.MEDIA_ROOT)]
    database = sqlite_folder(config.DATABASES["default"])
    if database is not None:
        folders.append(database)
    return folders_make(folders)


def celery_folders_make(conf: Mapping) -> list[Path]:
    """Create the folders of Celery's filesystem broker (messages, processed messages and
    the exchange tables) and beat's schedule folder, from the Celery configuration ``conf``.

    Nothing when tasks run eagerly (tests): no message then reaches a broker.
    """
    if conf.get("task_always_eager"):
        return []
    folders = []
    schedule = conf.get("beat_schedule_filename")
    if schedule:
        folders.append(Path(schedule).parent)
    if str(conf.get("broker_url") or "").startswith("filesystem://"):
        options = conf.get("broker_transport_options") or {}
        for key in ("data_folder_in", "data_folder_out", "processed_folder", "control_folder"):
            if options.get(key):
                folders.append(Path(options[key]))
    return folders_make(folders)

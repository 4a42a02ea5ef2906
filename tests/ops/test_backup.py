"""``manage.py backup`` and ``manage.py restore``: a snapshot with checksums, restored into an
empty database with every case, event and file."""

from __future__ import annotations

import json
import sqlite3
import uuid
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.db import connection

from disputes.models import Attachment, Dispute, DisputeEvent
from ops.backup import BackupError, backup_restore, backup_verify, backup_write, sha256
from petitions.models import Petition, PetitionEvent
from supervision.models import NoticeEvent, SupervisionNotice
from tests.conftest import requires_postgres

TABLES = [Dispute, DisputeEvent, Petition, PetitionEvent, SupervisionNotice, NoticeEvent,
          Attachment]
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


def _admin(db: dict, sql: str) -> None:
    import psycopg2

    conn = psycopg2.connect(dbname="postgres", user=db["USER"] or None,
                            host=db["HOST"] or None, port=db["PORT"] or None,
                            password=db["PASSWORD"] or None)
    conn.autocommit = True
    with conn.cursor() as cursor:
        cursor.execute(sql)
    conn.close()


def _rows(db: dict) -> dict[str, list[int]]:
    import psycopg2

    conn = psycopg2.connect(dbname=db["NAME"], user=db["USER"] or None,
                            host=db["HOST"] or None, port=db["PORT"] or None,
                            password=db["PASSWORD"] or None)
    found = {}
    with conn.cursor() as cursor:
        for model in TABLES:
            cursor.execute(f'SELECT id FROM "{model._meta.db_table}" ORDER BY id')
            found[model._meta.label] = [row[0] for row in cursor.fetchall()]
        cursor.execute(f'SELECT file FROM "{Attachment._meta.db_table}" ORDER BY id')
        found["files"] = [row[0] for row in cursor.fetchall()]
    conn.close()
    return found


@requires_postgres
@pytest.mark.django_db(transaction=True)
def test_backup_of_the_demo_restores_into_a_fresh_database_with_every_case_event_and_file(
        demo_committed, settings, tmp_path):
    from django.contrib.auth import get_user_model

    from disputes.permissions import can_add_record
    from disputes.services import dispute_attachment_add

    settings.MEDIA_ROOT = tmp_path / "media"
    leader = get_user_model().objects.get(username="leader")
    dispute = next(d for d in Dispute.objects.order_by("pk") if can_add_record(d, leader))
    dispute_attachment_add(dispute=dispute, by=leader,
                           upload=SimpleUploadedFile("现场.png", PNG, content_type="image/png"))
    source = connection.settings_dict
    before = _rows(source)
    assert before["disputes.Dispute"] and before["files"]

    call_command("backup", "--to", str(tmp_path / "backups"), stdout=open("/dev/null", "w"))  # noqa: SIM115
    (folder,) = (tmp_path / "backups").iterdir()
    manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["engine"] == "postgresql"
    assert {"database.dump", f"media/{before['files'][0]}"} <= set(manifest["files"])

    fresh = dict(source, NAME=f"mediation_restore_{uuid.uuid4().hex[:8]}")
    _admin(source, f'CREATE DATABASE "{fresh["NAME"]}"')
    try:
        restored = backup_restore(folder=folder, db=fresh, media_root=tmp_path / "restored")
        assert restored.files == len(before["files"])
        assert _rows(fresh) == before
        for name in before["files"]:
            copy = tmp_path / "restored" / name
            assert sha256(copy) == sha256(settings.MEDIA_ROOT / name)
        # A second restore into the same, now full, database is refused.
        with pytest.raises(BackupError, match="不是空的"):
            backup_restore(folder=folder, db=fresh, media_root=tmp_path / "restored")
    finally:
        _admin(source, f'DROP DATABASE IF EXISTS "{fresh["NAME"]}"')


def _sqlite_backup(tmp_path) -> tuple[Path, dict]:
    db = {"ENGINE": "django.db.backends.sqlite3", "NAME": str(tmp_path / "db.sqlite3")}
    with sqlite3.connect(db["NAME"]) as conn:
        conn.execute("CREATE TABLE t (x)")
        conn.execute("INSERT INTO t VALUES (42)")
    media = tmp_path / "media" / "attachments"
    media.mkdir(parents=True)
    (media / "a.png").write_bytes(PNG)
    return backup_write(target=tmp_path / "backups", db=db, media_root=tmp_path / "media"), db


def test_the_embedded_sqlite_database_is_backed_up_and_restored(tmp_path):
    folder, _db = _sqlite_backup(tmp_path)
    target = {"ENGINE": "django.db.backends.sqlite3", "NAME": str(tmp_path / "new.sqlite3")}
    restored = backup_restore(folder=folder, db=target, media_root=tmp_path / "new-media")
    assert restored.files == 1
    with sqlite3.connect(target["NAME"]) as conn:
        assert conn.execute("SELECT x FROM t").fetchall() == [(42,)]
    assert (tmp_path / "new-media" / "attachments" / "a.png").read_bytes() == PNG
    with pytest.raises(BackupError, match="只能恢复到空数据库"):
        backup_restore(folder=folder, db=target, media_root=tmp_path / "new-media")


def test_a_changed_or_missing_file_fails_the_checksums(tmp_path):
    folder, _db = _sqlite_backup(tmp_path)
    assert set(backup_verify(folder)["files"]) == {"database.sqlite3", "media/attachments/a.png"}
    (folder / "media" / "attachments" / "a.png").write_bytes(b"changed")
    with pytest.raises(BackupError, match="校验不符 media/attachments/a.png"):
        backup_verify(folder)
    (folder / "media" / "attachments" / "a.png").unlink()
    with pytest.raises(CommandError, match="缺少 media/attachments/a.png"):
        call_command("restore", str(folder), "--check")

"""Backup and restore (备份与恢复): a snapshot of the database and the uploaded files, with a
manifest of checksums, and its restore into an empty database.

A backup is a folder ``backup-YYYYMMDD-HHMMSS/`` holding

    database.dump      PostgreSQL: ``pg_dump --format=custom`` (one consistent snapshot)
    database.sqlite3   SQLite (the embedded mode): SQLite's online backup, also consistent
    media/             a copy of ``MEDIA_ROOT`` (the attachments)
    manifest.json      when, which database engine, and every file's size and SHA-256

The database is dumped first and the files copied after it. Attachments are never deleted,
so every file a row of the dump names is in the copy; a file uploaded in between is an extra
file without a row, which does no harm.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import sqlite3
import subprocess
from dataclasses import dataclass
from pathlib import Path

from django.utils import timezone

MANIFEST = "manifest.json"
PG_DUMP = "database.dump"
SQLITE_COPY = "database.sqlite3"
MEDIA = "media"
FORMAT = 1


class BackupError(Exception):
    """A backup that cannot be written or restored; the message says why, in Chinese."""


def _engine(db: dict) -> str:
    engine = db["ENGINE"].rsplit(".", 1)[-1]
    if engine not in ("postgresql", "sqlite3"):
        raise BackupError(f"不支持的数据库：{db['ENGINE']}")
    return engine


def _pg_env(db: dict) -> dict:
    env = dict(os.environ)
    for key, var in (("HOST", "PGHOST"), ("PORT", "PGPORT"), ("USER", "PGUSER"),
                     ("PASSWORD", "PGPASSWORD")):
        if db.get(key):
            env[var] = str(db[key])
    return env


def _run(args: list[str], *, env: dict) -> None:
    done = subprocess.run(args, env=env, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise BackupError(f"{args[0]} 失败：{done.stderr.strip()[:2000]}")


def sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _files(folder: Path) -> dict[str, dict]:
    return {path.relative_to(folder).as_posix(): {"size": path.stat().st_size,
                                                  "sha256": sha256(path)}
            for path in sorted(folder.rglob("*"))
            if path.is_file() and path.name != MANIFEST}


def backup_write(*, target: Path, db: dict, media_root: Path) -> Path:
    """Write a backup folder under ``target`` and return it. Raises ``BackupError``."""
    engine = _engine(db)
    stamp = timezone.localtime()
    folder = Path(target) / f"backup-{stamp:%Y%m%d-%H%M%S}"
    if folder.exists():
        raise BackupError(f"已存在：{folder}")
    folder.mkdir(parents=True)
    if engine == "postgresql":
        _run(["pg_dump", "--format=custom", "--no-owner", "--no-privileges",
              "--file", str(folder / PG_DUMP), db["NAME"]], env=_pg_env(db))
    else:
        source = sqlite3.connect(db["NAME"])
        copy = sqlite3.connect(folder / SQLITE_COPY)
        with copy:
            source.backup(copy)
        copy.close()
        source.close()
    media = Path(media_root)
    if media.is_dir():
        shutil.copytree(media, folder / MEDIA)
    else:
        (folder / MEDIA).mkdir()
    manifest = {"format": FORMAT, "created_at": stamp.isoformat(), "engine": engine,
                "database": db["NAME"] if engine == "postgresql" else Path(db["NAME"]).name,
                "files": _files(folder)}
    (folder / MANIFEST).write_text(json.dumps(manifest, ensure_ascii=False, indent=2),
                                   encoding="utf-8")
    return folder


def backup_verify(folder: Path) -> dict:
    """Read the manifest and check every file's size and checksum; returns the manifest.
    Raises ``BackupError`` on a missing, changed or unlisted file."""
    folder = Path(folder)
    try:
        manifest = json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise BackupError(f"无法读取清单 {MANIFEST}：{exc}") from exc
    listed, found = manifest.get("files", {}), _files(folder)
    problems = [f"缺少 {name}" for name in sorted(set(listed) - set(found))]
    problems += [f"校验不符 {name}" for name in sorted(set(listed) & set(found))
                 if listed[name] != found[name]]
    problems += [f"清单外文件 {name}" for name in sorted(set(found) - set(listed))]
    if problems:
        raise BackupError("备份不完整或已被改动：" + "；".join(problems[:20]))
    return manifest


@dataclass
class Restored:
    engine: str
    files: int


def _pg_is_empty(db: dict) -> bool:
    import psycopg2

    params = {"dbname": db["NAME"], "user": db.get("USER") or None,
              "password": db.get("PASSWORD") or None, "host": db.get("HOST") or None,
              "port": db.get("PORT") or None}
    with psycopg2.connect(**{k: v for k, v in params.items() if v}) as conn, \
            conn.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM information_schema.tables "
                       "WHERE table_schema = 'public'")
        (tables,) = cursor.fetchone()
    conn.close()
    return tables == 0


def backup_restore(*, folder: Path, db: dict, media_root: Path) -> Restored:
    """Verify the backup, load its database into ``db`` (which must be empty: restore never
    overwrites data) and copy its files into ``media_root``. Raises ``BackupError``."""
    folder = Path(folder)
    manifest = backup_verify(folder)
    engine = _engine(db)
    if manifest["engine"] != engine:
        raise BackupError(f"备份来自 {manifest['engine']}，目标数据库是 {engine}。")
    if engine == "postgresql":
        if not _pg_is_empty(db):
            raise BackupError(f"目标数据库 {db['NAME']} 不是空的：只能恢复到空数据库。")
        _run(["pg_restore", "--no-owner", "--no-privileges", "--exit-on-error",
              "--single-transaction", "--dbname", db["NAME"], str(folder / PG_DUMP)],
             env=_pg_env(db))
    else:
        target = Path(db["NAME"])
        if target.exists() and target.stat().st_size > 0:
            raise BackupError(f"目标数据库文件 {target} 已存在：只能恢复到空数据库。")
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(folder / SQLITE_COPY, target)
    media = Path(media_root)
    copied = 0
    for source in sorted((folder / MEDIA).rglob("*")):
        if source.is_file():
            destination = media / source.relative_to(folder / MEDIA)
            destination.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, destination)
            copied += 1
    return Restored(engine=engine, files=copied)

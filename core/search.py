"""Search: what a typed query means, and the indexes that answer it.

One box in the header searches every kind of case the user may see. Each case app registers
its search in ``AppConfig.ready()`` (``core.registry.search_provider``); this module parses
the query once for all of them:

- a mobile number or a resident ID number is looked up exactly, through the keyed-hash column
  of the encrypted field (``core.fields``): personal data is never searched by substring;
- text of three characters or more is a substring of the number, names, title and
  description. On PostgreSQL the trigram indexes (``pg_trgm``, which splits Chinese text into
  character trigrams as well as Latin words) answer ``icontains`` without reading the table;
  elsewhere (SQLite in development) the same lookup reads the rows, which is fine at that size;
- shorter text (one or two characters: a surname, a two-character name) is a prefix of a name,
  answered by a b-tree pattern index: a substring of one or two characters has no trigram and
  would read every row.

Every search returns at most ``limit`` rows per kind, in a fixed number of queries.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.db import migrations
from django.db.models import Q

MIN_LENGTH = 2  # a single character matches half a county
SUBSTRING_FROM = 3  # trigrams need three characters
MOBILE_RE = re.compile(r"^1\d{10}$")
RESIDENT_ID_RE = re.compile(r"^\d{17}[\dXx]$")


@dataclass(frozen=True)
class Terms:
    text: str
    phone: str = ""
    id_number: str = ""

    @property
    def usable(self) -> bool:
        return len(self.text) >= MIN_LENGTH

    @property
    def substring(self) -> bool:
        return len(self.text) >= SUBSTRING_FROM


def parse(query: str | None) -> Terms:
    text = " ".join((query or "").split())[:80]
    compact = re.sub(r"[\s-]", "", text)
    return Terms(text=text,
                 phone=compact if MOBILE_RE.match(compact) else "",
                 id_number=compact.upper() if RESIDENT_ID_RE.match(compact) else "")


def text_q(terms: Terms, *, substring: list[str], prefix: list[str] = ()) -> Q:
    """Rows whose ``substring`` fields contain the text (three characters or more), or, for
    a shorter text, whose ``prefix`` fields start with it. Nothing for a phone or an ID
    number: those are looked up exactly (``person_q``), never as text."""
    q = Q(pk__in=[])
    if not terms.usable or terms.phone or terms.id_number:
        return q
    for name in substring if terms.substring else prefix:
        q |= Q(**{f"{name}__{'icontains' if terms.substring else 'istartswith'}": terms.text})
    return q


def person_q(terms: Terms, *, prefix: str = "") -> Q | None:
    """An exact phone or ID number through the hash column; None when the query is neither."""
    if terms.phone:
        return Q(**{f"{prefix}phone": terms.phone})
    if terms.id_number:
        return Q(**{f"{prefix}id_number": terms.id_number})
    return None


# --- Indexes ---------------------------------------------------------------------------------

def search_indexes(*, table: str, substring: list[str], prefix: list[str] = ()):
    """A migration operation: trigram GIN indexes on ``upper(column)`` (what ``icontains``
    compares) and pattern b-tree indexes for ``istartswith``, on PostgreSQL only (created
    with the ``pg_trgm`` extension, which needs a role allowed to create it)."""

    def names(kind, column):
        return f"{table}_{column}_{kind}"[:63]

    def forwards(apps, schema_editor):
        if schema_editor.connection.vendor != "postgresql":
            return
        schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
        for column in substring:
            schema_editor.execute(
                f'CREATE INDEX IF NOT EXISTS "{names("trgm", column)}" ON "{table}" '
                f'USING gin (UPPER("{column}"::text) gin_trgm_ops)')
        for column in prefix:
            schema_editor.execute(
                f'CREATE INDEX IF NOT EXISTS "{names("prefix", column)}" ON "{table}" '
                f'(UPPER("{column}"::text) text_pattern_ops)')

    def backwards(apps, schema_editor):
        if schema_editor.connection.vendor != "postgresql":
            return
        for column in substring:
            schema_editor.execute(f'DROP INDEX IF EXISTS "{names("trgm", column)}"')
        for column in prefix:
            schema_editor.execute(f'DROP INDEX IF EXISTS "{names("prefix", column)}"')

    return migrations.RunPython(forwards, backwards, elidable=False)

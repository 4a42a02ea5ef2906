"""Query codes for generated cases, made in SQL by the hundred thousand with the rule of
``casework.querycode``: ``LENGTH`` characters of ``ALPHABET``, drawn at random, taken by no
holder (dispute or petition) and by no other generated case.

The codes are drawn into a temporary table with a unique index; those already held, and the
duplicates the index turned away, are drawn again until every row has its own. The draw uses
``gen_random_uuid()`` (a strong random source), not the seeded ``random()`` of the generator:
a code is what the public query page opens a case by, and must not follow from the seed.
"""

from __future__ import annotations

from casework.querycode import ALPHABET, LENGTH, holders


def _code_expression() -> str:
    """One code as SQL, from 60 random bits ``x``: digit k is ``(x / base^k) % base``."""
    base = len(ALPHABET)
    if base ** LENGTH > 2 ** 60:
        raise RuntimeError("the query code needs more random bits than one draw gives")
    return " || ".join(
        f"substr(%(alphabet)s, 1 + ((x / {base ** k}::bigint) %% {base})::int, 1)"
        for k in range(LENGTH))


DRAW_SQL = """
INSERT INTO gen_codes (i, code)
SELECT i, {code}
FROM (SELECT s.i, ('x' || substr(md5(gen_random_uuid()::text), 1, 15))::bit(60)::bigint AS x
      FROM generate_series(1, %(n)s) AS s(i)
      WHERE NOT EXISTS (SELECT 1 FROM gen_codes c WHERE c.i = s.i)) r
ON CONFLICT DO NOTHING
"""


def draw_codes(cur, *, n: int) -> None:
    """Fill the temporary table ``gen_codes (i, code)`` with ``n`` codes, for i = 1 … n, each
    unique and held by no case yet."""
    cur.execute("DROP TABLE IF EXISTS gen_codes")
    cur.execute("CREATE TEMP TABLE gen_codes (i int PRIMARY KEY, code text NOT NULL UNIQUE)"
                " ON COMMIT DROP")
    sql = DRAW_SQL.format(code=_code_expression())
    tables = [model._meta.db_table for model in holders()]
    for _attempt in range(20):
        cur.execute(sql, {"n": n, "alphabet": ALPHABET})
        for table in tables:
            cur.execute(f"DELETE FROM gen_codes c USING {table} t"  # noqa: S608 (model table)
                        " WHERE t.query_code = c.code")
        cur.execute("SELECT count(*) FROM gen_codes")
        if cur.fetchone()[0] == n:
            return
    raise RuntimeError("no free query codes")  # 32**8 codes: practically unreachable

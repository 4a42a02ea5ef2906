"""The organisation stamp's triggers (``grid.models.OrganisationStamp``): any insert, update,
delete or truncate of a table the scope rule reads gives the stamp a new random value in the
same statement, so the stamp names one state of the organisation. Random rather than counted:
a rolled-back transaction's value is never handed out again for other data."""

from __future__ import annotations

# The tables ``grid.scope._compute`` reads.
SCOPE_TABLES = ("grid_staff", "grid_roleassignment", "grid_town", "grid_largegrid",
                "grid_smallgrid", "grid_household", "grid_mediationcommittee",
                "grid_serviceunit")

PG_FUNCTION = """
CREATE OR REPLACE FUNCTION grid_organisation_stamp_bump() RETURNS trigger AS $$
BEGIN
    UPDATE grid_organisationstamp SET stamp = gen_random_uuid()::text;
    RETURN NULL;
END;
$$ LANGUAGE plpgsql;
"""


def install_triggers(schema_editor) -> None:
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(PG_FUNCTION)
        for table in SCOPE_TABLES:
            schema_editor.execute(
                f"CREATE TRIGGER {table}_stamp AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE "
                f"ON {table} FOR EACH STATEMENT EXECUTE FUNCTION grid_organisation_stamp_bump()")
    elif vendor == "sqlite":
        for table in SCOPE_TABLES:
            for event in ("INSERT", "UPDATE", "DELETE"):
                schema_editor.execute(
                    f"CREATE TRIGGER {table}_stamp_{event.lower()} AFTER {event} ON {table} "
                    f"BEGIN UPDATE grid_organisationstamp SET stamp = lower(hex(randomblob(16)));"
                    f" END")


def remove_triggers(schema_editor) -> None:
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        for table in SCOPE_TABLES:
            schema_editor.execute(f"DROP TRIGGER IF EXISTS {table}_stamp ON {table}")
        schema_editor.execute("DROP FUNCTION IF EXISTS grid_organisation_stamp_bump()")
    elif vendor == "sqlite":
        for table in SCOPE_TABLES:
            for event in ("insert", "update", "delete"):
                schema_editor.execute(f"DROP TRIGGER IF EXISTS {table}_stamp_{event}")

"""``manage.py import_roster FILE --town ID [--sheet S] [--commit] [--report R.xlsx]``: check a
register and print the validation report (exit status 1 on errors); ``--commit`` writes."""

from ._base import ImportCommand


class Command(ImportCommand):
    help = "Import a town's organisation roster (grids, staff, committees) from .xlsx or .csv"
    kind = "roster"

"""``manage.py import_ledger FILE --town ID [--sheet S] [--commit] [--report R.xlsx]``: check a
register and print the validation report (exit status 1 on errors); ``--commit`` writes."""

from ._base import ImportCommand


class Command(ImportCommand):
    help = "Import a town's dispute ledger (矛盾纠纷摸排台账) from .xlsx or .csv"
    kind = "ledger"

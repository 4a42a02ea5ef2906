"""``manage.py import_petitions FILE --town ID [--sheet S] [--commit] [--report R.xlsx]``:
check a petition register and print the validation report (exit status 1 on errors);
``--commit`` writes."""

from ._base import ImportCommand


class Command(ImportCommand):
    help = "Import a town's petition register (信访登记簿) of replied or closed matters"
    kind = "petitions"

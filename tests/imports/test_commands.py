import pytest
from django.core.management import CommandError, call_command

from disputes.models import Dispute
from grid.models import Town
from imports.models import ImportBatch
from tests.imports import workbooks as wbs

pytestmark = pytest.mark.django_db


def test_import_ledger_is_a_dry_run_by_default_and_commits_with_the_flag(tmp_path, capsys):
    town = Town.objects.get(name="黄寨镇")
    path = tmp_path / "b.xlsx"
    path.write_bytes(wbs.ledger_two_row_header())
    before = Dispute.objects.count()
    call_command("import_ledger", str(path), "--town", str(town.pk))
    out = capsys.readouterr().out
    assert "rows 3: new 3, already there 0, in error 0" in out and "dry run" in out
    assert Dispute.objects.count() == before and not ImportBatch.objects.exists()
    call_command("import_ledger", str(path), "--town", str(town.pk), "--commit")
    assert "added 3, skipped 0" in capsys.readouterr().out
    assert Dispute.objects.count() == before + 3


def test_import_ledger_exits_non_zero_on_errors_and_writes_the_report(tmp_path, capsys):
    town = Town.objects.get(name="黄寨镇")
    path = tmp_path / "bad.xlsx"
    path.write_bytes(wbs.ledger_two_row_header(
        [[1, "2019.3.5", "火星村", "刘一", "", "合同纠纷", "x", "是", ""]]))
    report = tmp_path / "report.xlsx"
    with pytest.raises(CommandError, match="nothing written"):
        call_command("import_ledger", str(path), "--town", str(town.pk), "--commit",
                     "--report", str(report))
    assert "row 5: 本镇没有网格“火星村”" in capsys.readouterr().out
    assert report.stat().st_size > 0


def test_import_roster_commits_a_town(tmp_path, capsys):
    town = Town.objects.create(county=Town.objects.first().county, name="青山镇",
                               short_name="青山", code="620823199")
    path = tmp_path / "roster.xlsx"
    path.write_bytes(wbs.roster_workbook())
    call_command("import_roster", str(path), "--town", str(town.pk), "--commit")
    assert "added 17" in capsys.readouterr().out
    assert town.large_grids.count() == 2

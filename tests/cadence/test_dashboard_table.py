"""The dashboard's grid table, written in Python: the same cells and links the template wrote,
each text escaped."""

from django.template import Context, Template
from django.urls import reverse
from django.utils import translation


def test_grid_rows_link_to_the_ledger_and_escape_the_name():
    grids = [{"id": 7, "name": "<b>一村</b>", "small": 5, "reported_today": 3, "week_rate": 42.5,
              "open": 1234, "overdue": 2},
             {"id": 8, "name": "二村", "small": 4, "reported_today": 0, "week_rate": 0,
              "open": 0, "overdue": 0}]
    with translation.override("zh-hans"):
        html = Template("{% load dashboard %}{% grid_table_body grids %}").render(
            Context({"grids": grids}))
    ledger = reverse("disputes:ledger")
    assert html == (
        f'<tr><td><a href="{ledger}?large_grid=7">&lt;b&gt;一村&lt;/b&gt;</a></td><td>5</td>'
        f'<td>3/5</td><td>42.5%</td><td>1234</td>'
        f'<td><a class="overdue" href="{ledger}?large_grid=7&amp;overdue=on">2</a></td></tr>'
        f'<tr><td><a href="{ledger}?large_grid=8">二村</a></td><td>4</td><td>0/4</td>'
        f'<td>0%</td><td>0</td><td>0</td></tr>')

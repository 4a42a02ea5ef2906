"""The dashboard's grid table, written in Python: a county has about ninety large grids, each
a row of five figures and up to two links, which the template engine would resolve one node
at a time (about 8 ms of a county's home page on a 2-core server)."""

from html import escape

from django import template
from django.urls import reverse
from django.utils.formats import get_format
from django.utils.safestring import mark_safe

register = template.Library()


@register.simple_tag
def grid_table_body(grids) -> str:
    """``<tr>`` rows for ``grids`` (``cadence.selectors.dashboard``'s ``grids``): the large
    grid links to its ledger, a count of overdue cases to its overdue ones."""
    ledger = escape(reverse("disputes:ledger"))
    # What the template's {{ }} wrote (no thousands separator is set): the counts as written,
    # the rate with the language's decimal separator, looked up once and not per cell.
    decimal = get_format("DECIMAL_SEPARATOR")
    out = []
    for g in grids:
        grid = f"{ledger}?large_grid={int(g['id'])}"
        small = int(g["small"])
        rate = str(g["week_rate"]).replace(".", decimal)
        overdue = (f'<a class="overdue" href="{grid}&amp;overdue=on">{int(g["overdue"])}</a>'
                   if g["overdue"] else "0")
        out.append(
            f'<tr><td><a href="{grid}">{escape(str(g["name"]))}</a></td><td>{small}</td>'
            f'<td>{int(g["reported_today"])}/{small}</td><td>{rate}%</td>'
            f'<td>{int(g["open"])}</td><td>{overdue}</td></tr>')
    return mark_safe("".join(out))  # noqa: S308 — the one text (the name) escaped above

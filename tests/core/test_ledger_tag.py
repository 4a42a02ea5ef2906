"""``{% ledger_body %}``: a ledger's rows written in Python, with the same escaping as the
template engine's."""

from django.template import Context, Template

TAG = Template("{% load ledger %}{% ledger_body rows %}")
PRINT = Template("{% load ledger %}{% ledger_body rows link=False %}")


def _render(template, rows):
    return template.render(Context({"rows": rows}))


def test_cells_are_escaped_and_the_number_links_to_the_case():
    html = _render(TAG, [{"cells": [1, "A<1>", "<script>x</script>", None, "a&b"],
                          "url": "/disputes/7/?x=1&y=2", "overdue": False}])
    assert html == ('<tr><td>1</td><td><a href="/disputes/7/?x=1&amp;y=2">A&lt;1&gt;</a></td>'
                    "<td>&lt;script&gt;x&lt;/script&gt;</td><td></td><td>a&amp;b</td></tr>")


def test_an_overdue_row_is_marked_and_the_print_links_nothing():
    rows = [{"cells": ["1", "N-1"], "url": "/d/1/", "overdue": True},
            {"cells": ["2", "N-2"], "url": "/d/2/"}]
    assert _render(TAG, rows).startswith('<tr class="overdue"><td>1</td><td><a href="/d/1/">')
    printed = _render(PRINT, rows)
    assert "<a " not in printed and 'class="overdue"' in printed
    assert printed.count("<tr") == 2


def test_no_rows_write_nothing():
    assert _render(TAG, []) == ""

"""A ledger's filter form, rendered once while nothing is chosen in it.

A ledger opens with its filter form empty: the same fields, the same options (the scoped
grids, the choices) and so the same HTML for a user in a language until the organisation
changes, yet rendering it costs a page more than any other part but its rows (a widget and
its options, the labels translated, one node at a time). ``{% kept_unfiltered form %}`` …
``{% endkept_unfiltered %}`` renders what it encloses once and then reads it from this
process's memory (``grid.scope.organisation_kept``: by the organisation stamp and the day),
while ``form`` has no value in any of its fields; a form with a value chosen is rendered
every time (its values and errors are in its HTML).

The enclosed block must show ``form`` and nothing that changes otherwise: the form's
options only from the tables the organisation stamp covers or from code (``GridFilterForm``
and static choices), no CSRF token (a GET form has none), no request data but the form's.
"""

from django import template
from django.utils.safestring import mark_safe
from django.utils.translation import get_language

from grid.scope import organisation_kept

register = template.Library()


def unfiltered(form) -> bool:
    """Whether ``form`` has no value in any of its fields (unbound, or bound to a query that
    holds only other parameters: the page, a cursor, the order)."""
    if not form.is_bound:
        return True
    getlist = getattr(form.data, "getlist", None)
    for name in form.fields:
        key = form.add_prefix(name)
        values = getlist(key) if getlist else [form.data.get(key)]
        if any(v not in (None, "") for v in values):
            return False
    return True


class KeptUnfilteredNode(template.Node):
    def __init__(self, nodelist, form):
        self.nodelist = nodelist
        self.form = form

    def render(self, context):
        form = self.form.resolve(context)
        request = context.get("request")
        user = getattr(request, "user", None)
        if form is None or user is None or not unfiltered(form):
            return self.nodelist.render(context)
        # Where the block is (a template may hold more than one), whose scope, which
        # language, which form; bound or not (an empty query renders as unbound, but each
        # is kept as it rendered).
        where = (self.origin.name if self.origin else "", self.token.lineno if self.token
                 else 0)
        args = (where, user.pk, get_language(), type(form).__qualname__, form.is_bound)
        html = organisation_kept("kept_unfiltered", args,
                                 lambda: str(self.nodelist.render(context)))
        return mark_safe(html)  # noqa: S308 — the template's own output, escaped by it


@register.tag
def kept_unfiltered(parser, token):
    bits = token.split_contents()
    if len(bits) != 2:
        raise template.TemplateSyntaxError(f"{bits[0]} takes one argument: the form")
    nodelist = parser.parse(("endkept_unfiltered",))
    parser.delete_first_token()
    return KeptUnfilteredNode(nodelist, parser.compile_filter(bits[1]))

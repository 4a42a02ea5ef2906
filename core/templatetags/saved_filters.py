"""``{% saved_filters "disputes:ledger" %}``: the user's saved filters of a list and the form
that saves the current one (core.saved_filters)."""

from django import template

from core import saved_filters as saved

register = template.Library()


@register.inclusion_tag("core/_saved_filters.html", takes_context=True)
def saved_filters(context, page):
    request = context["request"]
    rows = saved.saved_filters_for(user=request.user, page=page)
    current = saved.clean_query(request.GET.urlencode())
    return {
        "page": page, "query": current, "csrf_token": context.get("csrf_token"),
        "filters": [{"pk": f.pk, "name": f.name, "url": saved.saved_filter_url(f),
                     "active": f.query == current} for f in rows],
    }

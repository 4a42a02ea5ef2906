from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.http import JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.http import urlencode

from . import registry
from . import search as search_terms
from .forms import LoginForm

SEARCH_LIMIT = 8  # per kind: the header's list and the results page show the first ones


class LoginView(auth_views.LoginView):
    form_class = LoginForm
    redirect_authenticated_user = True


@login_required
def search(request):
    """The header search: each registered kind's first matches in the user's scope, grouped
    by kind; JSON (``?format=json``) for the suggestions as one types, a page otherwise."""
    query = request.GET.get("q", "")
    terms = search_terms.parse(query)
    groups = []
    if terms.usable:
        for provider in registry.search_providers():
            results = provider.search(request.user, terms.text, SEARCH_LIMIT)
            if results:
                more = (f"{reverse(provider.more_url_name)}?{urlencode({'q': terms.text})}"
                        if provider.more_url_name else "")
                groups.append({"key": provider.key, "label": str(provider.label),
                               "results": results, "more_url": more})
    if request.GET.get("format") == "json":
        return JsonResponse({"query": terms.text, "groups": groups,
                             "too_short": bool(terms.text) and not terms.usable})
    return render(request, "core/search.html", {
        "query": terms.text, "search_query": terms.text, "groups": groups,
        "too_short": not terms.usable,
        "min_length": search_terms.MIN_LENGTH, "limit": SEARCH_LIMIT})

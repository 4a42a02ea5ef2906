from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from . import registry, saved_filters
from . import search as search_terms
from .forms import LoginForm
from .models import SavedFilter

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


@login_required
@require_POST
def saved_filter_create(request):
    page = request.POST.get("page", "")
    try:
        saved = saved_filters.saved_filter_save(
            user=request.user, page=page, name=request.POST.get("name", ""),
            query=request.POST.get("query", ""))
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
        if page not in saved_filters.PAGES:
            raise Http404 from exc
        return redirect(f"{reverse(page)}?{saved_filters.clean_query(request.POST.get('query'))}")
    messages.success(request, _("已保存筛选“%(name)s”。") % {"name": saved.name})
    return redirect(saved_filters.saved_filter_url(saved))


@login_required
@require_POST
def saved_filter_delete(request, pk):
    try:
        page = saved_filters.saved_filter_delete(user=request.user, pk=pk)
    except SavedFilter.DoesNotExist as exc:
        raise Http404 from exc
    messages.success(request, _("已删除筛选。"))
    return redirect(reverse(page))

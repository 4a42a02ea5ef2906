from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, JsonResponse
from django.shortcuts import redirect, render
from django.templatetags.static import static
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from . import export_jobs, registry, saved_filters
from . import search as search_terms
from .forms import LoginForm
from .models import ExportJob, SavedFilter

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


def _export_job_page(request, job, *, status=200):
    expired = job.state == ExportJob.State.EXPIRED or (
        job.state == ExportJob.State.DONE and export_jobs.export_job_file_gone(job))
    return render(request, "core/exportjob_detail.html", {
        "job": job, "expired": expired,
        "retention_days": export_jobs.export_retention_days(),
        "again_url": export_jobs.export_again_url(job) if expired else None,
    }, status=status)


@login_required
def export_job(request, pk):
    """A large export's page: its progress while the worker writes it, then the download
    (JSON with ``?format=json`` for the progress bar), and once the file has been deleted
    after the retention days, that it expired and where to export it again."""
    try:
        job = export_jobs.export_job_get(user=request.user, pk=pk)
    except ExportJob.DoesNotExist as exc:
        raise Http404 from exc
    if request.GET.get("format") == "json":
        return JsonResponse({
            "state": job.state, "done": job.done, "total": job.total,
            "download": reverse("export_download", args=[job.pk])
            if job.state == ExportJob.State.DONE else None})
    return _export_job_page(request, job)


@login_required
def export_download(request, pk):
    """The file; for an export whose file has been deleted (expired), 410 and the page that
    says so."""
    try:
        job = export_jobs.export_job_get(user=request.user, pk=pk)
    except ExportJob.DoesNotExist as exc:
        raise Http404 from exc
    if job.state == ExportJob.State.EXPIRED or (
            job.state == ExportJob.State.DONE and export_jobs.export_job_file_gone(job)):
        return _export_job_page(request, job, status=410)
    if job.state != ExportJob.State.DONE:
        raise Http404
    return FileResponse(job.file.open("rb"), as_attachment=True, filename=job.filename,
                        content_type="application/vnd.openxmlformats-officedocument."
                                     "spreadsheetml.sheet")


def favicon(request):
    """``/favicon.ico``, which browsers ask for on a page without an icon link (the print
    views): the app's own icon, shipped with it, not a 404 page rendered for each visitor.
    Resolved per request: the production storage's manifest is read, not the URLconf's."""
    return redirect(static("img/favicon.svg"), permanent=True)

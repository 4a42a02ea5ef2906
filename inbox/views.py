"""The inbox pages: the user's own messages only."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from core.counts import page_of

from . import services
from .models import Notification


@login_required
def inbox(request):
    qs = Notification.objects.filter(recipient=request.user)
    page = page_of(qs, 30, request.GET.get("page"))
    return render(request, "inbox/notification_list.html", {"page": page})


@login_required
@require_POST
def notification_read(request, pk):
    """Mark one message read and follow its link (only to this site)."""
    note = get_object_or_404(Notification, pk=pk, recipient=request.user)
    services.notification_mark_read(notification=note)
    target = note.url if url_has_allowed_host_and_scheme(
        note.url, allowed_hosts={request.get_host()}) and note.url else "inbox"
    return redirect(target)


@login_required
@require_POST
def notification_read_all(request):
    services.notification_mark_all_read(user=request.user)
    return redirect("inbox")

from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django_fsm import ConcurrentTransition, TransitionNotAllowed

from .forms import LoginForm
from .models import Notification


class LoginView(auth_views.LoginView):
    form_class = LoginForm
    redirect_authenticated_user = True


@login_required
def inbox(request):
    qs = Notification.objects.filter(recipient=request.user)
    page = Paginator(qs, 30).get_page(request.GET.get("page"))
    return render(request, "core/notification_list.html", {"page": page})


@login_required
@require_POST
def notification_read(request, pk):
    """Mark one message read and follow its link (only to this site)."""
    note = get_object_or_404(Notification, pk=pk, recipient=request.user)
    if note.read_at is None:
        note.read_at = timezone.now()
        note.save(update_fields=["read_at"])
    target = note.url if url_has_allowed_host_and_scheme(
        note.url, allowed_hosts={request.get_host()}) and note.url else "inbox"
    return redirect(target)


@login_required
@require_POST
def notification_read_all(request):
    Notification.objects.filter(recipient=request.user, read_at__isnull=True).update(
        read_at=timezone.now())
    return redirect("inbox")


def apply_form_errors(form, exc: ValidationError) -> None:
    """Put a service's ``ValidationError`` on the form: field errors on their fields when the
    form has them, the rest on top."""
    if hasattr(exc, "error_dict"):
        for field, errors in exc.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc.messages)


def action_response(request, *, obj, form, perform, label, rerender, stale_message):
    """The page side of a case action, the same for every case model: refuse a stale page
    (the state the user saw travels in ``seen_state``), run ``perform(cleaned_data)``, and
    answer with a message and a redirect to the case, or the form again with its errors."""
    if form.is_valid():
        if form.cleaned_data["seen_state"] != obj.state:
            messages.error(request, stale_message)
            return redirect(obj)
        try:
            perform(form.cleaned_data)
        except ValidationError as exc:
            apply_form_errors(form, exc)
        except (PermissionDenied, TransitionNotAllowed, ConcurrentTransition) as exc:
            messages.error(request, str(exc) or _("当前状态下不能进行此操作。"))
            return redirect(obj)
        else:
            messages.success(request, _("已完成：%(action)s。") % {"action": label})
            return redirect(obj)
    return rerender(form)

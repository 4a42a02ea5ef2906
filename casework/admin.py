"""The admin side of case actions: django-fsm's transition buttons, derived from the app's
``ActionSet`` and run through the same services as the pages and the API (lock, permission,
history row, notification). Cases and their history are never deleted."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext_lazy as _
from django_fsm import ConcurrentTransition, TransitionNotAllowed
from django_fsm.admin import FSMAdminMixin

from grid.admin import ScopedAdmin, ScopedInline

from .actions import ActionSet


class ReadOnlyInline(ScopedInline):
    """A case's related rows in its admin page: shown, never added, changed or deleted
    there (the services write them)."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class ReadOnlyAdmin(ScopedAdmin):
    """Records that their services write (history rows, agreements, attachments, stored
    figures): shown in scope, never added, changed or deleted in the admin."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class CaseActionsAdmin(FSMAdminMixin, ScopedAdmin):
    """Set ``case_actions`` to the app's ``ActionSet`` and say how cases are scoped
    (``scope_queryset``). Read-only but for the buttons."""

    case_actions: ActionSet
    fsm_fields = ["state"]

    def __init__(self, model, admin_site):
        self.fsm_forms = {a.name: a.admin_form for a in self.case_actions if a.admin_form}
        super().__init__(model, admin_site)

    def has_add_permission(self, request):
        # Cases are logged through the intake page or the API, which number and route them.
        return False

    def get_readonly_fields(self, request, obj=None):
        # Every write to a case goes through a service, with its checks and history row: the
        # admin shows the fields and offers the transition buttons, it does not edit them.
        return [f.name for f in (*self.model._meta.fields, *self.model._meta.many_to_many)]

    def is_fsm_transition_visible(self, transition):
        return transition.name in self.fsm_forms

    def get_fsm_label(self, transition):
        action = self.case_actions.get(transition.name)
        return action.label if action else transition.name

    def get_fsm_block_label(self, fsm_field_name):
        return _("办理操作")

    def _apply_fsm_transition(self, *, obj, transition_name, request, kwargs=None):
        action = self.case_actions.get(transition_name)
        try:
            self.case_actions.run(action, case=obj, by=request.user,
                                  inputs=action.admin_inputs(dict(kwargs or {})))
        except (TransitionNotAllowed, ConcurrentTransition, PermissionDenied) as exc:
            self.message_user(request, str(exc) or _("当前状态下不能进行此操作。"),
                              level=messages.ERROR)
            return False
        except ValidationError as exc:
            self.message_user(request, "；".join(exc.messages), level=messages.ERROR)
            return False
        self.message_user(request, _("已完成：%(label)s") % {"label": action.label},
                          level=messages.SUCCESS)
        return True

"""Django admin for disputes: scoped lists, history inline, transition buttons that go through
the same services as the pages and the API. Nothing can be deleted."""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext_lazy as _
from django_fsm import ConcurrentTransition, TransitionNotAllowed
from django_fsm.admin import FSMAdminMixin

from grid import scope as scope_rule

from . import services
from .models import (
    Attachment,
    Dispute,
    DisputeEvent,
    FollowUpVisit,
    MediationAgreement,
    MediationSession,
    Party,
    ReferralTarget,
    TownDisputeSettings,
)


class NoteForm(forms.Form):
    note = forms.CharField(label=_("说明"), widget=forms.Textarea(attrs={"rows": 3}))


class OptionalNoteForm(forms.Form):
    note = forms.CharField(label=_("说明"), required=False, widget=forms.Textarea(attrs={"rows": 3}))


class ResolveAdminForm(forms.Form):
    note = forms.CharField(label=_("调解结果"), widget=forms.Textarea(attrs={"rows": 3}))


class ReferAdminForm(forms.Form):
    target = forms.ChoiceField(label=_("移交单位"), choices=ReferralTarget.choices)
    note = forms.CharField(label=_("移交说明"), widget=forms.Textarea(attrs={"rows": 3}))


ADMIN_SERVICES = {
    "escalate": lambda d, u, c: services.dispute_escalate(dispute=d, by=u, note=c["note"]),
    "escalate_urgent": lambda d, u, c: services.dispute_escalate_urgent(
        dispute=d, by=u, justification=c["note"]),
    "resolve": lambda d, u, c: services.dispute_resolve(dispute=d, by=u, outcome=c["note"]),
    "refer": lambda d, u, c: services.dispute_refer(dispute=d, by=u, target=c["target"],
                                                    note=c["note"]),
    "close": lambda d, u, c: services.dispute_close(dispute=d, by=u, note=c.get("note", "")),
    "reopen": lambda d, u, c: services.dispute_reopen(dispute=d, by=u, note=c["note"]),
    "withdraw": lambda d, u, c: services.dispute_withdraw(dispute=d, by=u, reason=c["note"]),
    "void": lambda d, u, c: services.dispute_void(dispute=d, by=u, reason=c["note"]),
}
LABELS = {
    "escalate": _("上交上一级"), "escalate_urgent": _("紧急上报"), "resolve": _("调解成功"),
    "refer": _("移交"), "close": _("结案"), "reopen": _("重新调解"), "withdraw": _("撤回"),
    "void": _("作废"),
}


class ReadOnlyInline(admin.TabularInline):
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class PartyInline(admin.StackedInline):
    model = Party
    extra = 0
    can_delete = False


class EventInline(ReadOnlyInline):
    model = DisputeEvent
    fields = ["created_at", "actor", "action", "from_state", "to_state", "handler", "note"]
    readonly_fields = fields
    verbose_name_plural = _("办理过程")


class SessionInline(ReadOnlyInline):
    model = MediationSession
    fields = ["held_at", "room", "place", "record", "agreed"]
    readonly_fields = fields


class FollowUpInline(ReadOnlyInline):
    model = FollowUpVisit
    fields = ["visited_on", "visitor", "agreement_kept", "note"]
    readonly_fields = fields


class ScopedDisputeChildAdmin(admin.ModelAdmin):
    def get_queryset(self, request):
        return scope_rule.filter_small_grids(super().get_queryset(request), request.user,
                                             path="dispute__small_grid_id")

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Dispute)
class DisputeAdmin(FSMAdminMixin, admin.ModelAdmin):
    fsm_fields = ["state"]
    fsm_forms = {"escalate": NoteForm, "escalate_urgent": NoteForm, "resolve": ResolveAdminForm,
                 "refer": ReferAdminForm, "close": OptionalNoteForm, "reopen": NoteForm,
                 "withdraw": NoteForm, "void": NoteForm}
    list_display = ["number", "title", "small_grid", "category", "risk_level", "state",
                    "handler", "tier_due_at", "found_at"]
    list_filter = ["state", "category", "risk_level", "legal_aid", "town",
                   "small_grid__large_grid"]
    search_fields = ["number", "title", "description", "parties__name"]
    list_select_related = ["small_grid", "handler"]
    date_hierarchy = "found_at"
    readonly_fields = ["number", "town", "year", "serial", "handler", "tier_started_at",
                       "tier_due_at", "urgent", "resolved_tier", "resolved_at", "referred_to",
                       "referred_at", "referred_from_tier", "closed_at", "ended_reason",
                       "outcome", "last_followup_kept", "created_by", "created_at", "updated_at"]
    inlines = [PartyInline, SessionInline, FollowUpInline, EventInline]

    def get_queryset(self, request):
        return scope_rule.filter_small_grids(super().get_queryset(request), request.user,
                                             path="small_grid_id")

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "small_grid":
            kwargs["queryset"] = scope_rule.filter_small_grids(
                db_field.related_model.objects.select_related("large_grid"), request.user)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def has_add_permission(self, request):
        # Cases are logged through the intake page or the API, which number and route them.
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def is_fsm_transition_visible(self, transition):
        return transition.name in ADMIN_SERVICES

    def get_fsm_label(self, transition):
        return LABELS.get(transition.name, transition.name)

    def get_fsm_block_label(self, fsm_field_name):
        return _("办理操作")

    def _apply_fsm_transition(self, *, obj, transition_name, request, kwargs=None):
        """Run the transition through its service: lock, permission, history, notification."""
        try:
            ADMIN_SERVICES[transition_name](obj, request.user, kwargs or {})
        except (TransitionNotAllowed, ConcurrentTransition, PermissionDenied) as exc:
            self.message_user(request, str(exc) or _("当前状态下不能进行此操作。"),
                              level=messages.ERROR)
            return False
        except ValidationError as exc:
            self.message_user(request, "；".join(exc.messages), level=messages.ERROR)
            return False
        self.message_user(request, _("已完成：%(label)s") % {
            "label": LABELS.get(transition_name, transition_name)}, level=messages.SUCCESS)
        return True


@admin.register(DisputeEvent)
class DisputeEventAdmin(ScopedDisputeChildAdmin):
    list_display = ["dispute", "action", "from_state", "to_state", "actor", "created_at"]
    list_filter = ["action", "to_state"]
    search_fields = ["dispute__number", "note"]
    list_select_related = ["dispute", "actor"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(MediationAgreement)
class MediationAgreementAdmin(ScopedDisputeChildAdmin):
    list_display = ["dispute", "kind", "signed_on", "performance_deadline"]
    list_filter = ["kind"]
    search_fields = ["dispute__number", "terms"]
    list_select_related = ["dispute"]


@admin.register(Attachment)
class AttachmentAdmin(ScopedDisputeChildAdmin):
    list_display = ["original_name", "dispute", "kind", "size", "uploaded_at"]
    list_filter = ["kind"]
    search_fields = ["original_name", "dispute__number"]
    list_select_related = ["dispute"]


@admin.register(TownDisputeSettings)
class TownDisputeSettingsAdmin(admin.ModelAdmin):
    list_display = ["town", "grid_member_days", "mediator_days", "grid_leader_days",
                    "chair_days"]

    def get_queryset(self, request):
        return scope_rule.filter_full_towns(super().get_queryset(request), request.user,
                                            path="town_id")

    def has_delete_permission(self, request, obj=None):
        return False

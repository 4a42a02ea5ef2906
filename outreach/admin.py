"""Django admin for outreach: scoped like the pages; numbers masked; applications decided
only through their actions; nothing deleted."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from casework.admin import CaseActionsAdmin, ReadOnlyAdmin, ReadOnlyInline
from core.masking import mask_name, mask_phone

from .actions import ACTIONS
from .models import Application, ApplicationEvent, PublicLookup, SmsMessage, SmsOptOut
from .selectors import application_list_for_user, sms_list_for_user


class EventInline(ReadOnlyInline):
    model = ApplicationEvent
    fields = ["created_at", "actor", "action", "from_state", "to_state", "note"]
    readonly_fields = fields


@admin.register(Application)
class ApplicationAdmin(CaseActionsAdmin):
    case_actions = ACTIONS
    list_display = ["__str__", "small_grid", "masked_name", "masked_phone", "submitted_at",
                    "state"]
    list_filter = ["state", "category"]
    exclude = ["phone", "other_party_phone", "name", "other_party"]
    inlines = [EventInline]

    def get_readonly_fields(self, request, obj=None):
        return [f for f in super().get_readonly_fields(request, obj)
                if f not in self.exclude and not f.endswith("_hash")]

    def scope_queryset(self, request, qs):
        return application_list_for_user(user=request.user)

    @admin.display(description=_("申请人"))
    def masked_name(self, obj):
        return mask_name(obj.name)

    @admin.display(description=_("手机号码"))
    def masked_phone(self, obj):
        return mask_phone(obj.phone)


@admin.register(SmsMessage)
class SmsMessageAdmin(ReadOnlyAdmin):
    list_display = ["created_at", "recipient_kind", "masked_phone", "template", "status",
                    "attempts", "sent_at"]
    list_filter = ["status", "recipient_kind", "template"]
    fields = ["created_at", "recipient_kind", "masked_phone", "template", "text", "urgent",
              "status", "attempts", "next_attempt_at", "last_error", "gateway_id", "sent_at",
              "dispute", "petition", "application"]
    readonly_fields = fields

    def scope_queryset(self, request, qs):
        return sms_list_for_user(user=request.user)

    @admin.display(description=_("手机号码"))
    def masked_phone(self, obj):
        return mask_phone(obj.phone)


@admin.register(SmsOptOut)
class SmsOptOutAdmin(ReadOnlyAdmin):
    """The numbers are kept as hashes only: nothing to scope, shown to administrators."""

    list_display = ["__str__", "created_at", "source"]

    def scope_queryset(self, request, qs):
        return qs if request.user.is_superuser else qs.none()


@admin.register(PublicLookup)
class PublicLookupAdmin(ReadOnlyAdmin):
    list_display = ["created_at", "kind", "code", "matched", "throttled", "address"]
    list_filter = ["kind", "matched", "throttled"]

    def scope_queryset(self, request, qs):
        return qs if request.user.is_superuser else qs.none()

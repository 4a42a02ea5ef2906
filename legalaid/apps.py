from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LegalaidConfig(AppConfig):
    name = "legalaid"
    verbose_name = _("法律援助与法律服务")

    def ready(self):
        from core import registry

        registry.nav_item("legalaid", _("法律援助"), "legalaid:ledger", visible=_sees_any,
                          order=450)
        registry.nav_item("consultations", _("咨询宣传"), "legalaid:consultations",
                          visible=_sees_any, order=460)
        registry.detail_link("legalaid_from_dispute", "disputes.Dispute", _from_dispute)
        registry.detail_link("legalaid_from_petition", "petitions.Petition", _from_petition)


def _sees_any(user) -> bool:
    from grid.scope import scope_for_user

    scope = scope_for_user(user)
    return scope.is_global or bool(scope.full_town_ids or scope.unit_ids
                                   or scope.covered_large_grid_ids)


def _link(request, case, param: str):
    from django.urls import reverse

    from disputes.permissions import can_act_on_case

    from .permissions import can_register

    user = request.user
    allowed = can_register(user, town_id=case.town_id) or (
        param == "dispute" and can_act_on_case(case, user))
    if not allowed:
        return None
    return _("申请法律援助"), f"{reverse('legalaid:new')}?{param}={case.pk}"


def _from_dispute(request, dispute):
    return _link(request, dispute, "dispute")


def _from_petition(request, petition):
    return _link(request, petition, "petition")

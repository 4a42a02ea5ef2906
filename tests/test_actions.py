"""The action declarations (``<app>/actions.py``) are the one list the page, the API, the
admin and ``available_actions`` derive from."""

import pytest
from django.urls import reverse

from disputes.actions import ACTIONS as DISPUTE_ACTIONS
from petitions.actions import ACTIONS as PETITION_ACTIONS
from supervision.actions import ACTIONS as NOTICE_ACTIONS

ALL = [("dispute", DISPUTE_ACTIONS), ("petition", PETITION_ACTIONS),
       ("notice", NOTICE_ACTIONS)]


@pytest.mark.parametrize(("basename", "actions"), ALL, ids=[a for a, _ in ALL])
def test_every_api_action_has_its_route(basename, actions):
    for action in actions:
        if not action.api:
            continue
        url_name = f"api:{basename}-{action.api_name or action.name.replace('_', '-')}"
        assert reverse(url_name, args=[1]).endswith(f"/1/{action.route}/")


def test_an_action_offered_by_django_fsm_is_a_transition_of_the_model():
    from disputes.models import Dispute
    from petitions.models import Petition
    from supervision.models import SupervisionNotice

    for model, actions in ((Dispute, DISPUTE_ACTIONS), (Petition, PETITION_ACTIONS),
                           (SupervisionNotice, NOTICE_ACTIONS)):
        for action in actions:
            is_transition = hasattr(getattr(model, action.name, None), "_django_fsm")
            if action.offered is None:
                assert is_transition, f"{model.__name__}.{action.name} is no transition"
            if action.admin_form is not None and not is_transition:
                pytest.fail(f"{action.name}: admin buttons are for transitions only")


def test_a_note_only_action_gets_its_form_and_the_shared_inputs():
    from casework.api import RequiredNoteInput

    void = DISPUTE_ACTIONS.get("void")
    assert list(void.form_class.base_fields) == ["seen_state", "reason"]
    assert void.serializer_class is RequiredNoteInput
    assert void.inputs_from_note_named({"note": "重复登记", "expected_state": "mediator"}) == {
        "reason": "重复登记"}


def test_supervision_return_is_routed_as_return():
    assert NOTICE_ACTIONS.get("return_for_work").route == "return"

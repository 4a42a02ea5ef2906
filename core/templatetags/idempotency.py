"""``{% idempotency_field %}``: the hidden token of a form that creates (core.idempotency)."""

import uuid

from django import template
from django.utils.html import format_html

from core.idempotency import TOKEN_FIELD, page_token

register = template.Library()


@register.simple_tag(takes_context=True)
def idempotency_field(context):
    """A new token when the form is first rendered; the same one when it comes back with its
    errors, so that the corrected submission is still the one the user started."""
    request = context.get("request")
    token = (page_token(request) if request is not None and request.method == "POST"
             else "") or uuid.uuid4().hex
    return format_html('<input type="hidden" name="{}" value="{}">', TOKEN_FIELD, token)

"""Labels kept in stored figures (the weekly and monthly reports keep their figures as they
were computed, labels included, in Chinese): ``{{ row.label|stored_label }}`` shows such a
label in the page's language, since a stored label is its own message id."""

from django import template
from django.utils.translation import gettext

register = template.Library()


@register.filter
def stored_label(value) -> str:
    return gettext(str(value)) if value else ""

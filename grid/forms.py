"""Form pieces the case apps share for choosing people and grids of the organisation."""

from __future__ import annotations

from functools import partial

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.forms import QuickSelect, ValuesChoiceField

from . import scope as scope_rule
from .models import LargeGrid, SmallGrid, large_grid_label
from .selectors import grid_filter_choices_for_user, staff_posts


def large_grid_filter_field(label) -> ValuesChoiceField:
    """A ledger filter's village (large grid): "1号 · name" options, read as values."""
    return ValuesChoiceField(label=label, queryset=LargeGrid.objects.none(), required=False,
                             widget=QuickSelect, label_fields=("number", "name"),
                             option_label=large_grid_label)


class GridFilterForm(forms.Form):
    """A ledger's filter by large and small grid (the dispute and petition ledgers, their
    exports and API lists): the grids of ``grid_filter_choices_for_user``, the options' rows
    kept while the organisation is unchanged (``grid.scope.organisation_kept``), so a ledger
    page reads them from memory; a chosen grid is still checked against the scoped queryset.

    Its two fields come first among a form's fields: a subclass puts its own before them
    with ``field_order``."""

    large_grid = large_grid_filter_field(gettext_lazy("大网格"))
    small_grid = ValuesChoiceField(label=gettext_lazy("小网格"), queryset=SmallGrid.objects.none(),
                                   required=False, widget=QuickSelect)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        bind_grid_options(self, user)


def bind_grid_options(form, user, names=("large_grid", "small_grid")) -> None:
    """Give ``form``'s grid filter fields (``names``, among ``large_grid`` and ``small_grid``)
    the user's scoped grids and keep their options while the organisation is unchanged."""
    for name, queryset in zip(("large_grid", "small_grid"),
                              grid_filter_choices_for_user(user=user), strict=True):
        if name not in names:
            continue
        field = form.fields[name]
        field.queryset = queryset
        field.keep = partial(scope_rule.organisation_kept, "grid_filter_options",
                             (user.pk, name, field.label_fields))


class StaffPickerSelect(forms.Select):
    """A ``<select data-picker>``: ``static/js/picker.js`` turns it into a search-as-you-type
    list (the select stays the value sent, and the list without script). Each option carries
    the keys of what its person's posts cover (``data-keys``), so that the picker can narrow
    to the villages and offices a form targets (``data-picker-targets``)."""

    def __init__(self, attrs=None):
        super().__init__({"data-picker": "", **(attrs or {})})

    def create_option(self, name, value, label, selected, index, subindex=None, attrs=None):
        option = super().create_option(name, value, label, selected, index, subindex, attrs)
        instance = getattr(value, "instance", None)
        if instance is not None:
            keys = [key for post in staff_posts(instance) for key in post["keys"]]
            option["attrs"]["data-keys"] = " ".join(keys)
        return option


class StaffPickerField(forms.ModelChoiceField):
    """One person, labelled with name, role and village ("张三 · 网格长（第1大网格）"), from a
    queryset loaded with ``grid.selectors.with_posts``."""

    widget = StaffPickerSelect

    def label_from_instance(self, obj) -> str:
        posts = [post["role"] + (_("（%(places)s）") % {"places": "、".join(post["places"])}
                                 if post["places"] else "")
                 for post in staff_posts(obj)]
        return " · ".join([obj.name, *posts])

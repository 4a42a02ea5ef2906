"""Form pieces the case apps share for choosing people of the organisation."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext as _

from .selectors import staff_posts


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

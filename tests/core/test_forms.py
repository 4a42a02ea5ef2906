"""QuickSelect writes the same options as Django's Select, escaped, with the choice selected."""

import re

from django import forms

from core.forms import QuickSelect


class Both(forms.Form):
    plain = forms.ChoiceField(choices=[("", "全部"), ("x", "<b>X</b>"), ("7", "Y")],
                              required=False)
    quick = forms.ChoiceField(choices=[("", "全部"), ("x", "<b>X</b>"), ("7", "Y")],
                              required=False, widget=QuickSelect)


def _options(html):
    return re.findall(r"<option[^>]*>[^<]*</option>", html)


def test_quick_select_renders_what_select_renders():
    form = Both({"plain": "7", "quick": "7"})
    assert form.is_valid()
    assert _options(str(form["quick"])) == [o.strip() for o in _options(str(form["plain"]))]
    assert 'id="id_quick"' in str(form["quick"]) and 'name="quick"' in str(form["quick"])
    assert "&lt;b&gt;X&lt;/b&gt;" in str(form["quick"])
    assert '<option value="7" selected>Y</option>' in str(form["quick"])

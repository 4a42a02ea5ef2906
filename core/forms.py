from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.core.exceptions import ValidationError
from django.forms.models import ModelChoiceIterator
from django.forms.renderers import DjangoTemplates
from django.utils.translation import gettext_lazy as _


class LoginForm(AuthenticationForm):
    """The login form with messages a township user understands at once."""

    error_messages = {
        "invalid_login": _("用户名或密码不正确，请重新输入（区分大小写）。"),
        "inactive": _("该账号已停用，请联系综治中心管理员。"),
    }


def apply_form_errors(form, exc: ValidationError) -> None:
    """Put a service's ``ValidationError`` on the form: field errors on their fields when the
    form has them, the rest on top."""
    if hasattr(exc, "error_dict"):
        for field, errors in exc.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc.messages)


class QuickSelect(forms.Select):
    """A ``<select>`` whose options are written directly, not one template per option: a
    filter over a county's 480 small grids rendered in a millisecond instead of a fifth of a
    second. Same markup as ``forms.Select`` for single choices (no groups)."""

    def render(self, name, value, attrs=None, renderer=None):
        from html import escape

        from django.forms.utils import flatatt
        from django.utils.safestring import mark_safe

        selected = {str(v) for v in (value if isinstance(value, list | tuple) else [value])
                    if v is not None}
        final = self.build_attrs(self.attrs, attrs)
        final["name"] = name
        options = []
        for v, label in self._option_pairs():
            v = str(v)
            text = label.__html__() if hasattr(label, "__html__") else escape(str(label))
            options.append(f'<option value="{escape(v)}"'
                           f'{" selected" if v in selected else ""}>{text}</option>')
        # Each value and label escaped above (html.escape, what Django's escape does).
        return mark_safe(f"<select{flatatt(final)}>{''.join(options)}</select>")  # noqa: S308

    def _option_pairs(self):
        for option_value, option_label in self.choices:
            value = getattr(option_value, "value", option_value)
            yield ("" if value is None else value), option_label


class _ValuesChoiceIterator(ModelChoiceIterator):
    """The options of a ``ValuesChoiceField`` from one ``values_list`` query: no model
    instance per option."""

    def __iter__(self):
        field = self.field
        if field.empty_label is not None:
            yield ("", field.empty_label)

        def rows():
            return tuple(self.queryset.values_list("pk", *field.label_fields))

        label = field.option_label
        for pk, *values in (field.keep(rows) if field.keep else rows()):
            yield pk, label(*values)

    def __len__(self):
        return self.queryset.count() + (1 if self.field.empty_label is not None else 0)


class ValuesChoiceField(forms.ModelChoiceField):
    """A ``ModelChoiceField`` for long lists of plain options (a county's 480 small grids in
    a ledger's filter): the options are read as values, ``option_label(*label_fields)``
    gives each one's text; the chosen value is still checked against the queryset."""

    iterator = _ValuesChoiceIterator
    # ``keep(compute)``: compute()'s rows, possibly kept from an earlier request (a ledger's
    # grid options while the organisation is unchanged: ``grid.forms.GridFilterForm``); None
    # reads them each time. Labels are made per request, in its language.
    keep = None

    def __init__(self, *args, label_fields=("name",), option_label=str, **kwargs):
        self.label_fields = tuple(label_fields)
        self.option_label = option_label
        super().__init__(*args, **kwargs)


def named_formset(form, *, noun, **kwargs):
    """``formset_factory(form, **kwargs)`` whose count messages name what is missing
    ("请至少填写一名当事人", "最多填写 50 名信访人") instead of Django's "请至少提交 1 个表单。";
    ``noun`` is the translated name of one form's subject (当事人, 信访人)."""
    from django.forms import BaseFormSet, formset_factory
    from django.utils.text import format_lazy
    from django.utils.translation import gettext_lazy as _

    class NamedFormSet(BaseFormSet):
        default_error_messages = {
            "too_few_forms": format_lazy(_("请至少填写一名{noun}。"), noun=noun),
            "too_many_forms": format_lazy(_("最多填写 %(num)d 名{noun}。"), noun=noun),
        }

    return formset_factory(form, formset=NamedFormSet, **kwargs)


# The widget templates that are Django's one <input> (each includes widgets/input.html).
_INPUT_TEMPLATES = frozenset(
    f"django/forms/widgets/{kind}.html" for kind in (
        "input", "text", "number", "email", "url", "password", "hidden", "date", "datetime",
        "time", "search", "tel", "color", "checkbox"))


# An error list's templates, which write nothing when there are no errors.
_ERROR_TEMPLATES = frozenset(
    f"django/forms/errors/{kind}/{name}" for kind in ("list", "dict")
    for name in ("default.html", "ul.html", "text.txt"))


class QuickInputRenderer(DjangoTemplates):
    """Django's form renderer, with its one-``<input>`` widgets (text, date, checkbox …)
    written in Python: the markup of ``django/forms/widgets/input.html`` and ``attrs.html``
    exactly, without two templates rendered for every input (a ledger's filter form has
    five of them on every page); a field's empty error list is empty without its two
    templates. Every other widget and every error renders through its template. A project
    that overrides ``input.html`` or ``attrs.html`` must drop these names from
    ``_INPUT_TEMPLATES``: their markup is written here, not read from a template."""

    def render(self, template_name, context, request=None):
        if template_name in _ERROR_TEMPLATES and not context.get("errors"):
            return ""  # what each of them writes for no errors (a field's, on every page)
        widget = context.get("widget") if template_name in _INPUT_TEMPLATES else None
        if widget is None:
            return super().render(template_name, context, request=request)
        from html import escape

        from django.utils.safestring import mark_safe

        out = [f'<input type="{escape(str(widget["type"]))}" name="{escape(str(widget["name"]))}"']
        if widget["value"] is not None:
            out.append(f' value="{escape(str(widget["value"]))}"')
        for name, value in widget["attrs"].items():
            if value is not False:
                out.append(f" {escape(str(name))}")
                if value is not True:
                    out.append(f'="{escape(str(value))}"')
        out.append(">")
        return mark_safe("".join(out))  # noqa: S308 — every part escaped above

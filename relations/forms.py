from django import forms
from django.utils.translation import gettext_lazy as _


class SearchForm(forms.Form):
    q = forms.CharField(
        label=_("Search this site"),
        max_length=170,
        required=False,
        error_messages={
            "max_length": _("Enter at most %(limit_value)d characters to search for."),
            "null_characters_not_allowed": _(
                "Remove the control characters from your search."
            ),
        },
    )

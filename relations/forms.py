import unicodedata

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

CONTROL_CHARACTERS_MESSAGE = _("Remove the control characters from your search.")


class SearchForm(forms.Form):
    q = forms.CharField(
        label=_("Search this site"),
        max_length=170,
        required=False,
        error_messages={
            "max_length": _("Enter at most %(limit_value)d characters to search for."),
            "null_characters_not_allowed": CONTROL_CHARACTERS_MESSAGE,
        },
    )

    def clean_q(self):
        """Refuse control characters; make each run of spaces one space."""
        query = self.cleaned_data["q"]
        if any(unicodedata.category(c) == "Cc" and c not in "\t\n\r" for c in query):
            raise ValidationError(CONTROL_CHARACTERS_MESSAGE, code="control_characters")
        return " ".join(query.split())

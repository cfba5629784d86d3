import unicodedata
from urllib.parse import urlsplit

from django import forms
from django.http import Http404
from django.urls import Resolver404, resolve
from django.utils import translation
from django.utils.translation import gettext_lazy as _
from django.views.generic.detail import SingleObjectMixin

from relations.preview import PreviewMixin

from .models import Problem, ProblemReport
from .scrub import scrub

# URL namespaces whose pages carry the form.
PUBLIC_NAMESPACES = {"relations", "consulates"}
COMMENT_MAX_LENGTH = 300


def reportable_page(path):
    """Return (path, language) if `path` is a published page of this site, else None."""
    parts = urlsplit(path)
    if not path.startswith("/") or parts.scheme or parts.netloc or parts.query:
        return None
    language = translation.get_language_from_path(path)
    if language is None:
        return None
    with translation.override(language):
        try:
            match = resolve(path)
        except Resolver404:
            return None
        if match.namespace not in PUBLIC_NAMESPACES:
            return None
        view_class = getattr(match.func, "view_class", None)
        if view_class and issubclass(view_class, PreviewMixin):
            # Staff's view of any page in any state, in the same namespaces.
            return None
        if view_class and issubclass(view_class, SingleObjectMixin):
            # A page about an object exists only if its view finds the object.
            view = view_class()
            view.setup(None, *match.args, **match.kwargs)
            try:
                # The page's own queryset, without what it prefetches to render.
                view.get_object(view.get_queryset().prefetch_related(None))
            except Http404:
                return None
    return path, language


def has_control_characters(text):
    return any(
        unicodedata.category(char) == "Cc" and char not in "\n\r\t" for char in text
    )


class ProblemReportForm(forms.Form):
    page = forms.CharField(max_length=300, widget=forms.HiddenInput)
    problems = forms.MultipleChoiceField(
        label=_("Please select all that apply:"),
        choices=Problem.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    comment = forms.CharField(
        label=_("Please provide more details (optional)"),
        max_length=COMMENT_MAX_LENGTH,
        required=False,
        strip=True,
        widget=forms.Textarea(attrs={"rows": 3, "maxlength": COMMENT_MAX_LENGTH}),
        error_messages={
            "max_length": _(
                "Enter at most %(limit_value)d characters (you entered %(show_value)d)."
            ),
            "null_characters_not_allowed": _(
                "Remove the control characters from your comment."
            ),
        },
    )
    # A field people never see: only robots fill it in.
    url = forms.CharField(required=False, label=_("Leave this field empty"))

    def is_from_a_robot(self):
        return bool(self.data.get("url"))

    def clean_page(self):
        page = reportable_page(self.cleaned_data["page"])
        if page is None:
            raise forms.ValidationError(
                _("Reports can only be sent from a page of this site."), code="page"
            )
        return page

    def clean_comment(self):
        comment = self.cleaned_data["comment"]
        if "\ufffd" in comment:
            raise forms.ValidationError(
                _(
                    "Your comment has characters that could not be read. "
                    "Please type it again."
                ),
                code="encoding",
            )
        if has_control_characters(comment):
            raise forms.ValidationError(
                _("Remove the control characters from your comment."),
                code="control_characters",
            )
        return comment

    def clean(self):
        cleaned = super().clean()
        if not cleaned.get("problems") and not cleaned.get("comment"):
            if "problems" not in self.errors and "comment" not in self.errors:
                self.add_error(
                    "problems",
                    forms.ValidationError(
                        _("Select at least one problem."), code="required"
                    ),
                )
        return cleaned

    def save(self):
        """Store the report, its comment masked; a comment alone is "Other"."""
        path, language = self.cleaned_data["page"]
        problems = self.cleaned_data["problems"] or [Problem.OTHER]
        return ProblemReport.objects.create(
            page=path,
            language=language,
            comment=scrub(self.cleaned_data["comment"], language),
            **{Problem(problem).field_name: True for problem in problems},
        )

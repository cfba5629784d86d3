"""The translation editor: one page and everything it shows, field by field,
the source language read-only on the left and the translation editable on
the right, with each text's status and, when out of date, what changed in
its source. Saving makes drafts for review (publishing.xliff.apply), never
live content. Mixed into a PublishingAdmin (before it), beside XliffViews.
"""

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path
from django.utils.translation import gettext

from . import currency, diffs, workflow, xliff
from .languages import language_in_sentence


def seen(unit, target):
    source = getattr(unit.obj, f"{unit.field}_{unit.source_language}")
    return f"{currency.digest(source)}:{currency.digest(target)}"


class TranslationForm(forms.Form):
    """One field per text of the translation, named by its unit id; each the
    model field's own form field (the rich-text editor for rich text)."""

    version = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, units, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.units = units
        for unit in units:
            model_field = type(unit.obj)._meta.get_field(
                f"{unit.field}_{unit.target_language}"
            )
            field = model_field.formfield()
            field.required = False
            field.label = unit.label
            self.fields[unit.id] = field
            shown = currency.text(
                getattr(unit.obj, f"{unit.field}_{unit.target_language}")
            )
            self.initial[unit.id] = shown
            # What the form showed of the source and the translation, to tell
            # the translator's changes from others' made meanwhile.
            self.fields[f"shown:{unit.id}"] = forms.CharField(
                widget=forms.HiddenInput, required=False
            )
            self.initial[f"shown:{unit.id}"] = seen(unit, shown)


class TranslationEditorViews:
    def get_urls(self):
        prefix = f"{self.opts.app_label}_{self.opts.model_name}"
        return [
            path(
                "<path:object_id>/translate/",
                self.admin_site.admin_view(self.translate_view),
                name=f"{prefix}_translate",
            ),
            *super().get_urls(),
        ]

    def translate_view(self, request, object_id):
        page = self.live_object(request, object_id)
        if not self.has_change_permission(request, page):
            raise PermissionDenied
        source = request.GET.get("source", "en")
        if source not in ("en", "fr"):
            source = "en"
        units = xliff.units(page, source)
        owners = xliff.draft_owners(page)
        editable = [u for u in units if xliff.owner_of(page, u.obj, owners)]
        form = TranslationForm(
            editable,
            request.POST if request.method == "POST" else None,
            initial={"version": page.version},
        )
        error = None
        if request.method == "POST" and form.is_valid():
            try:
                result = self.translation_changes(page, form, source)
                if form.cleaned_data["version"] != page.version:
                    raise workflow.Conflict(page, form.cleaned_data["version"])
                if not result.changes:
                    raise ValidationError(gettext("No translation changed."))
                with transaction.atomic():
                    drafted = xliff.apply(page, request.user, result)
            except (workflow.NotAllowed, PermissionDenied):
                raise PermissionDenied from None
            except (workflow.Conflict, ValidationError) as refusal:
                error = workflow.refusal_text(refusal)
            else:
                self.message_user(
                    request,
                    gettext(
                        "Translations saved: %(count)d, as draft changes of "
                        "%(names)s. Submit them for review; visitors see nothing "
                        "until a publisher publishes them."
                    )
                    % {
                        "count": len(result.changes),
                        "names": ", ".join(
                            f"“{obj.display_name()}”" for obj in drafted
                        ),
                    },
                    messages.SUCCESS,
                )
                return HttpResponseRedirect(request.get_full_path())
        elif request.method == "POST":
            error = gettext("Correct the errors below.")
        rows = [self.translation_row(page, unit, form, source) for unit in units]
        context = self.context(
            request,
            page,
            gettext("Translate"),
            form=form,
            media=self.media + form.media,
            rows=rows,
            error=error,
            source=source,
            target=currency.other(source),
            source_name=language_in_sentence(source),
            target_name=language_in_sentence(currency.other(source)),
        )
        return TemplateResponse(
            request,
            "admin/publishing/translate.html",
            context,
            status=400 if error else 200,
        )

    def translation_changes(self, page, form, source):
        """Return an xliff.Plan of the texts the form changes; refuse
        (ValidationError) if one of them, or the text it translates, changed
        since the form was opened."""
        result = xliff.Plan(source=source, target=currency.other(source))
        for unit in form.units:
            new = currency.text(form.cleaned_data.get(unit.id))
            old = currency.text(
                getattr(unit.obj, f"{unit.field}_{unit.target_language}")
            )
            shown = form.cleaned_data.get(f"shown:{unit.id}") or ""
            target_seen = shown.partition(":")[2]
            if new.strip() == old.strip() or currency.digest(new) == target_seen:
                continue  # not changed here
            if shown != seen(unit, old):
                # The source or the translation changed since the form was
                # opened: this answers a text no longer there, or would undo
                # someone's change.
                raise ValidationError(
                    gettext(
                        "“%(label)s” changed since you opened this page: nothing "
                        "was saved. Open it again to see the changes, then redo "
                        "yours."
                    )
                    % {"label": unit.label}
                )
            result.changes.append(xliff.Change(unit=unit, old=old, new=new))
        return result

    def shown_text(self, obj, column):
        model_field = type(obj)._meta.get_field(column)
        value = getattr(obj, column)
        if hasattr(model_field, "rendered"):
            return model_field.rendered(value)
        return currency.text(value)

    def translation_row(self, page, unit, form, source):
        source_text = getattr(unit.obj, f"{unit.field}_{source}")
        row = {
            "unit": unit,
            "status": unit.status,
            "status_label": {
                currency.CURRENT: gettext("Current"),
                currency.OUT_OF_DATE: gettext("Out of date"),
                currency.MISSING: gettext("Missing"),
            }[unit.status],
            # Rich text as visitors read it (sanitised), plain text as is.
            "source": self.shown_text(unit.obj, f"{unit.field}_{source}"),
            "field": form[unit.id] if unit.id in form.fields else None,
            "link": None
            if unit.id in form.fields
            else self.text_link(page, unit.obj, unit.field, unit.target_language),
            "translation": diffs.readable(
                getattr(unit.obj, f"{unit.field}_{unit.target_language}")
            ),
        }
        if unit.status == currency.OUT_OF_DATE and unit.row is not None:
            row["diff"] = diffs.word_diff(
                diffs.readable(unit.row.source_text), diffs.readable(source_text)
            )
        return row

"""What every page's publication rests on: states and schedules
(`Publishable`), pending changes kept as data (`Draft`), what was done by whom
(`Activity`), and the addresses pages leave behind (`Redirect`). The changes
themselves are made through publishing.workflow."""

import contextlib
import contextvars
import re

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from .languages import LANGUAGES, describe_missing, describe_out_of_date

_minor_change = contextvars.ContextVar("minor_change", default=False)


_dates_held = contextvars.ContextVar("dates_held", default=False)


@contextlib.contextmanager
def setting(variable, value):
    """Within this block, the context variable `variable` is `value`."""
    token = variable.set(value)
    try:
        yield
    finally:
        variable.reset(token)


def minor_change(active=True):
    """Within this block, saved changes are minor (a typo): they leave "Date
    modified" where it is and flag no translation out of date."""
    return setting(_minor_change, active)


def is_minor_change():
    return _minor_change.get()


_translations = contextvars.ContextVar("translations", default=None)


def translations(sources):
    """Within this block, the texts named by the keys of `sources`
    ({publishing.currency.key: the other language's text it translates})
    are saved as translations of that text (an import, the translation
    editor): current with it if it is still the other language's text,
    out of date against it if not; either way the other language stays as
    it was."""
    return setting(_translations, dict(sources or {}))


def translated_texts():
    return _translations.get() or {}


def dates_held():
    """Within this block, saves leave "Date modified" to the caller
    (publishing.workflow moves it once for a whole change, if visitors see
    a difference); unlike minor_change, the changes are not minor."""
    return setting(_dates_held, True)


def moves_date_modified():
    """Whether a change saved now moves "Date modified" where it shows."""
    return not (_minor_change.get() or _dates_held.get())


# Longer chains than this are refused as well as loops.
MOST_HOPS = 10
# Paths as Django reads them (decoded, without the query string), so that each
# is compared as visitors ask for it; a page's address ends with a slash.
OLD_PATH = re.compile(r"/[^?#%\\\s]*")
NEW_PATH = re.compile(r"/[^?#%\\\s]*/")


class RedirectQuerySet(models.QuerySet):
    def page_moved(self, old, new):
        """Send visitors from `old`, a public page's former address, to `new`.

        Redirects to `old` now lead to `new` (no chains), and one from `new`
        goes: the page lives there again.
        """
        if old == new:
            return
        self.filter(old_path=new).delete()
        self.filter(new_path=old).update(new_path=new)
        self.update_or_create(old_path=old, defaults={"new_path": new})


class Redirect(models.Model):
    """An address a public page no longer has: visitors are sent on, permanently."""

    old_path = models.CharField(
        _("old address"),
        max_length=255,
        unique=True,
        help_text=_("As visitors ask for it, e.g. /en/relations/usa/."),
    )
    new_path = models.CharField(
        _("new address"),
        max_length=255,
        help_text=_("An address on this site, e.g. /en/relations/united-states/."),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = RedirectQuerySet.as_manager()

    class Meta:
        verbose_name = _("redirect")
        verbose_name_plural = _("redirects")
        ordering = ["old_path"]

    def __str__(self):
        return f"{self.old_path} → {self.new_path}"

    def clean(self):
        super().clean()
        errors = {}
        if not OLD_PATH.fullmatch(self.old_path or ""):
            errors["old_path"] = gettext(
                "Enter a path on this site, starting with /, without ? or #."
            )
        new = self.new_path or ""
        if not NEW_PATH.fullmatch(new) or not url_has_allowed_host_and_scheme(
            new, allowed_hosts=None
        ):
            errors["new_path"] = gettext(
                "Enter a page’s address on this site, starting and ending with /."
            )
        if errors:
            raise ValidationError(errors)
        if self.new_path == self.old_path or self.leads_back():
            raise ValidationError(
                {
                    "new_path": gettext(
                        "This would send visitors round in a circle back to "
                        "%(address)s."
                    )
                    % {"address": self.old_path}
                }
            )

    def leads_back(self):
        """Return True if following redirects from the new address comes back
        to the old one (or goes on too long to tell)."""
        others = Redirect.objects.exclude(pk=self.pk)
        seen, path = {self.old_path}, self.new_path
        for _hop in range(MOST_HOPS):
            path = (
                others.filter(old_path=path).values_list("new_path", flat=True).first()
            )
            if path is None:
                return False
            if path in seen:
                return True
            seen.add(path)
        return True


def keep_former_addresses(obj, former_slugs, url_name, public):
    """Leave, for each language whose slug of `obj` changed, a redirect from
    its former address to its new one if visitors see it (`public`): the
    address of what they do not see is no one's business."""
    if not public:
        return
    for language, old_slug in former_slugs.items():
        new_slug = getattr(obj, f"slug_{language}")
        if not old_slug or old_slug == new_slug:
            continue
        with translation.override(language):
            old = reverse(url_name, kwargs={"slug": old_slug})
            new = reverse(url_name, kwargs={"slug": new_slug})
        Redirect.objects.page_moved(old, new)


class Status(models.TextChoices):
    DRAFT = "draft", _("Draft")
    PUBLISHED = "published", _("Published")
    ARCHIVED = "archived", _("Archived")


class NotTranslated(Exception):
    """Publishing refused: the object is not complete in both languages
    (`missing`: {language: [labels]}), or some of its texts, or of what its
    page shows, are out of date with the other language's (`outdated`:
    [(obj, field, language, TranslationSource or None)]) and no Publisher
    confirmed them still accurate."""

    def __init__(self, obj, missing, outdated=(), saving=False):
        super().__init__(obj, missing, outdated)
        self.obj = obj
        self.missing = missing
        self.outdated = list(outdated)
        # A Publisher's change to a published page, saved straight to it.
        self.saving = saving

    def __str__(self):
        if any(self.missing.values()):
            return gettext(
                "“%(name)s” was not published: it must be complete in English "
                "and French first (%(missing)s)."
            ) % {
                "name": self.obj.display_name(),
                "missing": describe_missing(self.missing),
            }
        if self.saving:
            return gettext(
                "Nothing was saved: visitors would see translations out of date "
                "(%(outdated)s). Change both languages together, mark the change "
                "minor if it does not change the meaning, or save it as a draft "
                "and publish it once the translations are confirmed."
            ) % {"outdated": describe_out_of_date(self.obj, self.outdated)}
        return gettext(
            "“%(name)s” was not published: translations are out of date "
            "(%(outdated)s). Update them, or a publisher confirms each is still "
            "accurate."
        ) % {
            "name": self.obj.display_name(),
            "outdated": describe_out_of_date(self.obj, self.outdated),
        }


# What publishing decides, never a draft: a draft changes content only.
PUBLICATION_FIELDS = frozenset(
    {"status", "publish_at", "unpublish_at", "first_published_at", "version"}
    | {"successor"}
)


class PublishableQuerySet(models.QuerySet):
    def published(self, at=None):
        """Return what visitors see at `at` (now): published and within its schedule."""
        at = at or timezone.now()
        return self.filter(
            Q(publish_at__isnull=True) | Q(publish_at__lte=at),
            Q(unpublish_at__isnull=True) | Q(unpublish_at__gt=at),
            status=Status.PUBLISHED,
        )

    def visible(self, at=None):
        """Return what has a page at its address: published and within its
        schedule, or archived (shown with Canada.ca's archived notice)."""
        at = at or timezone.now()
        live = Q(
            Q(publish_at__isnull=True) | Q(publish_at__lte=at),
            Q(unpublish_at__isnull=True) | Q(unpublish_at__gt=at),
        )
        return self.filter(
            Q(status=Status.ARCHIVED) | live,
            status__in=[Status.PUBLISHED, Status.ARCHIVED],
        )

    def due_to_appear(self, at):
        return self.filter(status=Status.PUBLISHED, publish_at__lte=at)

    def due_to_disappear(self, at):
        return self.filter(status=Status.PUBLISHED, unpublish_at__lte=at)


class Publishable(models.Model):
    """Draft, published or archived; visible to visitors only when published
    and within its schedule, which is read at request time."""

    status = models.CharField(
        _("status"), max_length=16, choices=Status, default=Status.DRAFT
    )
    publish_at = models.DateTimeField(
        _("publish on"),
        null=True,
        blank=True,
        help_text=_(
            "Optional. Once published, visitors see it from this date and time."
        ),
    )
    unpublish_at = models.DateTimeField(
        _("unpublish on"),
        null=True,
        blank=True,
        help_text=_("Optional. Visitors stop seeing it at this date and time."),
    )
    first_published_at = models.DateTimeField(
        _("first published"), null=True, blank=True, editable=False
    )
    # Moves on every change, live or pending: a form carries the number it
    # was opened on, and publishing.workflow refuses a change made from an
    # older one (someone else's work would be lost).
    version = models.PositiveBigIntegerField(_("version"), default=1, editable=False)
    # Where visitors of an archived page are sent on to (Canada.ca's notice
    # links to it), chosen when it is archived.
    successor = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
        verbose_name=_("successor page"),
    )

    # The URL name of its public page, whose former addresses redirect to it.
    detail_url_name = None
    # The reverse relations of the parts edited with it (a page's areas of
    # action): a draft holds them too.
    draft_children = ()

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        former = self.slugs(getattr(self, "_saved_content", {}).get)
        changed = {"version"}
        if not self._state.adding:
            self.version += 1
        if self.status == Status.PUBLISHED and self.first_published_at is None:
            now = timezone.now()
            self.first_published_at = max(now, self.publish_at or now)
            changed.add("first_published_at")
        if kwargs.get("update_fields") is not None:
            kwargs["update_fields"] = {*kwargs["update_fields"], *changed}
        super().save(*args, **kwargs)
        self.keep_former_slugs(former)

    def shown_objects(self):
        """Return this and every object whose text its page shows (their
        translations are checked with it)."""
        return [self]

    @staticmethod
    def slugs(read):
        """Return {language: slug}, each read with `read("slug_<language>")`."""
        return {language: read(f"slug_{language}") for language in LANGUAGES}

    def keep_former_slugs(self, former):
        """Let the old address of a page visitors see redirect to it."""
        keep_former_addresses(
            self, former, self.detail_url_name, public=self.has_page()
        )

    def clean(self):
        super().clean()
        if self.publish_at and self.unpublish_at:
            if self.unpublish_at <= self.publish_at:
                raise ValidationError(
                    {"unpublish_at": _("Unpublish after the publication date.")}
                )

    def is_live(self, at=None):
        at = at or timezone.now()
        return (
            self.status == Status.PUBLISHED
            and (self.publish_at is None or self.publish_at <= at)
            and (self.unpublish_at is None or self.unpublish_at > at)
        )

    def must_stay_complete(self):
        return self.status in (Status.PUBLISHED, Status.ARCHIVED)

    def is_archived(self):
        return self.status == Status.ARCHIVED

    def has_page(self, at=None):
        """Return True if its address answers: live, or archived."""
        return self.is_archived() or self.is_live(at)

    def live_successor(self):
        """Return the page an archived one points visitors to, if they see it."""
        successor = self.successor
        return successor if successor is not None and successor.is_live() else None

    def publish(self):
        """Publish now, or at `publish_at`; refuse if a language is incomplete."""
        missing = self.missing_translations()
        if any(missing.values()):
            raise NotTranslated(self, missing)
        now = timezone.now()
        if self.unpublish_at and self.unpublish_at <= now:
            self.unpublish_at = None
        self.status = Status.PUBLISHED
        self.save(update_fields=["status", "unpublish_at"])

    def unpublish(self):
        """Take it back to draft: visitors no longer see it."""
        self.status = Status.DRAFT
        self.save(update_fields=["status"])

    def archive(self):
        self.status = Status.ARCHIVED
        self.save(update_fields=["status"])

    def record_modified(self, when):
        """Move "Date modified" of the pages showing this object to `when`."""
        self.mark_pages_modified(when)

    def content_restored(self, before):
        """Called when content was written back from a revision over `before`."""
        self.keep_former_slugs(self.slugs(lambda name: getattr(before, name)))


class Draft(models.Model):
    """Changes to an object that wait to be published, kept as data.

    `values` holds the object's field values and, for each of its
    `draft_children` relations, its parts' (publishing.drafts): what the form
    showed when it was saved, publication fields aside. One draft per object,
    shared by whoever works on it; applied on purpose (publishing.workflow),
    never by a save of the live object.
    """

    class State(models.TextChoices):
        EDITING = "editing", _("Being edited")
        SUBMITTED = "submitted", _("Awaiting review")
        RETURNED = "returned", _("Sent back")

    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE)
    object_id = models.PositiveBigIntegerField()
    values = models.JSONField(encoder=DjangoJSONEncoder)
    based_on = models.PositiveBigIntegerField(
        _("based on version"),
        help_text=_("The version of the object this draft was last saved on."),
    )
    state = models.CharField(
        _("state"), max_length=16, choices=State, default=State.EDITING
    )
    # A minor change (a typo) leaves "Date modified" when published: true only
    # if every save of the draft was minor.
    minor = models.BooleanField(_("minor change"), default=False)
    publish_at = models.DateTimeField(
        _("publish the changes on"), null=True, blank=True
    )
    # Who scheduled it, and the out-of-date translations they confirmed still
    # accurate (publishing.currency.key of each): confirmed when it is applied.
    scheduled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("scheduled by"),
    )
    still_accurate = models.JSONField(
        _("translations confirmed still accurate"), default=list, blank=True
    )
    # The texts it writes as translations (an XLIFF import, the translation
    # editor): {publishing.currency.key: the other language's text each
    # translates}. Publishing them flags nothing out of date, unless that
    # text changed since.
    translations = models.JSONField(
        _("texts written as translations"), default=dict, blank=True
    )
    authors = models.ManyToManyField(
        settings.AUTH_USER_MODEL, related_name="drafts", verbose_name=_("authors")
    )
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("submitted by"),
    )
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("draft")
        verbose_name_plural = _("drafts")
        ordering = ["-updated_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["content_type", "object_id"], name="one_draft_per_object"
            )
        ]

    def __str__(self):
        return f"{self.content_type} {self.object_id}"

    @classmethod
    def of(cls, obj):
        """Return the draft of `obj`, or None."""
        if obj.pk is None:
            return None
        return cls.objects.filter(
            content_type=ContentType.objects.get_for_model(obj), object_id=obj.pk
        ).first()

    def target(self):
        """Return the live object this draft changes, or None if it is gone."""
        return self.content_type.model_class().objects.filter(pk=self.object_id).first()


class ActivityQuerySet(models.QuerySet):
    def of(self, obj):
        return self.filter(
            content_type=ContentType.objects.get_for_model(obj), object_id=obj.pk
        )


class Activity(models.Model):
    """One thing done to an object through publishing.workflow: by whom, when,
    with what comment, and the object's version after it."""

    class Action(models.TextChoices):
        CHANGED = "changed", _("Changed")
        DRAFT_SAVED = "draft_saved", _("Draft saved")
        SUBMITTED = "submitted", _("Submitted for review")
        SENT_BACK = "sent_back", _("Sent back")
        PUBLISHED = "published", _("Published")
        SCHEDULED = "scheduled", _("Scheduled")
        UNPUBLISHED = "unpublished", _("Unpublished")
        ARCHIVED = "archived", _("Archived")
        DISCARDED = "discarded", _("Draft discarded")
        RESTORED = "restored", _("Restored")

    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE)
    object_id = models.PositiveBigIntegerField()
    version = models.PositiveBigIntegerField(_("version"))
    action = models.CharField(_("action"), max_length=16, choices=Action)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("user"),
    )
    at = models.DateTimeField(_("date"), default=timezone.now)
    comment = models.TextField(_("comment"), blank=True)

    objects = ActivityQuerySet.as_manager()

    class Meta:
        verbose_name = _("activity")
        verbose_name_plural = _("activities")
        ordering = ["-at", "-pk"]
        indexes = [models.Index(fields=["content_type", "object_id", "version"])]

    def __str__(self):
        return f"{self.get_action_display()} ({self.at:%Y-%m-%d %H:%M})"


class TranslationSource(models.Model):
    """What one language's text of a translated field was written or
    confirmed against: the other language's text at that moment.

    The text is out of date once the other language's text is no longer this
    one (publishing.currency). No row: the text has been current since both
    languages were first written.
    """

    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE)
    object_id = models.PositiveBigIntegerField()
    field = models.CharField(_("field"), max_length=100)
    language = models.CharField(_("language"), max_length=8)
    source_text = models.TextField(_("text it translates"), blank=True)
    # When the other language's text moved away from source_text; None while
    # it has not.
    outdated_at = models.DateTimeField(_("out of date since"), null=True, blank=True)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("confirmed still accurate by"),
    )
    confirmed_at = models.DateTimeField(
        _("confirmed still accurate on"), null=True, blank=True
    )
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("translation source")
        verbose_name_plural = _("translation sources")
        constraints = [
            models.UniqueConstraint(
                fields=["content_type", "object_id", "field", "language"],
                name="one_source_per_field_and_language",
            )
        ]

    def __str__(self):
        return f"{self.content_type} {self.object_id} {self.field}_{self.language}"

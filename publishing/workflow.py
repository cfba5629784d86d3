"""The one way content changes: every function here checks the acting user's
permission and the version the change was prepared on, records an Activity,
and, when visitors' content changes, a revision (django-reversion) and
"Date modified". The admin, the management commands and the tests all come
through here; nothing else writes a publishable object's content.

Who may do what, for a model `app.model`:
- `app.change_model` (Editors): save changes (into the draft, if visitors can
  see the object), submit the draft for review, discard a draft they alone
  wrote, restore an older revision as a draft.
- `app.publish_model` (Publishers): besides, publish (now or at a time),
  send a draft back, discard any draft, unpublish, archive, and restore.
"""

import logging
import smtplib

import reversion
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import EmailMessage
from django.db import transaction
from django.db.models import F
from django.utils import timezone, translation
from django.utils.translation import gettext, gettext_noop
from reversion.models import Version

from . import currency, drafts
from .languages import LANGUAGES
from .models import (
    Activity,
    Draft,
    NotTranslated,
    Status,
    dates_held,
    minor_change,
    translations,
)

Action = Activity.Action
logger = logging.getLogger(__name__)


class NotAllowed(PermissionDenied):
    """The acting user may not do this."""


class Conflict(Exception):
    """The object changed after the form or screen was opened on `opened`."""

    def __init__(self, obj, opened):
        super().__init__(obj, opened)
        self.obj = obj
        self.opened = opened
        self.since = list(
            Activity.objects.of(obj).filter(version__gt=opened or 0).order_by("at")
        )

    def __str__(self):
        done = "; ".join(
            gettext("%(action)s by %(user)s at %(time)s")
            % {
                "action": activity.get_action_display(),
                "user": activity.user or "—",
                "time": timezone.localtime(activity.at).strftime("%Y-%m-%d %H:%M"),
            }
            for activity in self.since
        ) or gettext("changed by another process")
        return gettext(
            "“%(name)s” changed after you opened it (%(changes)s). Nothing was "
            "saved. Open it again to see the changes, then redo yours."
        ) % {"name": self.obj.display_name(), "changes": done}


def permission(obj, action):
    opts = obj._meta
    return f"{opts.app_label}.{action}_{opts.model_name}"


def may_change(user, obj):
    return user.has_perm(permission(obj, "change"))


def may_publish(user, obj):
    return user.has_perm(permission(obj, "publish"))


def holds_changes(user, obj):
    """Return True if what `user` saves of `obj` waits in its draft: visitors
    see it, or soon will, and `user` may not publish."""
    return obj.status in VISIBLE and not may_publish(user, obj)


# What visitors see at its address: published (or scheduled to be), and
# archived (with Canada.ca's notice).
VISIBLE = (Status.PUBLISHED, Status.ARCHIVED)


def require(allowed):
    if not allowed:
        raise NotAllowed


def claim(obj, version):
    """Return `obj` fresh from the database, its version moved on, if it is
    still at `version` (any, if None); else raise Conflict.

    One conditional UPDATE: of two changes prepared on the same version, the
    second finds the number moved, on SQLite as on PostgreSQL.
    """
    model = type(obj)
    rows = model.objects.filter(pk=obj.pk)
    if version is not None:
        rows = rows.filter(version=version)
    if not rows.update(version=F("version") + 1):
        raise Conflict(obj, version)
    return model.objects.get(pk=obj.pk)


def record(obj, action, user, comment=""):
    return Activity.objects.create(
        content_type=ContentType.objects.get_for_model(obj),
        object_id=obj.pk,
        version=type(obj).objects.values_list("version", flat=True).get(pk=obj.pk),
        action=action,
        user=user,
        comment=comment,
    )


def write(obj, values, minor):
    """Write `values` as the live content of `obj`; move "Date modified" if
    what visitors see changed and the change is not minor. Return `obj` as
    the database now has it."""
    before = obj.content_fingerprint()
    with minor_change(minor), dates_held():
        drafts.write(obj, values)
    obj = type(obj).objects.get(pk=obj.pk)
    if not minor and obj.content_fingerprint() != before:
        obj.record_modified(timezone.now())
    return obj


def keep_revision(obj, user, comment):
    """Keep one revision of `obj` with its parts, as it is now: one for each
    change that reaches visitors, whatever it changed."""
    with reversion.create_revision():
        reversion.add_to_revision(obj)
        reversion.set_user(user)
        reversion.set_comment(comment)


# Changes


@transaction.atomic
def save(obj, user, values, version, minor=False):
    """Save what a form holds for `obj`: into its draft if `user` must wait
    for a publisher (holds_changes), else live. Return the Draft or None."""
    require(may_change(user, obj))
    live = claim(obj, version)
    if holds_changes(user, live):
        return keep(live, user, values, minor)
    draft = Draft.of(live)
    visible = live.status in VISIBLE
    if visible:
        before = outdated_keys(live)
    # The form showed the draft: the translations it holds, unless changed
    # by hand in the form, are still translations.
    imported = (
        drafts.unchanged(draft.values, values, draft.translations) if draft else {}
    )
    with translations(imported):
        live = write(live, values, minor)
    if visible:
        # What visitors see changes now: the publishing gate's rule, for
        # the texts this change puts out of date.
        outdated = [
            each
            for each in currency.out_of_date(live.shown_objects())
            if currency.key(*each[:3]) not in before
        ]
        if outdated:
            raise NotTranslated(live, {}, outdated, saving=True)
    keep_revision(live, user, gettext_noop("Changed."))
    if draft is not None:
        # The form showed the draft: what it saved includes it.
        draft.delete()
    record(live, Action.CHANGED, user)
    return None


def outdated_keys(obj):
    return {
        currency.key(*each[:3]) for each in currency.out_of_date(obj.shown_objects())
    }


@transaction.atomic
def save_draft(obj, user, values, version, minor=False):
    """Keep `values` as the draft of `obj`, whoever the user, live untouched."""
    require(may_change(user, obj))
    return keep(claim(obj, version), user, values, minor)


def keep(live, user, values, minor):
    draft = Draft.of(live)
    if draft is None:
        draft = Draft(
            content_type=ContentType.objects.get_for_model(live),
            object_id=live.pk,
            minor=minor,
        )
    else:
        draft.minor = draft.minor and minor
        if draft.state == Draft.State.RETURNED:
            draft.state = Draft.State.EDITING
        if draft.publish_at is not None:
            # A Publisher scheduled what was reviewed, not this: it waits
            # for review again.
            draft.publish_at = None
            draft.still_accurate = []
            draft.state = Draft.State.EDITING
    if draft.translations:
        # Texts changed by hand since are no longer the imported translations.
        draft.translations = drafts.unchanged(draft.values, values, draft.translations)
    draft.values = values
    draft.based_on = live.version
    draft.save()
    draft.authors.add(user)
    record(live, Action.DRAFT_SAVED, user)
    return draft


@transaction.atomic
def submit(obj, user, version, comment, link=""):
    """Ask publishers to review the draft of `obj`."""
    require(may_change(user, obj))
    live = claim(obj, version)
    draft = draft_of(live)
    draft.state = Draft.State.SUBMITTED
    draft.submitted_by = user
    draft.submitted_at = timezone.now()
    draft.save()
    draft.authors.add(user)
    record(live, Action.SUBMITTED, user, comment)
    publishers = [
        person
        for person in get_user_model().objects.filter(is_active=True).exclude(email="")
        if may_publish(person, live) and person != user
    ]
    notify(
        publishers,
        gettext_noop("Changes to “%(name)s” await your review"),
        gettext_noop("%(user)s submitted changes to “%(name)s” for review."),
        live,
        user,
        comment,
        link,
    )
    return draft


@transaction.atomic
def send_back(obj, user, version, comment, link=""):
    """Return the draft of `obj` to its authors with `comment`: what to fix."""
    require(may_publish(user, obj))
    if not comment.strip():
        raise ValidationError(gettext("Say what to change before sending it back."))
    live = claim(obj, version)
    draft = draft_of(live)
    draft.state = Draft.State.RETURNED
    draft.publish_at = None
    draft.still_accurate = []
    draft.save()
    record(live, Action.SENT_BACK, user, comment)
    notify(
        authors(draft, user),
        gettext_noop("Changes to “%(name)s” were sent back"),
        gettext_noop("%(user)s sent your changes to “%(name)s” back."),
        live,
        user,
        comment,
        link,
    )
    return draft


@transaction.atomic
def publish(obj, user, version=None, at=None, comment="", link="", still_accurate=()):
    """Publish `obj` with its draft, if it has one: now, or at `at`.

    A page visitors already see keeps showing its published content until
    `at`, when its draft is applied (publish_due). Refused (NotTranslated) if
    it would not be complete in both languages, or if a text of it or of what
    its page shows would be out of date with the other language's, unless
    `still_accurate` names it (currency.key): the Publisher confirms it.
    """
    require(may_publish(user, obj))
    live = claim(obj, version)
    draft = Draft.of(live)
    now = timezone.now()
    still_accurate = set(still_accurate)
    if at is not None and at > now and live.is_live(now) and draft is not None:
        # Judged now, as the draft will make it; confirmed when applied.
        with translations(draft.translations):
            outdated = currency.out_of_date(drafts.as_shown(live, draft), draft.minor)
        refuse_out_of_date(live, outdated, still_accurate)
        draft.publish_at = at
        draft.scheduled_by = user
        draft.still_accurate = sorted(
            currency.confirmation(obj, field, language)
            for obj, field, language, _ in outdated
        )
        draft.save()
        record(live, Action.SCHEDULED, user, comment)
        return live
    if draft is not None:
        with translations(draft.translations):
            live = write(live, draft.values, draft.minor)
    live.publish_at = at if at is not None and at > now else live.publish_at
    missing = live.missing_translations()
    if any(missing.values()):
        raise NotTranslated(live, missing)
    confirm_out_of_date(live, user, still_accurate)
    if live.unpublish_at and live.unpublish_at <= now:
        live.unpublish_at = None
    live.status = Status.PUBLISHED
    live.full_clean()
    live.save(update_fields=["status", "publish_at", "unpublish_at"])
    keep_revision(live, user, gettext_noop("Published."))
    if draft is not None:
        told = authors(draft, user)
        draft.delete()
        notify(
            told,
            gettext_noop("Your changes to “%(name)s” are published"),
            gettext_noop("%(user)s published your changes to “%(name)s”."),
            live,
            user,
            comment,
            link,
        )
    record(live, Action.PUBLISHED, user, comment)
    return live


def as_drafted(obj, parts_drafts=False):
    """Return `obj` and what its page shows, with its draft applied if it has
    one (drafts.as_shown), and [(object, field, language, status, row)] for
    each text missing or out of date as the draft would leave it.

    `parts_drafts`: what has drafts of its own (a page's offices) is taken
    with its draft too, as a translator working on it would see it.
    """
    draft = Draft.of(obj)
    objects = drafts.as_shown(obj, draft)
    imported = dict(draft.translations if draft else {})
    if parts_drafts:
        for index, each in enumerate(objects):
            if each is obj or not hasattr(each, "draft_children"):
                continue
            own = Draft.of(each)
            if own is not None:
                objects[index], _parts = drafts.build(
                    type(each).objects.get(pk=each.pk), own.values
                )
                imported.update(own.translations)
    with translations(imported):
        found = currency.problems(objects, draft is not None and draft.minor)
    return objects, found


def refuse_out_of_date(live, outdated, still_accurate):
    """Raise NotTranslated if a text of `outdated` is not confirmed:
    `still_accurate` must hold its currency.confirmation, made against the
    source text as it is (one read before the source changed confirms
    nothing)."""
    confirmed = set(still_accurate)
    left = [
        each for each in outdated if currency.confirmation(*each[:3]) not in confirmed
    ]
    if left:
        raise NotTranslated(live, {}, left)


def confirm_out_of_date(live, user, still_accurate):
    """The publishing gate's second half: refuse while a text of `live` or
    of what its page shows is out of date, unless `still_accurate` confirms
    it and `user` may still publish it; record those as confirmed by `user`."""
    if user is None or not may_publish(user, live):
        still_accurate = ()
    outdated = currency.out_of_date(live.shown_objects())
    refuse_out_of_date(live, outdated, still_accurate)
    for each, field, language, _row in outdated:
        currency.mark_current(each, field, language, user)


@transaction.atomic
def unpublish(obj, user, version=None):
    """Take `obj` from visitors; its draft, if any, stays a draft."""
    require(may_publish(user, obj))
    live = claim(obj, version)
    live.status = Status.DRAFT
    live.save(update_fields=["status"])
    keep_revision(live, user, gettext_noop("Unpublished."))
    record(live, Action.UNPUBLISHED, user)
    return live


@transaction.atomic
def archive(obj, user, version=None, successor=None):
    """Archive `obj`: its address keeps answering, with Canada.ca's archived
    notice and a link to `successor`, a page visitors see, if given."""
    require(may_publish(user, obj))
    if successor is not None and (
        type(successor) is not type(obj)
        or successor.pk == obj.pk
        or not successor.is_live()
    ):
        raise ValidationError(gettext("Choose a published page to send visitors to."))
    live = claim(obj, version)
    if live.status == Status.DRAFT:
        # Visitors never saw it: both languages are due on an archived page.
        missing = live.missing_translations()
        if any(missing.values()):
            raise NotTranslated(live, missing)
    live.status = Status.ARCHIVED
    live.successor = successor
    live.save(update_fields=["status", "successor"])
    keep_revision(live, user, gettext_noop("Archived."))
    record(live, Action.ARCHIVED, user)
    return live


@transaction.atomic
def discard(obj, user, version=None):
    """Delete the draft of `obj`: a Publisher's right, or its only author's."""
    require(may_change(user, obj))
    live = claim(obj, version)
    draft = draft_of(live)
    require(may_publish(user, live) or set(draft.authors.all()) <= {user})
    draft.delete()
    record(live, Action.DISCARDED, user)
    return True


@transaction.atomic
def restore(obj, user, version_id, version):
    """Bring back the content of an earlier revision of `obj` (the revision
    holds its parts): live for a Publisher, or where visitors see nothing;
    else as the draft, for review. Its publication state stays as it is."""
    require(may_change(user, obj))
    old = revision_values(obj, version_id)
    live = claim(obj, version)
    if holds_changes(user, live):
        keep(live, user, old, minor=False)
    else:
        if (draft := Draft.of(live)) is not None:
            draft.delete()
        live = write(live, old, minor=False)
        keep_revision(live, user, gettext_noop("Restored."))
    record(live, Action.RESTORED, user)
    return live


def revision_values(obj, version_id):
    """Return the values the revision of `obj`'s version `version_id` held,
    as a draft's; Version.DoesNotExist unless it is a version of `obj`."""
    kept = (
        Version.objects.get_for_object(obj)
        .select_related("revision")
        .get(pk=version_id)
    )
    values = {"fields": kept.field_dict, "children": {}}
    for name, model, parent_field in drafts.relations(obj):
        kind = ContentType.objects.get_for_model(model)
        rows = []
        for part in kept.revision.version_set.filter(content_type=kind):
            fields = part.field_dict
            if fields.get(f"{parent_field}_id") == obj.pk:
                rows.append({"pk": int(part.object_id), "fields": fields})
        values["children"][name] = rows
    return values


@transaction.atomic
def publish_due(now=None):
    """Apply the drafts whose publication time has come; return how many."""
    now = now or timezone.now()
    done = 0
    for draft in Draft.objects.filter(publish_at__lte=now):
        live = draft.target()
        if live is None:
            draft.delete()
            continue
        try:
            # Each in its own savepoint: one that no longer validates (what it
            # lists was deleted since) does not stop the others, nor the
            # visitor's request this may run in (relations.cache).
            with transaction.atomic():
                live = claim(live, None)
                with translations(draft.translations):
                    live = write(live, draft.values, draft.minor)
                confirm_out_of_date(live, draft.scheduled_by, draft.still_accurate)
                keep_revision(live, None, gettext_noop("Published as scheduled."))
                draft.delete()
                record(live, Action.PUBLISHED, None)
        except (ValidationError, NotTranslated) as refusal:
            logger.warning("Scheduled changes to %s not published: %s", live, refusal)
            Draft.objects.filter(pk=draft.pk).update(
                publish_at=None, state=Draft.State.RETURNED, still_accurate=[]
            )
            record(live, Action.SENT_BACK, None, refusal_text(refusal))
            continue
        done += 1
    return done


def refusal_text(refusal):
    if isinstance(refusal, ValidationError):
        return " ".join(refusal.messages)
    return str(refusal)


def draft_of(live):
    draft = Draft.of(live)
    if draft is None:
        raise ValidationError(gettext("There are no draft changes."))
    return draft


def authors(draft, user):
    """Return who wrote the draft, but `user`, who is acting on it."""
    people = set(draft.authors.all())
    if draft.submitted_by:
        people.add(draft.submitted_by)
    return [person for person in people if person != user]


def awaiting_review(user):
    """Return the drafts submitted for review that `user` may publish."""
    found = []
    for draft in Draft.objects.filter(state=Draft.State.SUBMITTED).select_related(
        "content_type", "submitted_by"
    ):
        target = draft.target()
        if target is not None and may_publish(user, target):
            found.append((draft, target))
    return found


def notify(people, subject, body, obj, user, comment, link):
    """Email `people` in both official languages; a failure to send is not
    the workflow's failure (the Activity is the record)."""
    recipients = [person.email for person in people if person.email]
    if not recipients:
        return
    parts = {}
    for language, _name in settings.LANGUAGES:
        with translation.override(language):
            values = {
                "name": obj.display_name(),
                "user": str(user) if user else gettext("The schedule"),
            }
            text = gettext(body) % values
            if comment:
                text += "\n\n" + gettext("Comment: %(comment)s") % {"comment": comment}
            if link:
                text += "\n\n" + link
            parts[language] = (gettext(subject) % values, text)
    message = EmailMessage(
        " / ".join(subject for subject, _text in parts.values()),
        "\n\n-----\n\n".join(text for _subject, text in parts.values()),
        to=recipients,
    )
    try:
        message.send()
    except (OSError, smtplib.SMTPException):
        logger.exception("Could not send the publishing notice to %s", recipients)


def confirm_translation(page, obj, field, language, user):
    """A Publisher's "Still accurate": `obj`'s text of `field` in `language`
    (`obj` is `page` or a part it shows) is current with the other
    language's text as it is now."""
    require(may_publish(user, page))
    if field not in currency.translated_fields(type(obj)) or language not in LANGUAGES:
        raise ValidationError(gettext("This is not a translated field."))
    return currency.mark_current(obj, field, language, user)

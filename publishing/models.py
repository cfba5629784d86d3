import re

from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils import translation
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

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

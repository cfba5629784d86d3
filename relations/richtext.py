"""Rich text for editors' HTML, kept to an allow-list with nh3."""

import nh3
from django.db import models

ALLOWED_TAGS = {"p", "h3", "h4", "ul", "ol", "li", "a", "strong", "em", "blockquote"}
ALLOWED_ATTRIBUTES = {"a": {"href"}}
URL_SCHEMES = {"http", "https", "mailto", "tel"}


def sanitize(html):
    """Return `html` with everything outside the allow-list removed."""
    if not html:
        return html
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        link_rel=None,
        strip_comments=True,
    ).strip()


class RichTextField(models.TextField):
    """A TextField whose HTML is sanitised every time it is saved."""

    def pre_save(self, model_instance, add):
        value = sanitize(super().pre_save(model_instance, add))
        setattr(model_instance, self.attname, value)
        return value

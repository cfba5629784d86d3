"""The sitemap: every page visitors can see, in English and in French."""

from functools import cached_property

from django.contrib.sitemaps import Sitemap
from django.db.models import Max
from django.urls import reverse

from .models import Relationship


class BilingualSitemap(Sitemap):
    """List each page in both languages, each linked to its counterpart.

    Django's own x_default strips the language prefix from the default
    language's address, which here leads nowhere but from the home page; the
    page that lets visitors choose a language is the splash page.
    """

    i18n = True
    alternates = True

    def get_urls(self, page=1, site=None, protocol=None):
        urls = super().get_urls(page=page, site=site, protocol=protocol)
        protocol = self.get_protocol(protocol)
        splash = f"{protocol}://{self.get_domain(site)}{reverse('splash')}"
        for url in urls:
            url["alternates"].append({"location": splash, "lang_code": "x-default"})
        return urls


class PageSitemap(BilingualSitemap):
    """Pages about no single object: each language's home and the directory."""

    def items(self):
        return ["relations:home", "consulates:office_list"]

    def location(self, name):
        return reverse(name)

    def lastmod(self, name):
        return self.latest_change

    @cached_property
    def latest_change(self):
        published = Relationship.objects.published()
        return published.aggregate(latest=Max("content_modified_at"))["latest"]


class RelationshipSitemap(BilingualSitemap):
    def items(self):
        return Relationship.objects.published()

    def lastmod(self, relationship):
        return relationship.content_modified_at

    def get_latest_lastmod(self):
        # The index's date for the section, asked of the database.
        return self.items().aggregate(latest=Max("content_modified_at"))["latest"]


# Classes, not instances: the view makes one per request, so nothing cached
# on an instance outlives it. config.urls adds the offices' (consulates).
SITEMAPS = {
    "pages": PageSitemap,
    "relationships": RelationshipSitemap,
}

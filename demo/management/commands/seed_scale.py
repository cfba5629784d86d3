"""Generate a ministry's worth of synthetic content, for benchmarks and scale
tests only: N relationship pages (one per ISO country), each with eight areas
of action and two offices, labelled as synthetic in both languages."""

import random
import tomllib

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify

from consulates.models import Office
from publishing.models import Status
from relations import cache
from relations.models import Country, Relationship, Topic

from .load_demo import DEMO_FILE

# Every synthetic page's English slug and summary start so.
MARK = "synthetic-"
SUMMARY = "Synthetic test content"
TOPICS_PER_PAGE = 8
# Words the bodies are drawn from, in each language, as Zipf's law spreads
# words in real text; seeded, so every run makes the same rows.
WORDS = {
    "en": (
        "trade security border energy climate defence investment agreement "
        "cooperation partners economy jobs innovation science health culture "
        "education environment arctic water fisheries migration tourism "
        "students research supply chains critical minerals labour rights women "
        "democracy development humanitarian assistance peace infrastructure "
        "agriculture transport digital cyber space ocean forests"
    ).split(),
    "fr": (
        "commerce sécurité frontière énergie climat défense investissement "
        "accord coopération partenaires économie emplois innovation science "
        "santé culture éducation environnement arctique eau pêches migration "
        "tourisme étudiants recherche chaînes approvisionnement minéraux "
        "critiques travail droits femmes démocratie développement aide "
        "humanitaire paix infrastructures agriculture transports numérique "
        "cybersécurité espace océans forêts"
    ).split(),
}


def demo_page():
    """Return the demo page's filter: its country, address, title and
    summary as loaded (a real page at the same address is real content)."""
    with DEMO_FILE.open("rb") as file:
        page = tomllib.load(file)["relationship"]
    return {
        "country_code": page["country_code"],
        **{
            f"{field}_en": page["en"][field].strip()
            for field in ("slug", "title", "summary")
        },
    }


def synthetic_pages():
    """Return the pages an earlier run made: an address and a summary that
    say so, both (an editor's page named "synthetic-…" is not one)."""
    return Relationship.objects.filter(
        slug_en__startswith=MARK, summary_en__startswith=SUMMARY
    )


class Command(BaseCommand):
    help = (
        "Generate N synthetic relationship pages, eight areas of action and two "
        "offices each, labelled as synthetic, for benchmarks and scale tests "
        "only. Replaces the synthetic pages of an earlier run. Refuses if the "
        "site holds real content other than the demo, unless --force."
    )

    def add_arguments(self, parser):
        parser.add_argument("--countries", type=int, required=True)
        parser.add_argument(
            "--force",
            action="store_true",
            help="Run even though real content other than the demo exists.",
        )

    def handle(self, *args, countries, force, **options):
        if countries < 0:
            raise CommandError("--countries must be 0 or more.")
        synthetic = synthetic_pages()
        real = Relationship.objects.exclude(pk__in=synthetic).exclude(**demo_page())
        if real.exists() and not force:
            raise CommandError(
                f"This site holds {real.count()} real relationship page(s) besides "
                "the demo: synthetic content is for benchmarks and scale tests. "
                "Use --force to add it anyway."
            )
        taken = set(Relationship.objects.values_list("country_code", flat=True))
        # Countries with a region of the ministry's list; never Canada itself.
        candidates = (
            Country.objects.exclude(code="CA")
            .exclude(region=None)
            .exclude(region__key="other")
            .order_by("code")
        )
        replaced = set(synthetic.values_list("country_code", flat=True))
        free = [c for c in candidates if c.code not in taken or c.code in replaced]
        if countries > len(free):
            raise CommandError(
                f"Only {len(free)} countries have no relationship page: ask for fewer."
            )
        with transaction.atomic():
            synthetic.delete()
            made = make(free[:countries])
        # bulk_create sends no signal: the search index and the cached pages
        # are brought up to date here.
        call_command("rebuild_search_index", stdout=self.stdout)
        cache.bump()
        Relationship.objects.update(page_version=cache.new_number())
        self.stdout.write(
            f"{made['pages']} synthetic pages, {made['topics']} areas of action, "
            f"{made['offices']} offices."
        )


def make(countries):
    draw = random.Random(2026)
    now = timezone.now()
    pages = Relationship.objects.bulk_create(
        Relationship(
            country_code=country.code,
            region_id=country.region_id,
            status=Status.PUBLISHED,
            first_published_at=now,
            partner_name_en=country.name_en,
            partner_name_fr=country.name_fr,
            partner_name_with_article_en=country.name_en,
            partner_name_with_article_fr=country.name_fr,
            title_en=f"Canada-{country.name_en} relations (synthetic)",
            title_fr=f"Relations Canada–{country.name_fr} (synthétique)",
            slug_en=f"{MARK}{slugify(country.name_en)}-{country.code.lower()}",
            slug_fr=f"synthetique-{slugify(country.name_fr)}-{country.code.lower()}",
            summary_en=(
                f"{SUMMARY} about {country.name_en}, generated for benchmarks and "
                "scale tests."
            ),
            summary_fr=(
                f"Contenu d’essai synthétique (pays\N{NO-BREAK SPACE}: "
                f"{country.name_fr}), généré pour les bancs d’essai et les essais "
                "de charge."
            ),
        )
        for country in countries
    )
    topics = Topic.objects.bulk_create(
        Topic(
            relationship=page,
            sort_order=n,
            listing=Topic.Listing.OFFICES if n == 0 else "",
            **{
                f"{field}_{language}": value
                for language in ("en", "fr")
                for field, value in topic_text(draw, language, n).items()
            },
        )
        for page in pages
        for n in range(TOPICS_PER_PAGE)
    )
    offices = Office.objects.bulk_create(
        office
        for page, country in zip(pages, countries, strict=True)
        for office in page_offices(page, country, now)
    )
    return {"pages": len(pages), "topics": len(topics), "offices": len(offices)}


def topic_text(draw, language, n):
    weights = [1 / rank for rank in range(1, len(WORDS[language]) + 1)]
    words = draw.choices(WORDS[language], weights, k=80)
    title = " ".join(words[:3]).capitalize()
    anchor = {"en": "area", "fr": "domaine"}[language]
    return {
        "title": title,
        "anchor": f"{anchor}-{n + 1}",
        "body": "<p>"
        + " ".join(words[3:40])
        + ".</p><ul><li>"
        + " ".join(words[40:60])
        + "</li><li>"
        + " ".join(words[60:])
        + "</li></ul>",
    }


def page_offices(page, country, now):
    code = country.code.lower()
    yield Office(
        relationship=page,
        run_by=Office.RunBy.CANADA,
        kind=Office.Kind.EMBASSY,
        status=Status.PUBLISHED,
        first_published_at=now,
        name_en=f"Embassy of Canada to {country.name_en} (synthetic)",
        name_fr=f"Ambassade du Canada, {country.name_fr} (synthétique)",
        city_en=f"Capital {country.code}",
        city_fr=f"Capitale {country.code}",
        slug_en=f"{MARK}embassy-{code}",
        slug_fr=f"synthetique-ambassade-{code}",
        address_en="1 Synthetic Street",
        address_fr="1, rue Synthétique",
        phone="+1 613-555-0100",
    )
    yield Office(
        relationship=page,
        run_by=Office.RunBy.PARTNER,
        kind=Office.Kind.EMBASSY,
        status=Status.PUBLISHED,
        first_published_at=now,
        name_en=f"Embassy of {country.name_en} in Ottawa (synthetic)",
        name_fr=f"Ambassade à Ottawa — {country.name_fr} (synthétique)",
        city_en="Ottawa",
        city_fr="Ottawa",
        slug_en=f"{MARK}embassy-of-{code}-in-ottawa",
        slug_fr=f"synthetique-ambassade-de-{code}-a-ottawa",
        address_en="2 Synthetic Street\nOttawa, ON K1A 0A1",
        address_fr="2, rue Synthétique\nOttawa (Ontario) K1A 0A1",
        phone="+1 613-555-0101",
    )

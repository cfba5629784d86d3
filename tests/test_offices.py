"""The office directory, each office's page, and the open data."""

import csv
import datetime
import importlib
import io
import json

import pytest
from django.contrib.auth.models import Group
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from django.utils.http import parse_http_date

from consulates.models import Office
from tests.support.pages import html

CANADA, PARTNER = Office.RunBy.CANADA, Office.RunBy.PARTNER


@pytest.fixture
def offices(make_relationship, make_office):
    """Two countries, offices run by each side, and some visitors must not see."""
    mexico = make_relationship(
        code="MX", **{"partner_name_en": "Mexico", "partner_name_fr": "Mexique"}
    )
    brazil = make_relationship(
        code="BR",
        partner_name_en="Brazil",
        partner_name_fr="Brésil",
        title_en="Canada-Brazil relations",
        title_fr="Relations Canada-Brésil",
        slug_en="brazil",
        slug_fr="bresil",
    )
    hidden = make_relationship(code="CL", status="draft", slug_en="chile")
    made = {
        "mexico_city": make_office(
            mexico,
            city="Mexico City",
            city_fr="Mexico",
            name_en="Embassy of Canada to Mexico",
        ),
        "monterrey": make_office(mexico, city="Monterrey", kind=Office.Kind.CONSULATE),
        "mexico_in_montreal": make_office(
            mexico,
            city="Montréal",
            run_by=PARTNER,
            kind=Office.Kind.CONSULATE_GENERAL,
            name_en="Consulate General of Mexico in Montréal",
            name_fr="Consulat général du Mexique à Montréal",
        ),
        "brasilia": make_office(brazil, city="Brasília"),
        "draft": make_office(brazil, city="São Paulo", status="draft"),
        "on_draft_page": make_office(hidden, city="Santiago"),
    }
    return made


def names(response):
    return [a.get_text() for a in html(response).select(".office-list a")]


# The directory


@pytest.mark.parametrize(
    "url, heading, count",
    [
        ("/en/offices/", "Canada’s offices abroad", "4 offices"),
        ("/fr/bureaux/", "Bureaux du Canada à l’étranger", "4 bureaux"),
    ],
)
def test_the_directory_lists_published_offices_by_side_and_country(
    client, offices, url, heading, count
):
    response = client.get(url)
    assert response.status_code == 200
    page = html(response)
    assert page.select_one(".office-count").get_text(strip=True) == count
    groups = page.select("section.office-group")
    assert groups[0].h2.get_text() == heading
    # Countries in alphabetical order within each side.
    assert [h3.get_text() for h3 in groups[0].select("h3")][0] in {"Brazil", "Brésil"}
    shown = names(response)
    assert len(shown) == 4
    assert not any("São Paulo" in name or "Santiago" in name for name in shown)


def test_filters_are_plain_get_parameters_and_combine(client, offices):
    response = client.get("/en/offices/?country=MX&kind=consulate")
    assert html(response).select_one(".office-count").get_text(strip=True) == "1 office"
    assert names(response) == [offices["monterrey"].name_en]
    page = html(response)
    assert page.select_one("#id_country option[selected]")["value"] == "MX"
    # The language toggle keeps the filters.
    toggle = page.select_one("#wb-lng a")["href"]
    assert toggle == "/fr/bureaux/?country=MX&kind=consulate"


def test_city_filter_ignores_accents_and_case(client, offices):
    response = client.get("/fr/bureaux/?city=montreal")
    assert names(response) == ["Consulat général du Mexique à Montréal"]
    assert html(response).find("h2", string="Bureaux d’autres pays au Canada")


def test_a_city_no_longer_listed_finds_nothing_politely(client, offices):
    response = client.get("/en/offices/?city=Atlantis")
    assert response.status_code == 200
    assert "No office matches these filters." in response.content.decode()


@pytest.mark.parametrize(
    "query, message",
    [
        ("?kind=bogus", "Ce n’est pas un type de bureau."),
        ("?country=ZZ", "Aucun bureau n’est répertorié pour ce pays."),
        ("?city=" + "x" * 101, "Aucune ville n’a un nom aussi long."),
        ("?city=%00", "Ce n’est pas un nom de ville."),
        ("?kind=%3Cscript%3E", "Ce n’est pas un type de bureau."),
    ],
)
def test_bad_filters_answer_400_in_the_visitors_language(
    client, offices, query, message
):
    response = client.get(f"/fr/bureaux/{query}")
    assert response.status_code == 400
    body = response.content.decode()
    assert message in body
    assert "<script>" not in body
    assert (
        html(response).select_one("#office-filters-errors a")["href"].startswith("#id_")
    )


def test_the_directory_costs_the_same_queries_for_any_number_of_offices(
    client, offices, make_office
):
    def count():
        with CaptureQueriesContext(connection) as queries:
            assert client.get("/en/offices/?kind=embassy").status_code == 200
        return len(queries)

    before = count()
    for _ in range(60):
        make_office(offices["brasilia"].relationship, city="Recife")
    assert count() == before
    # The content version, the countries (their own, those served), the
    # cities, the offices' sort keys, the page's offices and the countries
    # they serve, the dates.
    assert before <= 9


# One office


def test_the_office_page_shows_every_detail(client, offices):
    office = offices["mexico_city"]
    Office.objects.filter(pk=office.pk).update(
        address_en="Schiller 529\nMexico City",
        address_fr="Schiller 529\nMexico",
        phone="+52 55 5724-7900",
        emergency_phone="+1 613-996-8885",
        toll_free_phone="1 800 387-3124",
        fax="+52 55 5724-7980",
        email="mexico@international.gc.ca",
        website_en="https://example.gc.ca/en",
        website_fr="https://example.gc.ca/fr",
        services_en="Passport services\nNotarial services",
        services_fr="Services de passeport\nServices notariaux",
        hours_en="Monday to Friday: 9 am to 5 pm",
        hours_fr="Du lundi au vendredi : de 9 h à 17 h",
        latitude="19.432600",
        longitude="-99.191300",
    )
    office.refresh_from_db()
    response = client.get(f"/fr/bureaux/{office.slug_fr}/")
    assert response.status_code == 200
    page = html(response)
    assert page.h1.get_text() == office.name_fr
    assert page.find("a", href="tel:+525557247900").get_text() == "+52 55 5724-7900"
    details = {
        dt.get_text(): dt.find_next("dd").get_text(" ", strip=True)
        for dt in page.select(".office-details dt")
    }
    assert details["Urgence (24 heures sur 24)"] == "+1 613-996-8885"
    assert details["Sans frais"] == "1 800 387-3124"
    assert page.find("a", href="tel:18003873124")
    assert page.find("a", href="mailto:mexico@international.gc.ca")
    # The link's text is where it leads, not an address that wraps.
    assert page.find("a", href="https://example.gc.ca/fr").get_text() == "example.gc.ca"
    assert [
        li.get_text() for li in page.find("h2", string="Services").find_next("ul")("li")
    ] == [
        "Services de passeport",
        "Services notariaux",
    ]
    assert "Du lundi au vendredi : de 9 h à 17 h" in page.get_text()
    assert page.find("h2", string="Coordonnées")
    assert page.find("address").get_text() == "Schiller 529Mexico"
    crumbs = [a.get_text() for a in page.select(".breadcrumb a")]
    assert crumbs[-1] == "Répertoire des bureaux"
    assert page.select_one(".office-relationship a")[
        "href"
    ] == "/fr/relations/mexique-1/" or (
        page.select_one(".office-relationship a")["href"].startswith("/fr/relations/")
    )
    assert page.select_one("#wb-lng a")["href"] == f"/en/offices/{office.slug_en}/"

    assert page.find("meta", property="og:title")["content"] == office.name_fr
    assert page.find("meta", attrs={"name": "description"})["content"] == (
        f"{office.name_fr}\N{NO-BREAK SPACE}: adresse, téléphone, heures d’ouverture "
        "et services."
    )

    data = json.loads(page.find("script", type="application/ld+json").string)
    assert data["@type"] == "GovernmentOffice"
    assert data["name"] == office.name_fr
    assert data["url"] == f"http://testserver/fr/bureaux/{office.slug_fr}/"
    assert data["telephone"] == "+52 55 5724-7900"
    assert data["email"] == "mexico@international.gc.ca"
    assert data["address"]["addressLocality"] == "Mexico"
    assert data["address"]["streetAddress"] == "Schiller 529, Mexico"
    assert data["geo"] == {
        "@type": "GeoCoordinates",
        "latitude": 19.4326,
        "longitude": -99.1913,
    }


def test_json_ld_cannot_be_closed_by_content(client, offices):
    office = offices["brasilia"]
    Office.objects.filter(pk=office.pk).update(
        name_en="</script><script>alert(1)</script>"
    )
    response = client.get(f"/en/offices/{office.slug_en}/")
    body = response.content.decode()
    assert "<script>alert(1)" not in body
    ld = html(response).find("script", type="application/ld+json").string
    assert json.loads(ld)["name"] == "</script><script>alert(1)</script>"


@pytest.mark.parametrize("key", ["draft", "on_draft_page"])
def test_offices_visitors_must_not_see_answer_404(client, offices, key):
    office = offices[key]
    assert client.get(f"/en/offices/{office.slug_en}/").status_code == 404


def test_staff_preview_a_draft_office_others_get_404(
    client, offices, django_user_model
):
    office = offices["draft"]
    url = f"/fr/apercu/bureaux/{office.pk}/"
    assert client.get(url).status_code == 404
    editor = django_user_model.objects.create_user("ed", password="pw", is_staff=True)
    editor.groups.set(Group.objects.filter(name="Editor"))
    client.force_login(editor)
    response = client.get(url)
    assert response.status_code == 200
    assert response["X-Robots-Tag"] == "noindex, nofollow"
    assert "no-store" in response["Cache-Control"]
    page = html(response)
    assert page.find("meta", attrs={"name": "robots"})["content"] == "noindex, nofollow"
    assert page.select_one(".preview-notice")
    assert page.select_one("#wb-lng a")["href"] == f"/en/preview/offices/{office.pk}/"


def test_the_relations_page_links_each_city_to_its_office(client, offices, make_topic):
    office = offices["monterrey"]
    make_topic(office.relationship, listing="offices")
    response = client.get(f"/en/relations/{office.relationship.slug_en}/")
    sentence = html(response).select_one(".offices-sentence")
    assert (
        sentence.find("a", string="Monterrey")["href"]
        == f"/en/offices/{office.slug_en}/"
    )


# Open data


def test_open_data_json_has_both_languages_of_published_offices(client, offices):
    response = client.get("/api/offices.json")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json; charset=utf-8"
    assert response["Access-Control-Allow-Origin"] == "*"
    assert response["ETag"] and response["Last-Modified"]
    data = response.json()
    by_id = {record["id"]: record for record in data["offices"]}
    assert set(by_id) == {
        offices[key].pk
        for key in ("mexico_city", "monterrey", "mexico_in_montreal", "brasilia")
    }
    record = by_id[offices["mexico_in_montreal"].pk]
    assert record["name_en"] == "Consulate General of Mexico in Montréal"
    assert record["name_fr"] == "Consulat général du Mexique à Montréal"
    assert record["kind_label_fr"] == "Consulat général"
    assert record["run_by"] == "partner"
    assert record["country_code"] == "MX"
    assert record["page_fr"].endswith(
        f"/fr/bureaux/{offices['mexico_in_montreal'].slug_fr}/"
    )
    assert record["last_modified"]


def test_open_data_answers_304_to_a_matching_etag_and_changes_with_content(
    client, offices
):
    first = client.get("/api/offices.json")
    again = client.get("/api/offices.json", headers={"If-None-Match": first["ETag"]})
    assert again.status_code == 304
    assert again.content == b""
    office = offices["brasilia"]
    office.name_en = "Embassy of Canada to Brazil"
    office.save()
    changed = client.get("/api/offices.json", headers={"If-None-Match": first["ETag"]})
    assert changed.status_code == 200
    assert changed["ETag"] != first["ETag"]


@pytest.mark.parametrize("url", ["/api/offices.json", "/api/offices.csv"])
def test_open_data_validators_move_only_when_published_data_changes(
    client, offices, time_machine, url
):
    time_machine.move_to(timezone.now())

    def validators():
        response = client.get(url)
        return response["ETag"], response["Last-Modified"]

    first = validators()
    time_machine.move_to(timezone.now() + datetime.timedelta(days=1))
    hidden = [offices["draft"], offices["on_draft_page"]]
    for office in hidden:
        office.name_en = "Renamed while unpublished"
        office.save()
    chile = offices["on_draft_page"].relationship
    chile.title_en = "Canada-Chile relations, renamed"
    chile.save()
    assert validators() == first
    again = client.get(url, headers={"If-Modified-Since": first[1]})
    assert again.status_code == 304

    time_machine.move_to(timezone.now() + datetime.timedelta(days=1))
    offices["brasilia"].unpublish()
    withdrawn = validators()
    assert withdrawn[0] != first[0]
    assert parse_http_date(withdrawn[1]) > parse_http_date(first[1])
    assert client.get(url, headers={"If-Modified-Since": first[1]}).status_code == 200

    # Back as it was: a client that saw the office withdrawn must see it again.
    time_machine.move_to(timezone.now() + datetime.timedelta(days=1))
    offices["brasilia"].publish()
    back = validators()
    assert back[0] != withdrawn[0]
    assert parse_http_date(back[1]) > parse_http_date(withdrawn[1])
    assert (
        client.get(url, headers={"If-Modified-Since": withdrawn[1]}).status_code == 200
    )


def test_open_data_csv_parses_with_both_languages(client, offices):
    response = client.get("/api/offices.csv")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    assert len(rows) == 4
    assert {"id", "name_en", "name_fr", "city_en", "city_fr", "last_modified"} <= set(
        rows[0]
    )
    assert "Brasília" in {row["city_en"] for row in rows}
    etag = response["ETag"]
    assert (
        client.get("/api/offices.csv", headers={"If-None-Match": etag}).status_code
        == 304
    )


def test_open_data_is_read_only(client, offices):
    assert client.post("/api/offices.json").status_code == 405
    assert client.head("/api/offices.csv").status_code == 200


@pytest.mark.parametrize(
    ("language", "directory"), [("en", "/en/offices/"), ("fr", "/fr/bureaux/")]
)
def test_the_directory_is_linked_from_home_the_relationship_page_and_the_footer(
    client, demo, language, directory
):
    home = html(client.get(f"/{language}/"))
    assert home.select_one(f'main a[href="{directory}"]')
    page = html(
        client.get(
            demo.get_absolute_url() if language == "en" else "/fr/relations/etats-unis/"
        )
    )
    assert page.select_one(f'main a[href="{directory}?country=US"]')
    for soup in (
        home,
        page,
        html(
            client.get(f"/{language}/{'search' if language == 'en' else 'recherche'}/")
        ),
    ):
        assert soup.select_one(f'footer a[href="{directory}"]')


def toggle(soup):
    return soup.select_one("#wb-lng a")["href"]


def test_the_toggle_keeps_a_city_filter_by_its_name_in_the_other_language(client, demo):
    french = client.get("/fr/bureaux/?city=Québec")
    assert names(french) == ["Consulat général des États-Unis à Québec"]
    english_url = toggle(html(french))
    assert english_url == "/en/offices/?city=Qu%C3%A9bec+City"
    assert names(client.get(english_url)) == [
        "Consulate General of the United States in Québec City"
    ]
    assert toggle(html(client.get(english_url))) == "/fr/bureaux/?city=Qu%C3%A9bec"


def test_the_toggle_carries_only_the_filters(client, demo):
    soup = html(client.get("/en/offices/?country=US&kind=embassy&utm_source=x"))
    assert toggle(soup) == "/fr/bureaux/?country=US&kind=embassy"


def test_the_toggle_does_not_thank_for_a_report_sent_in_the_other_language(
    client, demo
):
    soup = html(client.get("/en/relations/united-states/?feedback=sent"))
    assert toggle(soup) == "/fr/relations/etats-unis/"


@pytest.mark.parametrize(
    ("url", "message"),
    [
        (
            "/en/offices/?country=XX",
            "Country: No office is listed for this country. "
            "Choose a country from the list.",
        ),
        (
            "/fr/bureaux/?country=XX",
            "Pays\N{NO-BREAK SPACE}: Aucun bureau n’est répertorié pour ce pays. "
            "Choisissez un pays dans la liste.",
        ),
        (
            "/en/offices/?kind=palace",
            "Type of office: This is not a type of office. "
            "Choose a type from the list.",
        ),
        (
            "/fr/bureaux/?kind=palace",
            "Type de bureau\N{NO-BREAK SPACE}: Ce n’est pas un type de bureau. "
            "Choisissez un type dans la liste.",
        ),
    ],
)
def test_a_bad_filter_is_explained_in_the_visitors_language(client, demo, url, message):
    response = client.get(url)
    assert response.status_code == 400
    summary = html(response).select_one("#office-filters-errors li")
    assert summary.get_text(strip=True) == message
    assert "Select a valid choice" not in response.text


def test_the_csv_neutralises_what_a_spreadsheet_would_run(client, offices):
    office = offices["monterrey"]
    office.name_en = '=HYPERLINK("https://evil.example","Click")'
    office.city_fr = "@SUM(A1:A9)"
    office.phone = "+1 613-555-0100"
    office.longitude = "-100.316116"
    office.save()
    rows = list(csv.DictReader(io.StringIO(client.get("/api/offices.csv").text)))
    (row,) = [row for row in rows if row["id"] == str(office.pk)]
    assert row["name_en"] == '\'=HYPERLINK("https://evil.example","Click")'
    assert row["city_fr"] == "'@SUM(A1:A9)"
    assert row["phone"] == "'+1 613-555-0100"
    assert row["longitude"] == "-100.316116"
    data = client.get("/api/offices.json").json()
    (record,) = [r for r in data["offices"] if r["id"] == office.pk]
    assert record["name_en"] == '=HYPERLINK("https://evil.example","Click")'


def test_an_office_page_shows_no_label_without_a_value(client, offices):
    office = offices["monterrey"]
    page = html(client.get(f"/en/offices/{office.slug_en}/"))
    main = page.select_one("main")
    assert main.h1.get_text() == office.name_en
    assert not main.select(".office-details")
    headings = [h2.get_text() for h2 in main.select("h2")]
    for empty in ["Contact", "Services", "Hours", "Notes"]:
        assert empty not in headings
    office.phone = "+52 81 8378-0240"
    office.save()
    page = html(client.get(f"/en/offices/{office.slug_en}/"))
    labels = [dt.get_text() for dt in page.select(".office-details dt")]
    assert labels == ["Telephone"]


def test_an_upgrade_moves_toll_free_numbers_to_their_own_field(offices):
    from django.apps import apps

    migration = importlib.import_module(
        "consulates.migrations.0007_office_toll_free_phone"
    )
    toll_free, emergency = offices["monterrey"], offices["brasilia"]
    Office.objects.filter(pk=toll_free.pk).update(emergency_phone="1 (800) 387-3124")
    Office.objects.filter(pk=emergency.pk).update(emergency_phone="+1 613-996-8885")
    migration.move_toll_free_numbers(apps, None)
    toll_free.refresh_from_db()
    emergency.refresh_from_db()
    assert (toll_free.emergency_phone, toll_free.toll_free_phone) == (
        "",
        "1 (800) 387-3124",
    )
    assert (emergency.emergency_phone, emergency.toll_free_phone) == (
        "+1 613-996-8885",
        "",
    )


# Offices that serve several countries


@pytest.fixture
def guatemala(make_relationship):
    return make_relationship(
        code="GT",
        partner_name_en="Guatemala",
        partner_name_fr="Guatemala",
        title_en="Canada-Guatemala relations",
        title_fr="Relations Canada-Guatemala",
        slug_en="guatemala",
        slug_fr="guatemala-fr",
    )


def test_an_office_accredited_to_another_country_is_listed_on_its_page(
    client, offices, guatemala
):
    from consulates.models import ServedCountry

    embassy = offices["mexico_city"]
    page = "/en/relations/guatemala/"
    assert not html(client.get(page)).select(".offices-abroad li")
    ServedCountry.objects.create(office=embassy, country_id="GT")
    # The page's cached content follows at once.
    listed = html(client.get(page)).select(".offices-abroad li")
    assert [li.a.get_text() for li in listed] == ["Embassy of Canada to Mexico"]
    assert listed[0].a["href"] == embassy.get_absolute_url()
    french = html(client.get("/fr/relations/guatemala-fr/"))
    assert french.select_one(".onward h3").get_text() == (
        "Bureaux situés dans un autre pays"
    )
    # Unpublished, it leaves the page.
    embassy.status = "draft"
    embassy.save()
    assert not html(client.get(page)).select(".offices-abroad li")


def test_the_directory_lists_every_office_serving_a_country(client, offices, guatemala):
    from consulates.models import ServedCountry

    ServedCountry.objects.create(office=offices["mexico_city"], country_id="GT")
    soup = html(client.get("/en/offices/?country=GT"))
    assert names(client.get("/en/offices/?country=GT")) == [
        "Embassy of Canada to Mexico"
    ]
    assert [h3.get_text() for h3 in soup.select(".office-group h3")] == ["Guatemala"]
    codes = [o["value"] for o in soup.select("#id_country option")]
    assert "GT" in codes
    everything = html(client.get("/fr/bureaux/"))
    also = [span.get_text() for span in everything.select(".office-also")]
    assert also == ["Dessert aussi\N{NO-BREAK SPACE}: Guatemala"]


@pytest.mark.parametrize(
    ("url", "advice"),
    [
        (
            "/en/relations/united-states/",
            "https://travel.gc.ca/destinations/united-states",
        ),
        ("/fr/relations/etats-unis/", "https://voyage.gc.ca/destinations/etats-unis"),
    ],
)
def test_each_relationship_page_links_to_the_countrys_travel_advice(
    client, demo, url, advice
):
    soup = html(client.get(url))
    link = soup.select_one(f'.onward a[href="{advice}"]')
    assert link is not None
    assert ("Travel advice" in link.get_text()) or ("Conseils" in link.get_text())


def test_the_directory_comes_fifty_offices_a_page(client, offices, make_office):
    brazil = offices["brasilia"].relationship
    for n in range(60):
        make_office(brazil, city=f"Recife {n:02}", kind=Office.Kind.CONSULATE)
    first = html(client.get("/en/offices/?kind=consulate"))
    assert len(first.select(".office-list li")) == 50
    assert "61 offices" in first.select_one(".office-count").get_text()
    links = [a["href"] for a in first.select(".search-pages a")]
    assert "?kind=consulate&page=2" in links
    second = html(client.get("/en/offices/?kind=consulate&page=2"))
    assert len(second.select(".office-list li")) == 11
    assert second.select_one("#wb-lng a")["href"] == (
        "/fr/bureaux/?kind=consulate&page=2"
    )
    # A page past the end shows the last; one that is not a number, the first.
    assert len(html(client.get("/en/offices/?page=99")).select(".office-list li"))
    assert client.get("/en/offices/?page=x").status_code == 200


def test_a_corrected_travel_advice_address_shows_at_once(client, demo):
    from relations.models import Country

    page = "/en/relations/united-states/"
    assert html(client.get(page)).select_one(
        '.onward a[href="https://travel.gc.ca/destinations/united-states"]'
    )
    country = Country.objects.get(code="US")
    country.travel_advice_url_en = "https://travel.gc.ca/destinations/usa"
    country.save()
    assert html(client.get(page)).select_one(
        '.onward a[href="https://travel.gc.ca/destinations/usa"]'
    )


def test_an_office_leaves_the_pages_it_serves_when_its_own_page_is_withdrawn(
    client, offices, guatemala
):
    from consulates.models import ServedCountry

    ServedCountry.objects.create(office=offices["mexico_city"], country_id="GT")
    page = "/en/relations/guatemala/"
    assert html(client.get(page)).select(".offices-abroad li")
    mexico = offices["mexico_city"].relationship
    mexico.status = "draft"
    mexico.save()
    assert not html(client.get(page)).select(".offices-abroad li")


@pytest.mark.parametrize(
    ("code", "message"),
    [
        ("CA", "Canada is not a country an office abroad serves."),
        ("MX", "This is the office’s own country: choose another."),
    ],
)
def test_an_office_serves_neither_canada_nor_its_own_country(offices, code, message):
    from django.core.exceptions import ValidationError

    from consulates.models import ServedCountry

    served = ServedCountry(office=offices["mexico_city"], country_id=code)
    with pytest.raises(ValidationError, match=message):
        served.full_clean()


def test_a_country_needs_its_name_in_both_languages(demo):
    from django.core.exceptions import ValidationError

    from relations.models import Country

    country = Country.objects.get(code="MX")
    country.name_fr = ""
    with pytest.raises(ValidationError) as refused:
        country.full_clean()
    assert "name_fr" in refused.value.message_dict
    country.refresh_from_db()
    country.travel_advice_url_fr = ""
    with pytest.raises(ValidationError) as refused:
        country.full_clean()
    assert "travel_advice_url_fr" in refused.value.message_dict


def test_publishing_a_country_served_moves_the_offices_date_modified(offices):
    from consulates.models import ServedCountry
    from publishing import workflow
    from publishing.drafts import current

    office = offices["mexico_city"]
    before = office.content_modified_at
    values = current(office)
    values["children"]["served_countries"] = [
        {"pk": None, "fields": {"country_id": "GT"}}
    ]
    workflow.write(office, values, minor=False)
    office.refresh_from_db()
    assert ServedCountry.objects.filter(office=office, country_id="GT").exists()
    assert office.content_modified_at > before


def test_the_toggle_finds_a_city_typed_without_its_accents(client, demo):
    soup = html(client.get("/en/offices/?city=quebec%20city"))
    assert names_in(soup) == ["Consulate General of the United States in Québec City"]
    assert soup.select_one("#wb-lng a")["href"] == "/fr/bureaux/?city=Qu%C3%A9bec"


def names_in(soup):
    return [a.get_text() for a in soup.select(".office-list a")]


def test_an_archived_office_of_an_unpublished_page_is_not_shown(
    client, offices, make_office
):
    hidden = offices["on_draft_page"]
    hidden.status = "archived"
    hidden.save()
    assert client.get(f"/en/offices/{hidden.slug_en}/").status_code == 404
    response = client.get(f"/en/report-a-problem/?page=/en/offices/{hidden.slug_en}/")
    assert response.status_code == 405


def test_every_office_search_finds_leads_to_a_page(client, demo):
    demo.status = "archived"
    demo.save()
    soup = html(client.get("/en/search/", {"q": "Atlanta"}))
    for link in soup.select(".search-results h3 a"):
        assert client.get(link["href"].split("#")[0]).status_code == 200, link

"""A relationship page costs a fixed number of SQL queries, whatever it shows."""

import pytest

from consulates.models import Office

# The content version (relations.cache), then the relationship, its topics,
# agreements, organizations and offices, its country (travel advice) and the
# offices in other countries that serve it.
PAGE_QUERIES = 8


@pytest.fixture
def relationship_with(
    make_relationship, make_topic, make_office, make_agreement, make_organization
):
    def build(count):
        relationship = make_relationship(slug_en="mexico", slug_fr="mexique")
        for n in range(count):
            make_topic(relationship, listing="offices" if n == 0 else "")
            make_agreement(relationship)
            make_organization(relationship)
            make_office(relationship, city=f"City {n}", kind=Office.Kind.CONSULATE)
            make_office(relationship, city=f"Town {n}", run_by=Office.RunBy.PARTNER)
        return relationship

    return build


@pytest.mark.parametrize("count", [1, 30])
@pytest.mark.parametrize("url", ["/en/relations/mexico/", "/fr/relations/mexique/"])
def test_relationship_page_query_count_is_fixed(
    client, django_assert_num_queries, relationship_with, count, url
):
    relationship_with(count)
    with django_assert_num_queries(PAGE_QUERIES):
        response = client.get(url)
    assert response.status_code == 200
    assert response.content.decode().count('class="topic"') == count

"""Who may do what in the admin, login protection, and what reaches the page
from the rich-text editor."""

import pytest
from django.conf import settings
from django.contrib.auth.hashers import Argon2PasswordHasher
from django.contrib.auth.models import Group, Permission
from django.contrib.contenttypes.models import ContentType
from django.utils import translation

from relations.models import Relationship, Status
from relations.richtext import label_other_language_links, sanitize
from tests.support.pages import admin_url, form_data


@pytest.fixture
def member(client, django_user_model):
    def log_in(*groups):
        user = django_user_model.objects.create_user(
            "-".join(groups) or "nobody", password="pw", is_staff=True
        )
        user.groups.set(Group.objects.filter(name__in=groups))
        client.force_login(user)
        return client

    return log_in


def test_the_four_groups_come_from_a_migration(db):
    names = set(Group.objects.values_list("name", flat=True))
    assert {"Editor", "Publisher", "Feedback reviewer", "Administrator"} <= names


def test_an_editor_edits_but_cannot_publish(member, make_relationship):
    client = member("Editor")
    draft = make_relationship(status="draft")
    change = admin_url("relations_relationship_change", "en", draft.pk)
    page = client.get(change)
    assert page.status_code == 200
    assert "publish_at" not in form_data(page, "relationship_form")
    changelist = client.get(admin_url("relations_relationship_changelist", "en"))
    assert 'value="publish"' not in changelist.content.decode()

    data = {**form_data(page, "relationship_form"), "_save": "1"}
    data["summary_fr"] = "Nouveau résumé."
    assert client.post(change, data).status_code == 302

    client.post(
        admin_url("relations_relationship_changelist", "en"),
        {"action": "publish", "_selected_action": [draft.pk], "index": 0},
    )
    draft.refresh_from_db()
    assert draft.summary_fr == "Nouveau résumé."
    assert draft.status == Status.DRAFT
    delete = client.get(admin_url("relations_relationship_delete", "en", draft.pk))
    assert delete.status_code == 403


def test_a_publisher_publishes(member, make_relationship):
    client = member("Publisher")
    draft = make_relationship(status="draft")
    client.post(
        admin_url("relations_relationship_changelist", "fr"),
        {"action": "publish", "_selected_action": [draft.pk], "index": 0},
    )
    draft.refresh_from_db()
    assert draft.status == Status.PUBLISHED


@pytest.mark.parametrize(
    "view",
    [
        "relations_relationship_changelist",
        "relations_agreement_changelist",
        "consulates_office_changelist",
        "relations_relationship_add",
    ],
)
def test_a_feedback_reviewer_cannot_open_content(member, view, db):
    client = member("Feedback reviewer")
    assert client.get(admin_url(view, "en")).status_code == 403
    assert (
        client.get(admin_url("feedback_problemreport_changelist", "en")).status_code
        == 200
    )


@pytest.mark.parametrize("group", ["Editor", "Publisher", "Feedback reviewer"])
def test_only_administrators_see_users(member, group, db):
    client = member(group)
    assert client.get(admin_url("auth_user_changelist", "en")).status_code == 403
    assert client.get(admin_url("auth_group_changelist", "en")).status_code == 403


def test_an_administrator_manages_users_not_content(member, db):
    client = member("Administrator")
    assert client.get(admin_url("auth_user_changelist", "en")).status_code == 200
    assert client.get(admin_url("auth_group_changelist", "en")).status_code == 200
    page = client.get(admin_url("relations_relationship_changelist", "en"))
    assert page.status_code == 403


# Login protection


def attempt(client, username, password, language="en"):
    return client.post(
        admin_url("login", language),
        {"username": username, "password": password},
        REMOTE_ADDR="192.0.2.10",
    )


def test_five_failures_lock_that_username_from_that_client(
    client, django_user_model, caplog
):
    django_user_model.objects.create_user(
        "ana", password="right-Pass-42", is_staff=True
    )
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        assert attempt(client, "ana", "wrong").status_code == 200
    locked = attempt(client, "ana", "wrong", "fr")
    assert locked.status_code == 429
    text = locked.content.decode()
    assert "Too many failed sign-in attempts" in text
    assert "Trop de tentatives de connexion échouées" in text
    assert "60 minutes" in text

    # Even the right password is refused now, for this username from this client.
    assert attempt(client, "ana", "right-Pass-42").status_code == 429
    assert "_auth_user_id" not in client.session
    assert any("Locking out" in r.getMessage() for r in caplog.records)

    # Another username from the same client is not locked.
    django_user_model.objects.create_user(
        "ben", password="right-Pass-42", is_staff=True
    )
    assert attempt(client, "ben", "right-Pass-42").status_code == 302


def test_successful_logins_are_logged(client, django_user_model, caplog):
    django_user_model.objects.create_user(
        "cleo", password="right-Pass-42", is_staff=True
    )
    caplog.set_level("INFO", logger="axes")
    assert attempt(client, "cleo", "right-Pass-42").status_code == 302
    assert any("Successful login" in r.getMessage() for r in caplog.records)


def test_passwords_are_hashed_with_argon2_and_validated():
    from config import settings as production

    assert production.PASSWORD_HASHERS[0].endswith("Argon2PasswordHasher")
    hasher = Argon2PasswordHasher()
    hashed = hasher.encode("a long pass phrase", hasher.salt())
    assert hashed.startswith("argon2$")
    assert hasher.verify("a long pass phrase", hashed)
    assert not hasher.verify("another phrase", hashed)
    names = [v["NAME"].rsplit(".", 1)[-1] for v in production.AUTH_PASSWORD_VALIDATORS]
    assert "CommonPasswordValidator" in names and "MinimumLengthValidator" in names


# Rich text


@pytest.mark.parametrize(
    "pasted, stored",
    [
        ("<p>Hi<script>alert(1)</script></p>", "<p>Hi</p>"),
        ('<p style="color:red">Red</p><style>p{}</style>', "<p>Red</p>"),
        ('<p onclick="steal()" onmouseover="x">Text</p>', "<p>Text</p>"),
        ('<a href="javascript:alert(1)">Go</a>', "<a>Go</a>"),
        ('<iframe src="https://evil.example"></iframe><p>After</p>', "<p>After</p>"),
        ("<marquee><blink>Old</blink></marquee><h1>Big</h1>", "OldBig"),
        (
            '<a href="https://x.ca" hreflang="de" lang="x" target="_blank">X</a>',
            '<a href="https://x.ca">X</a>',
        ),
        (
            '<a href="https://x.ca" hreflang="fr" lang="fr">X</a>',
            '<a href="https://x.ca" hreflang="fr" lang="fr">X</a>',
        ),
        ("<p></p>", ""),
    ],
)
def test_only_the_allow_list_is_stored(make_relationship, make_topic, pasted, stored):
    topic = make_topic(make_relationship(), body_en=pasted)
    topic.refresh_from_db()
    assert topic.body_en == stored
    assert sanitize(pasted) == stored


def test_pasted_html_through_the_admin_form_is_sanitized(member, demo):
    client = member("Publisher")
    url = admin_url("relations_relationship_change", "en", demo.pk)
    data = {**form_data(client.get(url), "relationship_form"), "_save": "1"}
    # Minor: a change to one language, saved live (publishing.currency).
    data["minor_change"] = "on"
    data["topics-0-body_fr"] = (
        '<p onclick="x()">Texte <a href="javascript:alert(1)">lien</a></p>'
        '<iframe src="//evil"></iframe><script>alert(1)</script>'
        "<table><tr><td>T</td></tr></table>"
    )
    assert client.post(url, data).status_code == 302
    stored = demo.topics.order_by("sort_order").first().body_fr
    assert stored == "<p>Texte <a>lien</a></p>T"


def test_a_link_to_a_page_in_one_language_says_so():
    link = '<p><a href="https://fr.ca" hreflang="fr" lang="fr">Guide</a></p>'
    assert label_other_language_links(link, "en") == (
        '<p><a href="https://fr.ca" hreflang="fr" lang="fr">Guide</a> '
        "<span>(French only)</span></p>"
    )
    assert label_other_language_links(link, "fr") == link
    english = '<a href="https://en.ca" hreflang="en" lang="en">Guide</a>'
    assert "(en anglais seulement)" in label_other_language_links(english, "fr")


def test_the_page_shows_the_label(client, demo):
    demo.topics.filter(sort_order=1).update(
        body_fr='<p><a href="https://x.ca" hreflang="en" lang="en">Guide</a></p>'
    )
    with translation.override("fr"):
        url = demo.get_absolute_url()
    page = client.get(url).content.decode()
    assert 'lang="en">Guide</a> <span>(en anglais seulement)</span>' in page
    assert Relationship.objects.published().exists()


# Roles hold at the edges


@pytest.fixture
def administrator(member, django_user_model):
    client = member("Administrator")
    return client, django_user_model.objects.get(username="Administrator")


def user_form(client, user):
    url = admin_url("auth_user_change", "en", user.pk)
    return url, {**form_data(client.get(url), "user_form"), "_save": "1"}


def test_an_administrator_cannot_make_itself_a_superuser(administrator):
    client, me = administrator
    url, data = user_form(client, me)
    data["is_superuser"] = "on"
    assert client.post(url, data).status_code == 302
    me.refresh_from_db()
    assert not me.is_superuser


def test_an_administrator_cannot_grant_permissions_one_by_one(
    administrator, django_user_model
):
    client, me = administrator
    other = django_user_model.objects.create_user("ed", is_staff=True)
    publish = Permission.objects.get(codename="publish_relationship")
    for user in (me, other):
        url, data = user_form(client, user)
        data["user_permissions"] = [publish.pk]
        assert client.post(url, data).status_code == 302
        assert not user.user_permissions.exists()


@pytest.mark.parametrize("language", ["en", "fr"])
def test_only_a_superuser_grants_the_administrator_group(
    administrator, django_user_model, client, language
):
    admin_client, _ = administrator
    other = django_user_model.objects.create_user("ed", is_staff=True)
    administrators = Group.objects.get(name="Administrator")
    url, data = user_form(admin_client, other)
    data["groups"] = [administrators.pk, Group.objects.get(name="Editor").pk]
    url = admin_url("auth_user_change", language, other.pk)
    refused = admin_client.post(url, data)
    assert refused.status_code == 200
    assert {
        "en": "Only a superuser can add someone to or remove someone from the "
        "Administrator group.",
        "fr": "Seul un super-utilisateur peut ajouter une personne au groupe "
        "Administrator ou l’en retirer.",
    }[language] in refused.content.decode()
    assert not other.groups.exists()

    root = django_user_model.objects.create_superuser("root", password="pw")
    client.force_login(root)
    assert client.post(url, data).status_code == 302
    assert other.groups.filter(name="Administrator").exists()


def test_an_administrator_keeps_its_group_when_editing_its_own_account(
    administrator,
):
    client, me = administrator
    url, data = user_form(client, me)
    data["first_name"] = "Ada"
    assert client.post(url, data).status_code == 302
    me.refresh_from_db()
    assert me.first_name == "Ada"
    assert me.groups.filter(name="Administrator").exists()


def test_an_administrator_cannot_disable_reset_or_delete_another(
    administrator, django_user_model
):
    client, _ = administrator
    other = django_user_model.objects.create_user("ad", password="pw", is_staff=True)
    other.groups.add(Group.objects.get(name="Administrator"))
    change = admin_url("auth_user_change", "en", other.pk)
    assert client.post(change, {"username": "ad", "_save": "1"}).status_code == 403
    password = admin_url("auth_user_password_change", "en", other.pk)
    new = {"password1": "An0ther-long-pass", "password2": "An0ther-long-pass"}
    assert client.post(password, new).status_code == 403
    client.post(
        admin_url("auth_user_changelist", "en"),
        {"action": "delete_selected", "_selected_action": [other.pk], "post": "yes"},
    )
    other.refresh_from_db()
    assert other.is_active
    assert other.check_password("pw")


def test_an_administrator_cannot_change_a_superuser_or_any_groups_permissions(
    administrator, django_user_model
):
    client, _ = administrator
    root = django_user_model.objects.create_superuser("root", password="pw")
    change = admin_url("auth_user_change", "en", root.pk)
    assert client.post(change, {"username": "taken", "_save": "1"}).status_code == 403
    password = admin_url("auth_user_password_change", "en", root.pk)
    new = {"password1": "An0ther-long-pass", "password2": "An0ther-long-pass"}
    assert client.post(password, new).status_code == 403
    root.refresh_from_db()
    assert root.username == "root"
    assert root.check_password("pw")
    group = Group.objects.get(name="Administrator")
    publish = Permission.objects.get(codename="publish_relationship")
    client.post(
        admin_url("auth_group_change", "en", group.pk),
        {"name": "Administrator", "permissions": [publish.pk]},
    )
    assert not group.permissions.filter(pk=publish.pk).exists()


@pytest.mark.parametrize("group", ["Feedback reviewer", "Administrator"])
def test_view_on_site_does_not_reveal_unpublished_addresses(
    member, make_relationship, group
):
    draft = make_relationship(status="draft", slug_en="secret-plan")
    kind = ContentType.objects.get_for_model(draft)
    url = admin_url("view_on_site", "en", kind.pk, draft.pk)
    response = member(group).get(url)
    assert response.status_code == 404
    assert "secret-plan" not in response.get("Location", "")


def test_view_on_site_leads_an_editor_to_the_page(member, make_relationship):
    draft = make_relationship(status="draft", slug_en="secret-plan")
    kind = ContentType.objects.get_for_model(draft)
    url = admin_url("view_on_site", "en", kind.pk, draft.pk)
    response = member("Editor").get(url)
    assert response.status_code == 302
    assert "secret-plan" in response["Location"]

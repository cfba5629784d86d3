"""The publishing core attacked: every publishing URL of the admin, for a
relationship and for an office, as each role, with hostile input, and as a
hurried editor presses buttons on stale screens.

The database is checked after every request: a refusal must leave the
status, the content, the draft, the revisions and the Activity as they were.
The matrices of every URL by role, bad id and bad version are marked slow:
they run in CI (make test-slow, and the PostgreSQL run).
"""

import datetime

import pytest
from django.contrib.messages import get_messages
from django.test import Client
from django.utils import timezone
from reversion.models import Version

from consulates.models import Office
from publishing import drafts, workflow
from publishing.models import Activity, Draft
from relations.models import Relationship, Status
from tests.support.pages import admin_url, form_data, html
from tests.support.people import OUTSIDERS

MODELS = {"relationship": "relations_relationship", "office": "consulates_office"}
# A field of each model that a draft changes.
DRAFT_FIELD = {"relationship": "summary_en", "office": "notes_en"}
VIEWS = [
    "review",
    "submit",
    "discard",
    "publish",
    "unpublish",
    "archive",
    "history",
    "compare_revisions",
    "changes",
    "restore",
    "compare",
]
NO_DRAFT = "There are no draft changes."
HUGE = 10**30


# Fixtures and helpers


def fresh(obj):
    return type(obj).objects.get(pk=obj.pk)


def key_of(obj):
    return "office" if isinstance(obj, Office) else "relationship"


def change_live(obj, user, **fields):
    """Change `obj` live through the workflow: a second revision to restore from."""
    obj = fresh(obj)
    values = drafts.current(obj)
    values["fields"].update(fields)
    for name, value in fields.items():
        # Both languages, as a Publisher changing a live page must.
        french = name.removesuffix("_en") + "_fr"
        if name.endswith("_en") and french not in fields:
            values["fields"][french] = f"{value} (fr)"
    workflow.save(obj, user, values, obj.version)
    return fresh(obj)


def make_draft(obj, user, submit=True, text="Draft text."):
    """Give `obj` a draft by `user` changing DRAFT_FIELD, submitted for review."""
    obj = fresh(obj)
    values = drafts.current(obj)
    field = DRAFT_FIELD[key_of(obj)]
    values["fields"][field] = text
    # Both languages: the French is not left out of date (the gate would refuse).
    values["fields"][field.replace("_en", "_fr")] = f"{text} (fr)"
    workflow.save_draft(obj, user, values, obj.version)
    if submit:
        workflow.submit(fresh(obj), user, fresh(obj).version, "Please review.")
    return fresh(obj)


@pytest.fixture
def objects(demo, people):
    """The demo page and one of its offices, live, each with two revisions."""
    office = demo.offices.order_by("pk").first()
    demo = change_live(
        demo,
        people["peter"],
        summary_en="A second revision.",
        summary_fr="Une deuxième révision.",
    )
    office = change_live(
        office,
        people["peter"],
        notes_en="A second revision.",
        notes_fr="Une deuxième révision.",
    )
    return {"relationship": demo, "office": office}


@pytest.fixture
def drafted(objects, people):
    """`objects`, each with a draft by Eric, submitted for review."""
    return {key: make_draft(obj, people["eric"]) for key, obj in objects.items()}


def rows(model, with_version=True):
    return [
        (
            obj.pk,
            obj.status,
            obj.version if with_version else None,
            obj.publish_at,
            obj.unpublish_at,
            obj.successor_id,
            drafts.current(obj),
        )
        for obj in model.objects.order_by("pk")
    ]


def world():
    """What the database holds that publishing may change, everywhere."""
    return {
        "relationships": rows(Relationship),
        "offices": rows(Office),
        "drafts": [
            (
                draft.content_type_id,
                draft.object_id,
                draft.state,
                draft.values,
                draft.publish_at,
                draft.based_on,
                draft.submitted_by_id,
                sorted(draft.authors.values_list("pk", flat=True)),
            )
            for draft in Draft.objects.order_by("pk")
        ],
        "activities": Activity.objects.count(),
        "versions": Version.objects.count(),
    }


def live_world():
    """What visitors see: the live objects' state and content. Not their
    version, which moves with any change of their draft too."""
    return {
        "relationships": rows(Relationship, with_version=False),
        "offices": rows(Office, with_version=False),
    }


def versions_of(obj):
    """The object's revisions, newest first."""
    return list(Version.objects.get_for_object(obj))


def url(view, obj, *args, language="en"):
    model = MODELS[key_of(obj)]
    if view in ("changes", "restore") and not args:
        args = (versions_of(obj)[-1].pk,)
    address = admin_url(f"{model}_{view}", language, obj.pk, *args)
    if view == "compare_revisions":
        newest, oldest = versions_of(obj)[0], versions_of(obj)[-1]
        address += f"?from={oldest.pk}&to={newest.pk}"
    return address


def posts(view, obj):
    """The bodies a browser would POST to `view`, with the current version."""
    version = fresh(obj).version
    body = {"version": version, "comment": "Looks fine.", "successor": ""}
    if view == "review":
        return [
            {**body, "_publish": "1", "publish_at": ""},
            {**body, "_send_back": "1", "comment": "Fix it."},
        ]
    return [body]


def messages_of(response):
    """The messages the page after this request would show."""
    return [str(m) for m in get_messages(response.wsgi_request)]


def text(response):
    return html(response).get_text(" ", strip=True)


def assert_no_server_error(response, what):
    assert response.status_code < 500, f"{what}: {response.status_code}"


# 1. Each role, each URL, GET and POST


@pytest.mark.slow
@pytest.mark.parametrize("view", VIEWS)
@pytest.mark.parametrize("key", MODELS)
def test_anonymous_is_sent_to_log_in_and_changes_nothing(drafted, as_user, key, view):
    """Anonymous attack: every publishing URL, GET and POST, without signing in."""
    obj = drafted[key]
    client = as_user("anonymous")
    before = world()
    for language in ("en", "fr"):
        for method, bodies in [("get", [{}]), ("post", posts(view, obj))]:
            for body in bodies:
                address = url(view, obj, language=language)
                response = getattr(client, method)(address, body)
                assert response.status_code == 302, (language, method, body)
                assert f"/{language}/admin/login/" in response["Location"]
                assert world() == before


@pytest.mark.slow
@pytest.mark.parametrize("view", VIEWS)
@pytest.mark.parametrize("key", MODELS)
def test_staff_without_content_permissions_are_refused(drafted, as_user, key, view):
    """Staff with no group, Feedback reviewers and Administrators: 403 on every
    publishing URL (of an object with a submitted draft), nothing changes."""
    obj = drafted[key]
    before = world()
    for role in OUTSIDERS:
        client = as_user(role)
        for method, bodies in [("get", [{}]), ("post", posts(view, obj))]:
            for body in bodies:
                response = getattr(client, method)(url(view, obj), body)
                assert response.status_code == 403, (role, method, body)
                assert world() == before


# What an Editor may do on a page visitors see: change its draft, never live.
EDITOR_MAY = {"submit", "restore"}


@pytest.mark.slow
@pytest.mark.parametrize("with_draft", [True, False], ids=["draft", "no-draft"])
@pytest.mark.parametrize("view", VIEWS)
@pytest.mark.parametrize("key", MODELS)
def test_an_editor_never_changes_what_visitors_see(
    objects, people, as_user, key, view, with_draft
):
    """Editor attack: every publishing URL, GET and POST, on a live page with a
    draft by another Editor (or none). No 500; a Publisher's act is refused;
    an Editor's own acts touch the draft only."""
    obj = make_draft(objects[key], people["eric"]) if with_draft else objects[key]
    client = as_user("edith")
    before, live_before = world(), live_world()
    response = client.get(url(view, obj))
    assert response.status_code in (200, 302)
    assert world() == before
    for body in posts(view, obj):
        response = client.post(url(view, obj), body)
        assert_no_server_error(response, (view, body))
        if view in EDITOR_MAY:
            assert live_world() == live_before
        else:
            # Refused (403), or nothing to do (400 "no draft", or a redirect).
            assert response.status_code in (200, 302, 400, 403), body
            assert world() == before, body


@pytest.mark.parametrize(
    "view", ["review", "publish", "unpublish", "archive", "discard"]
)
@pytest.mark.parametrize("key", MODELS)
def test_an_editor_posting_a_publishers_act_is_forbidden(drafted, as_user, key, view):
    """Editor attack: POST straight to a Publisher's act (or discard of another
    Editor's draft) with the right version: 403, nothing changes."""
    obj = drafted[key]
    client = as_user("edith")
    before = world()
    for body in posts(view, obj):
        response = client.post(url(view, obj), body)
        if view == "publish":
            # A page with a draft is published from its review screen.
            assert response.status_code == 302
            assert response["Location"] == url("review", obj)
        else:
            assert response.status_code == 403, body
        assert world() == before


@pytest.mark.slow
@pytest.mark.parametrize("view", VIEWS)
@pytest.mark.parametrize("key", MODELS)
def test_a_publisher_gets_every_publishing_url(drafted, as_user, key, view):
    """Publisher: each screen answers (no 500), and a GET changes nothing."""
    obj = drafted[key]
    client = as_user("paula")
    before = world()
    response = client.get(url(view, obj))
    assert response.status_code in (200, 302)
    assert world() == before


@pytest.mark.slow
@pytest.mark.parametrize("view", VIEWS)
@pytest.mark.parametrize("key", MODELS)
def test_a_publisher_posts_every_publishing_url_without_error(
    drafted, as_user, key, view
):
    """Publisher: each act, POSTed as the screen would, answers without a 500."""
    obj = drafted[key]
    client = as_user("paula")
    for body in posts(view, obj)[:1]:
        response = client.post(url(view, obj), body)
        assert response.status_code in (200, 302, 400), body


@pytest.mark.parametrize("key", MODELS)
def test_an_editor_restoring_on_a_live_page_leaves_it_a_draft(objects, as_user, key):
    """Editor: Restore on a live page becomes draft changes, never live ones."""
    obj = objects[key]
    client = as_user("edith")
    before = live_world()
    restore = url("restore", obj)
    response = client.post(restore, form_data(client.get(restore), "confirm-form"))
    assert response.status_code == 302
    assert live_world() == before
    assert Draft.of(obj) is not None


@pytest.mark.parametrize("role", ["anonymous", *OUTSIDERS, "edith", "paula"])
def test_the_admin_home_answers_each_role_with_drafts_waiting(drafted, as_user, role):
    """Each role opens the admin home while drafts await review: no 500, and
    only a Publisher sees the list."""
    response = as_user(role).get(admin_url("index", "en"))
    if role == "anonymous":
        assert response.status_code == 302
        return
    assert response.status_code == 200
    waiting = html(response).find(id="awaiting-review")
    if role == "paula":
        assert drafted["relationship"].title_en in waiting.get_text()
        assert drafted["office"].name_en in waiting.get_text()
    else:
        assert waiting is None


def test_a_post_without_the_csrf_token_is_refused(drafted, people):
    """Cross-site attack: a Publisher's browser POSTs without the CSRF token."""
    client = Client(enforce_csrf_checks=True)
    client.force_login(people["paula"])
    obj = drafted["relationship"]
    before = world()
    for view in ("review", "unpublish", "archive", "discard"):
        response = client.post(url(view, obj), posts(view, obj)[0])
        assert response.status_code == 403
    assert world() == before


# 2. Object ids that do not exist, or are another model's


BAD_IDS = ["999999", "-1", "abc", str(HUGE), "1%2F2"]


@pytest.mark.slow
@pytest.mark.parametrize("view", VIEWS)
@pytest.mark.parametrize("key", MODELS)
def test_an_object_that_does_not_exist_is_not_found(objects, as_user, key, view):
    """Id attack: each URL with an object id that is no object's: 404, never 500."""
    obj = objects[key]
    client = as_user("paula")
    good = url(view, obj)
    before = world()
    for object_id in BAD_IDS:
        address = good.replace(f"/{obj.pk}/", f"/{object_id}/", 1)
        assert address != good
        for method, body in [("get", {}), ("post", posts(view, obj)[0])]:
            response = getattr(client, method)(address, body)
            assert response.status_code == 404, (method, address)
    assert world() == before


@pytest.mark.parametrize("view", VIEWS)
def test_an_offices_id_on_a_relationships_url_is_not_found(
    drafted, make_office, as_user, view
):
    """Id attack: a relationship URL with the id of an office (no relationship
    has it): 404, and the office is untouched."""
    office = make_office(drafted["relationship"], pk=900_002)
    assert not Relationship.objects.filter(pk=office.pk).exists()
    client = as_user("paula")
    page = drafted["relationship"]
    address = url(view, page).replace(f"/{page.pk}/", f"/{office.pk}/", 1)
    before = world()
    for method in ("get", "post"):
        response = getattr(client, method)(address, {"version": office.version})
        assert response.status_code == 404, method
    assert world() == before


# 3. Hostile input


def stale(obj):
    return fresh(obj).version - 1


# The acts of the admin, each with what it needs: (view, state, extra body).
ACTS = {
    "publish": ("publish", "unpublished", {}),
    "unpublish": ("unpublish", "live", {}),
    "archive": ("archive", "live", {}),
    "discard": ("discard", "draft", {}),
    "submit": ("submit", "draft", {"comment": "Please."}),
    "review-publish": ("review", "draft", {"_publish": "1", "comment": "Good."}),
    "review-send-back": ("review", "draft", {"_send_back": "1", "comment": "No."}),
    "restore": ("restore", "live", {}),
}


def prepare(objects, people, key, state):
    obj = objects[key]
    if state == "unpublished":
        workflow.unpublish(fresh(obj), people["peter"])
    elif state == "draft":
        make_draft(obj, people["eric"])
    return fresh(obj)


# Each a version that is not the object's; "stale" last, as it moves the version.
BAD_VERSIONS = [None, "", "abc", ["1", "abc"], "-1", "0", str(HUGE), "stale"]


@pytest.mark.slow
@pytest.mark.parametrize("act", ACTS)
@pytest.mark.parametrize("key", MODELS)
def test_a_bad_version_is_refused(objects, people, as_user, key, act):
    """Version attack: each act POSTed by a Publisher with a version that is not
    the object's (missing, empty, letters, a list, negative, zero, huge, stale):
    refused (4xx), never 500, nothing saved."""
    view, state, extra = ACTS[act]
    obj = prepare(objects, people, key, state)
    client = as_user("paula")
    for version in BAD_VERSIONS:
        body = dict(extra)
        if version == "stale":
            body["version"] = stale(obj)
        elif version is not None:
            body["version"] = version
        before = world()
        response = client.post(url(view, obj), body)
        assert 400 <= response.status_code < 500, version
        assert world() == before, version


@pytest.mark.parametrize(
    "params",
    [
        {},
        {"from": "abc", "to": "abc"},
        {"from": "-1", "to": "-1"},
        {"from": "0", "to": "0"},
        {"from": str(HUGE), "to": str(HUGE)},
        {"from": "1e3", "to": "0x10"},
        {"from": ["1", "2"], "to": ["3", "4"]},
    ],
    ids=["missing", "letters", "negative", "zero", "huge", "notation", "lists"],
)
@pytest.mark.parametrize("key", MODELS)
def test_compare_revisions_with_nonsense_is_not_found(objects, as_user, key, params):
    """Compare attack: from/to that are not version numbers: 404, never 500."""
    obj = objects[key]
    address = admin_url(f"{MODELS[key]}_compare_revisions", "en", obj.pk)
    response = as_user("paula").get(address, params)
    assert response.status_code == 404


@pytest.mark.parametrize("which", ["from", "to", "both"])
@pytest.mark.parametrize("foreign", ["other object", "other model"])
@pytest.mark.parametrize("key", MODELS)
def test_compare_revisions_with_anothers_versions_is_not_found(
    objects, people, make_relationship, make_office, as_user, key, foreign, which
):
    """Compare attack: from/to ids of another object's (or model's) revisions."""
    obj = objects[key]
    if foreign == "other model":
        other = objects["office" if key == "relationship" else "relationship"]
    elif key == "relationship":
        other = change_live(make_relationship(), people["peter"], summary_en="Other.")
    else:
        other = change_live(
            make_office(objects["relationship"]), people["peter"], sort_order=77
        )
    theirs = versions_of(other)[0].pk
    mine = versions_of(obj)[0].pk
    params = {
        "from": theirs if which in ("from", "both") else mine,
        "to": theirs if which in ("to", "both") else mine,
    }
    address = admin_url(f"{MODELS[key]}_compare_revisions", "en", obj.pk)
    response = as_user("paula").get(address, params)
    assert response.status_code == 404


@pytest.mark.parametrize("view", ["changes", "restore"])
@pytest.mark.parametrize("foreign", ["other object", "other model", "huge"])
@pytest.mark.parametrize("key", MODELS)
def test_a_version_that_is_not_the_objects_is_not_found(
    objects, people, make_relationship, as_user, key, view, foreign
):
    """Version-id attack on history/<id>/changes/ and /restore/: another object's
    revision, another model's, or a number too big for the database."""
    obj = objects[key]
    if foreign == "other model":
        version_id = versions_of(
            objects["office" if key == "relationship" else "relationship"]
        )[0].pk
    elif foreign == "other object":
        other = change_live(make_relationship(), people["peter"], summary_en="Other.")
        version_id = versions_of(other)[0].pk
    else:
        version_id = HUGE
    address = admin_url(f"{MODELS[key]}_{view}", "en", obj.pk, version_id)
    client = as_user("paula")
    before = world()
    for method in ("get", "post"):
        response = getattr(client, method)(address, {"version": obj.version})
        assert response.status_code == 404, method
    assert world() == before


@pytest.mark.parametrize("version_id", ["-1", "abc", "1.0"])
@pytest.mark.parametrize("view", ["changes", "restore"])
def test_a_version_id_that_is_not_a_number_reaches_no_view(
    objects, as_user, view, version_id
):
    """Version-id attack: the <int:> in the URL refuses what is not a number;
    the address falls to the admin's "open the change form" redirect, whose
    form finds no such object. Never a 500, nothing saved."""
    obj = objects["relationship"]
    address = url(view, obj).replace(
        f"/history/{versions_of(obj)[-1].pk}/", f"/history/{version_id}/"
    )
    client = as_user("paula")
    before = world()
    response = client.post(address, {"version": obj.version}, follow=True)
    assert response.status_code == 200
    assert response.redirect_chain[-1][0] == admin_url("index", "en")
    assert world() == before


LONG = "x" * 100_000


@pytest.mark.parametrize("act", ["submit", "review-send-back", "review-publish"])
@pytest.mark.parametrize("key", MODELS)
def test_a_100000_character_comment_is_cut_to_2000(objects, people, as_user, key, act):
    """Comment attack: 100 000 characters. No 500; what is kept is at most the
    2 000 the form allows."""
    view, state, extra = ACTS[act]
    obj = prepare(objects, people, key, state)
    client = as_user("edith" if act == "submit" else "paula")
    body = {**extra, "version": obj.version, "comment": LONG}
    response = client.post(url(view, obj), body)
    assert response.status_code == 302
    comment = Activity.objects.of(obj).order_by("-pk").first().comment
    assert 0 < len(comment) <= 2000


@pytest.mark.parametrize(
    "publish_at",
    [
        "2027-13-45",
        "yesterday",
        "0000-00-00 00:00",
        "2027-02-30 09:00",
        "2027-01-31 25:00",
        "2027-01-31 09:00+99:00",
        "<script>alert(1)</script>",
        "12345-01-01 00:00",
        "9999-12-31 23:59",
    ],
)
@pytest.mark.parametrize("live", [True, False], ids=["live", "unpublished"])
@pytest.mark.parametrize("key", MODELS)
def test_a_garbage_publication_date_is_refused(
    objects, people, as_user, key, live, publish_at
):
    """Schedule attack: a publication date that is no date (or none the
    database can hold): 400 with the expected format, nothing saved."""
    obj = objects[key]
    if not live:
        workflow.unpublish(fresh(obj), people["peter"])
    obj = make_draft(obj, people["eric"])
    before = world()
    response = as_user("paula").post(
        url("review", obj),
        {"version": obj.version, "_publish": "1", "publish_at": publish_at},
    )
    assert response.status_code == 400
    assert "2027-01-31 09:00" in text(response)
    assert world() == before


@pytest.fixture
def successors(objects, make_relationship, make_office, people):
    """Pages that are no fit successor of the demo page, by name."""
    page = objects["relationship"]
    archived = make_relationship(code="PE")
    workflow.archive(archived, people["peter"])
    return {
        "unpublished page": make_relationship(code="MX", status=Status.DRAFT).pk,
        "scheduled page": make_relationship(
            code="CL", publish_at=timezone.now() + datetime.timedelta(days=3)
        ).pk,
        "archived page": archived.pk,
        "itself": page.pk,
        "an office": make_office(page).pk,
        "no page": 999999,
        "letters": "abc",
        "huge": HUGE,
        "negative": -1,
    }


@pytest.mark.parametrize(
    "successor",
    [
        "unpublished page",
        "scheduled page",
        "archived page",
        "itself",
        "an office",
        "no page",
        "letters",
        "huge",
        "negative",
    ],
)
def test_archiving_with_a_wrong_successor_is_refused(
    objects, successors, as_user, successor
):
    """Successor attack: archive the demo page sending visitors to a page they
    cannot see, an office, itself, nothing: 400, nothing saved."""
    obj = objects["relationship"]
    before = world()
    response = as_user("paula").post(
        url("archive", obj),
        {"version": obj.version, "successor": successors[successor]},
    )
    assert response.status_code == 400
    assert "Choose a published page" in text(response)
    assert world() == before


def test_archiving_an_office_with_a_relationship_as_successor_is_refused(
    objects, make_relationship, as_user
):
    """Successor attack: an office archived with a live relationship's id
    (an id no live office has): 400, nothing saved."""
    office = objects["office"]
    page = make_relationship(pk=900_001)
    assert not Office.objects.filter(pk=page.pk).exists()
    before = world()
    response = as_user("paula").post(
        url("archive", office), {"version": office.version, "successor": page.pk}
    )
    assert response.status_code == 400
    assert world() == before


def test_archiving_with_a_live_successor_points_to_it(
    objects, make_relationship, as_user
):
    """The successor rule, the right way: a live page is accepted."""
    obj = objects["relationship"]
    other = make_relationship()
    response = as_user("paula").post(
        url("archive", obj), {"version": obj.version, "successor": other.pk}
    )
    assert response.status_code == 302
    obj = fresh(obj)
    assert obj.status == Status.ARCHIVED
    assert obj.successor_id == other.pk


@pytest.fixture
def two_pages_with_waiting_offices(objects, people, make_relationship, make_office):
    """The demo page unpublished with a draft office of its own, and another
    page with a draft office."""
    page = objects["relationship"]
    workflow.unpublish(fresh(page), people["peter"])
    mine = make_office(page, status=Status.DRAFT)
    other_page = make_relationship(code="MX", status=Status.DRAFT)
    theirs = make_office(other_page, status=Status.DRAFT)
    return fresh(page), mine, theirs


@pytest.mark.parametrize("chosen", ["theirs", "theirs and mine", "nonsense"])
def test_publishing_never_publishes_another_pages_offices(
    two_pages_with_waiting_offices, as_user, chosen
):
    """Companion attack: publish the demo page naming, as companions, offices
    of ANOTHER relationship (and junk ids): those stay unpublished, no 500."""
    page, mine, theirs = two_pages_with_waiting_offices
    companions = {
        "theirs": [theirs.pk],
        "theirs and mine": [theirs.pk, mine.pk],
        "nonsense": ["abc", str(HUGE), "-1", ""],
    }[chosen]
    response = as_user("paula").post(
        url("publish", page), {"version": page.version, "companions": companions}
    )
    assert response.status_code == 302
    assert fresh(page).status == Status.PUBLISHED
    assert fresh(theirs).status == Status.DRAFT
    assert fresh(theirs).version == theirs.version


def page_admin():
    from django.contrib import admin

    return admin.site.get_model_admin(Relationship)


def test_a_pages_companions_are_its_own_unpublished_offices(
    two_pages_with_waiting_offices,
):
    """The rule itself: a page's companions are its offices visitors do not see."""
    page, mine, theirs = two_pages_with_waiting_offices
    assert page_admin().companions(fresh(page)) == [mine]


def test_the_admin_finds_the_companions_of_the_page_it_opens(
    two_pages_with_waiting_offices, people, rf
):
    """The page as the admin's views open it (offices prefetched, published
    only) has the same companions."""
    page, mine, theirs = two_pages_with_waiting_offices
    request = rf.get("/")
    request.user = people["paula"]
    opened = page_admin().live_object(request, str(page.pk))
    assert page_admin().companions(opened) == [mine]


def test_publishing_a_page_with_its_chosen_office_publishes_the_office(
    two_pages_with_waiting_offices, as_user
):
    """Publish screen: the page's own office, chosen, is published with it."""
    page, mine, theirs = two_pages_with_waiting_offices
    response = as_user("paula").post(
        url("publish", page), {"version": page.version, "companions": [mine.pk]}
    )
    assert response.status_code == 302
    assert fresh(page).status == Status.PUBLISHED
    assert fresh(mine).status == Status.PUBLISHED


def test_the_publish_screen_offers_the_pages_unpublished_offices(
    two_pages_with_waiting_offices, as_user
):
    """The Publish screen of a page lists its own unpublished offices."""
    page, mine, theirs = two_pages_with_waiting_offices
    response = as_user("paula").get(url("publish", page))
    offered = {box["value"] for box in html(response).select('[name="companions"]')}
    assert offered == {str(mine.pk)}


def test_the_review_screen_offers_the_pages_unpublished_offices(
    two_pages_with_waiting_offices, people, as_user
):
    """The review screen of a page with a draft lists its unpublished offices."""
    page, mine, theirs = two_pages_with_waiting_offices
    page = make_draft(page, people["eric"])
    review = as_user("paula").get(url("review", page))
    offered = {box["value"] for box in html(review).select('[name="companions"]')}
    assert offered == {str(mine.pk)}


def test_publishing_from_the_review_screen_publishes_the_chosen_offices(
    two_pages_with_waiting_offices, people, as_user
):
    """Review screen: Publish with the page's own office chosen publishes both."""
    page, mine, theirs = two_pages_with_waiting_offices
    page = make_draft(page, people["eric"])
    response = as_user("paula").post(
        url("review", page),
        {"version": page.version, "_publish": "1", "companions": [mine.pk]},
    )
    assert response.status_code == 302
    assert fresh(page).status == Status.PUBLISHED
    assert fresh(mine).status == Status.PUBLISHED


@pytest.mark.parametrize("key", MODELS)
def test_a_comment_is_shown_as_text_not_markup(objects, people, as_user, key):
    """Markup attack: an Editor's comment with a script, on the review and
    history screens a Publisher opens."""
    obj = make_draft(objects[key], people["eric"], submit=False)
    as_user("edith").post(
        url("submit", obj),
        {"version": obj.version, "comment": "<script>alert('x')</script>"},
    )
    client = as_user("paula")
    for view in ("review", "history"):
        page = client.get(url(view, obj)).content.decode()
        assert "<script>alert('x')</script>" not in page
        assert "&lt;script&gt;" in page


# 4. The hurried editor


@pytest.mark.parametrize("act", ACTS)
@pytest.mark.parametrize("key", MODELS)
def test_the_same_post_twice_is_applied_once(objects, people, as_user, key, act):
    """Double-submit: the same POST, as the screen sent it, twice. The first is
    done; the second changes nothing more."""
    view, state, extra = ACTS[act]
    obj = prepare(objects, people, key, state)
    client = as_user("paula")
    body = {**extra, "version": obj.version}
    first = client.post(url(view, obj), body)
    assert first.status_code == 302
    after_first = world()
    second = client.post(url(view, obj), body)
    assert_no_server_error(second, act)
    assert world() == after_first


@pytest.mark.parametrize("act", ACTS)
@pytest.mark.parametrize("key", MODELS)
def test_the_second_of_two_same_posts_does_not_say_it_was_done(
    objects, people, as_user, key, act
):
    """Double-submit: the second answer is a refusal (or 'no draft'), never a
    success message for something that did not happen."""
    view, state, extra = ACTS[act]
    obj = prepare(objects, people, key, state)
    client = as_user("paula")
    body = {**extra, "version": obj.version}
    first = client.post(url(view, obj), body)
    said_first = messages_of(first)
    assert said_first
    # The page the first answer leads to, which shows (and so uses) its messages.
    client.get(first["Location"])
    second = client.post(url(view, obj), body)
    assert second.status_code in (302, 400)
    if second.status_code == 302:
        assert messages_of(second) == [NO_DRAFT]
    else:
        assert "changed after you opened it" in text(second)


@pytest.mark.parametrize("key", MODELS)
def test_discard_after_someone_else_published_is_refused(objects, people, as_user, key):
    """Stale screen: Edith opens Discard on her draft; Paula publishes it; Edith
    presses Discard. She must be told it changed, not that it was discarded."""
    obj = make_draft(objects[key], people["edith"])
    edith = as_user("edith")
    page = edith.get(url("discard", obj))
    workflow.publish(fresh(obj), people["paula"], fresh(obj).version)
    published = world()
    response = edith.post(url("discard", obj), form_data(page, "confirm-form"))
    assert world() == published
    assert "The draft changes were discarded." not in messages_of(response)
    assert response.status_code == 400
    assert "changed after you opened it" in text(response)


@pytest.mark.parametrize("key", MODELS)
def test_discard_after_someone_else_published_discards_nothing(
    objects, people, as_user, key
):
    """Stale screen: Discard pressed after the draft was published takes
    nothing from visitors and records nothing."""
    obj = make_draft(objects[key], people["edith"])
    edith = as_user("edith")
    page = edith.get(url("discard", obj))
    workflow.publish(fresh(obj), people["paula"], fresh(obj).version)
    published = world()
    response = edith.post(url("discard", obj), form_data(page, "confirm-form"))
    assert_no_server_error(response, "discard")
    assert world() == published
    assert getattr(fresh(obj), DRAFT_FIELD[key]) == "Draft text."


@pytest.mark.parametrize("key", MODELS)
def test_publishing_from_a_review_screen_after_it_was_sent_back_is_refused(
    objects, people, as_user, key
):
    """Stale screen: Paula opens the review; Peter sends the draft back; Paula
    presses Publish. Refused: the draft stays sent back, nothing goes live."""
    obj = make_draft(objects[key], people["eric"])
    paula = as_user("paula")
    review = paula.get(url("review", obj))
    body = {**form_data(review, "review-form"), "_publish": "1"}
    response = as_user("peter").post(
        url("review", obj),
        {**form_data(review, "review-form"), "_send_back": "1", "comment": "No."},
    )
    assert response.status_code == 302
    sent_back = world()
    response = paula.post(url("review", obj), body)
    assert response.status_code == 400
    assert "changed after you opened it" in text(response)
    assert world() == sent_back
    assert Draft.of(obj).state == Draft.State.RETURNED


@pytest.mark.parametrize("key", MODELS)
def test_publishing_from_a_review_screen_after_the_editor_changed_the_draft_is_refused(
    objects, people, as_user, key
):
    """Stale screen: Paula reviews the draft; Eric changes it again; Paula
    presses Publish. What she did not review must not go live."""
    obj = make_draft(objects[key], people["eric"])
    paula = as_user("paula")
    review = paula.get(url("review", obj))
    make_draft(obj, people["eric"], submit=False, text="Not reviewed.")
    before = world()
    response = paula.post(
        url("review", obj), {**form_data(review, "review-form"), "_publish": "1"}
    )
    assert response.status_code == 400
    assert world() == before


@pytest.mark.parametrize("key", MODELS)
def test_publishing_from_a_stale_confirm_screen_after_an_unpublish_is_refused(
    objects, people, as_user, key
):
    """Stale screen: Paula opens Archive; Peter unpublishes; Paula presses
    Archive. Refused with the reason."""
    obj = objects[key]
    paula = as_user("paula")
    page = paula.get(url("archive", obj))
    workflow.unpublish(fresh(obj), people["peter"], fresh(obj).version)
    before = world()
    response = paula.post(url("archive", obj), form_data(page, "confirm-form"))
    assert response.status_code == 400
    assert "changed after you opened it" in text(response)
    assert world() == before


# 5. Rules the screens promise


def test_the_archive_screen_offers_the_live_pages_as_successors(
    objects, make_relationship, as_user
):
    """The Archive screen lists the live pages to send visitors on to."""
    other = make_relationship()
    page = as_user("paula").get(url("archive", objects["relationship"]))
    select = html(page).find("select", attrs={"name": "successor"})
    assert select is not None
    assert str(other.pk) in [option["value"] for option in select.find_all("option")]


@pytest.mark.parametrize("key", MODELS)
def test_an_editor_restoring_on_an_archived_page_does_not_change_it_live(
    objects, people, as_user, key
):
    """Editor bypass: an archived page still answers visitors; an Editor's
    restore must wait for a Publisher."""
    obj = objects[key]
    field = DRAFT_FIELD[key]
    workflow.archive(fresh(obj), people["peter"])
    assert fresh(obj).has_page()
    assert getattr(fresh(obj), field) == "A second revision."
    client = as_user("edith")
    # The first revision: before "A second revision." went live.
    restore = url("restore", obj, versions_of(obj)[-1].pk)
    response = client.post(restore, form_data(client.get(restore), "confirm-form"))
    assert response.status_code == 302
    assert getattr(fresh(obj), field) == "A second revision."


def test_an_editor_saving_an_archived_page_does_not_change_it_live(
    objects, people, as_user
):
    """Editor bypass through the change form of an archived page."""
    obj = objects["relationship"]
    workflow.archive(fresh(obj), people["peter"])
    client = as_user("edith")
    change = admin_url("relations_relationship_change", "en", obj.pk)
    data = {**form_data(client.get(change), "relationship_form"), "_save": "1"}
    data["summary_en"] = "Edith, unreviewed."
    assert client.post(change, data).status_code == 302
    assert fresh(obj).summary_en != "Edith, unreviewed."


@pytest.mark.parametrize("key", MODELS)
def test_an_editors_change_after_scheduling_is_not_published_unreviewed(
    objects, people, as_user, key
):
    """Editor bypass: Paula schedules the reviewed draft for tomorrow; Edith then
    changes the draft; tomorrow comes. Edith's text must not go live."""
    obj = make_draft(objects[key], people["eric"])
    when = timezone.localtime() + datetime.timedelta(days=1)
    response = as_user("paula").post(
        url("review", obj),
        {
            "version": obj.version,
            "_publish": "1",
            "publish_at": when.strftime("%Y-%m-%d %H:%M"),
        },
    )
    assert response.status_code == 302
    assert Draft.of(obj).publish_at is not None
    make_draft(obj, people["edith"], submit=False, text="Edith, unreviewed.")
    workflow.publish_due(when + datetime.timedelta(minutes=5))
    assert getattr(fresh(obj), DRAFT_FIELD[key]) != "Edith, unreviewed."


@pytest.mark.parametrize("key", MODELS)
def test_a_scheduled_draft_sent_back_is_not_published(objects, people, as_user, key):
    """Schedule bypass: Paula schedules the draft; Peter sends it back ("wrong
    figures"); the time comes. The draft must not go live."""
    obj = make_draft(objects[key], people["eric"])
    when = timezone.localtime() + datetime.timedelta(days=1)
    as_user("paula").post(
        url("review", obj),
        {
            "version": obj.version,
            "_publish": "1",
            "publish_at": when.strftime("%Y-%m-%d %H:%M"),
        },
    )
    response = as_user("peter").post(
        url("review", obj),
        {"version": fresh(obj).version, "_send_back": "1", "comment": "Wrong."},
    )
    assert response.status_code == 302
    assert Draft.of(obj).state == Draft.State.RETURNED
    workflow.publish_due(when + datetime.timedelta(minutes=5))
    assert getattr(fresh(obj), DRAFT_FIELD[key]) != "Draft text."


# 6. A shared item deleted under a draft or a revision


@pytest.fixture
def deleted_agreement(objects, people, as_user):
    """An Editor's draft of the demo page, then a Publisher deletes (in the
    admin) an agreement the page lists: the draft and the revisions still
    name it."""
    page = make_draft(objects["relationship"], people["eric"])
    agreement = page.agreement_links.order_by("pk").first().agreement
    delete = admin_url("relations_agreement_delete", "en", agreement.pk)
    response = as_user("paula").post(delete, {"post": "yes"})
    assert response.status_code == 302
    assert not type(agreement).objects.filter(pk=agreement.pk).exists()
    return fresh(page)


@pytest.mark.parametrize(
    "view",
    [
        "review",
        "submit",
        "compare",
        "history",
        "changes",
        "restore",
    ],
)
def test_screens_answer_after_a_listed_agreement_is_deleted(
    deleted_agreement, as_user, view
):
    """Hurried Publisher: an agreement is deleted while a draft and the
    history still list it. Every screen of the page still answers."""
    response = as_user("paula").get(url(view, deleted_agreement))
    assert response.status_code == 200


def test_publishing_a_draft_naming_a_deleted_agreement_leaves_it_out(
    deleted_agreement, as_user
):
    """Publishing such a draft publishes the page without the agreement that
    is gone: no 500, no link to nothing."""
    page = deleted_agreement
    listed = set(page.agreement_links.values_list("agreement_id", flat=True))
    response = as_user("paula").post(
        url("review", page), {"version": page.version, "_publish": "1"}
    )
    assert response.status_code == 302
    assert Draft.of(page) is None
    assert fresh(page).summary_en == "Draft text."
    assert set(page.agreement_links.values_list("agreement_id", flat=True)) == listed


def test_a_scheduled_draft_that_no_longer_validates_leaves_public_pages_up(
    objects, people, as_user, time_machine
):
    """Hurried Publisher: Paula schedules a reviewed draft for tomorrow, then
    deletes an agreement the page lists. Tomorrow, visitors still get pages."""
    page = make_draft(objects["relationship"], people["eric"])
    when = timezone.localtime() + datetime.timedelta(days=1)
    paula = as_user("paula")
    response = paula.post(
        url("review", page),
        {
            "version": page.version,
            "_publish": "1",
            "publish_at": when.strftime("%Y-%m-%d %H:%M"),
        },
    )
    assert response.status_code == 302
    agreement = page.agreement_links.order_by("pk").first().agreement
    delete = admin_url("relations_agreement_delete", "en", agreement.pk)
    assert paula.post(delete, {"post": "yes"}).status_code == 302
    time_machine.move_to(when + datetime.timedelta(minutes=5))
    visitor = Client(raise_request_exception=False)
    assert visitor.get("/en/").status_code == 200
    assert visitor.get(fresh(page).get_absolute_url()).status_code == 200


# 7. Around the workflow: shared items, and what is published with a page


def edit_agreement(client, agreement, **values):
    """Save an agreement's admin form with `values` changed, as a browser."""
    change = admin_url("relations_agreement_change", "en", agreement.pk)
    page = client.get(change)
    if page.status_code != 200:
        return page
    data = {**form_data(page, "agreement_form"), **values, "_save": "1"}
    return client.post(change, data)


def test_an_editor_cannot_change_an_agreement_an_archived_page_shows(
    objects, people, make_agreement, as_user
):
    """Editor bypass around the workflow: the shared agreement an archived
    page lists is edited directly in its own admin."""
    page = objects["relationship"]
    agreement = make_agreement(page)
    workflow.archive(fresh(page), people["peter"])
    assert fresh(page).has_page()
    response = edit_agreement(
        as_user("edith"), agreement, url_en="https://evil.example/"
    )
    assert response.status_code in (302, 403)
    agreement.refresh_from_db()
    assert agreement.url_en != "https://evil.example/"


def test_an_agreement_a_scheduled_draft_adds_cannot_change_unreviewed(
    objects, people, make_agreement, as_user
):
    """Editor bypass: Eric's draft adds a new agreement; Paula reviews it and
    schedules it for tomorrow; Edith then changes the agreement's address.
    Tomorrow the page must not link to Edith's unreviewed address."""
    page = fresh(objects["relationship"])
    agreement = make_agreement()
    values = drafts.current(page)
    values["children"]["agreement_links"].append(
        {"pk": None, "fields": {"agreement_id": agreement.pk, "sort_order": 99}}
    )
    workflow.save_draft(page, people["eric"], values, page.version)
    workflow.submit(fresh(page), people["eric"], fresh(page).version, "New one.")
    when = timezone.localtime() + datetime.timedelta(days=1)
    response = as_user("paula").post(
        url("review", page),
        {
            "version": fresh(page).version,
            "_publish": "1",
            "publish_at": when.strftime("%Y-%m-%d %H:%M"),
        },
    )
    assert response.status_code == 302
    edit_agreement(as_user("edith"), agreement, url_en="https://evil.example/")
    workflow.publish_due(when + datetime.timedelta(minutes=5))
    assert page.agreement_links.filter(agreement=agreement).exists()
    agreement.refresh_from_db()
    assert agreement.url_en != "https://evil.example/"


def test_offices_chosen_with_scheduled_changes_wait_for_the_schedule(
    objects, people, make_office, as_user
):
    """Hurried Publisher: on the review screen of a live page, Paula sets
    "Publish on" to next week and leaves its new office checked. Visitors must
    not see the office before next week."""
    from consulates.views import published_offices

    page = objects["relationship"]
    office = make_office(page, status=Status.DRAFT)
    page = make_draft(page, people["eric"])
    client = as_user("paula")
    review = client.get(url("review", page))
    body = {**form_data(review, "review-form"), "_publish": "1"}
    assert body["companions"] == str(office.pk)
    when = timezone.localtime() + datetime.timedelta(days=7)
    body["publish_at"] = when.strftime("%Y-%m-%d %H:%M")
    assert client.post(url("review", page), body).status_code == 302
    assert Draft.of(page).publish_at is not None
    assert not published_offices().filter(pk=office.pk).exists()


def test_a_scheduled_draft_whose_address_was_taken_since_is_sent_back(
    objects, people, make_relationship, as_user, time_machine
):
    """Editor sabotage: Paula schedules a draft that gives the page a new
    address; Edith then creates another page at that address. When the time
    comes, visitors still get pages, and the draft goes back to its authors
    instead of being published."""
    page = fresh(objects["relationship"])
    values = drafts.current(page)
    values["fields"]["slug_en"] = "new-address"
    workflow.save_draft(page, people["eric"], values, page.version)
    when = timezone.localtime() + datetime.timedelta(days=1)
    response = as_user("paula").post(
        url("review", page),
        {
            "version": fresh(page).version,
            "_publish": "1",
            "publish_at": when.strftime("%Y-%m-%d %H:%M"),
        },
    )
    assert response.status_code == 302
    make_relationship(code="MX", status=Status.DRAFT, slug_en="new-address")
    time_machine.move_to(when + datetime.timedelta(minutes=5))
    visitor = Client(raise_request_exception=False)
    assert visitor.get("/en/").status_code == 200
    assert visitor.get(fresh(page).get_absolute_url()).status_code == 200
    assert fresh(page).slug_en != "new-address"
    draft = Draft.of(page)
    assert draft.state == Draft.State.RETURNED
    assert draft.publish_at is None

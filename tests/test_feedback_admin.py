"""Editors triage problem reports in the admin."""

import csv
import io
from datetime import timedelta

import pytest
from django.contrib.auth.models import Permission
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import timezone, translation

from config.spreadsheets import spreadsheet_safe
from feedback.models import Problem, ProblemReport
from tests.support.pages import html

Status = ProblemReport.Status
NOW = timezone.now()


def url(name, language="en", *args):
    with translation.override(language):
        return reverse(f"admin:feedback_problemreport_{name}", args=args)


def report(page="/en/", days_ago=0, problems=("broken",), **fields):
    return ProblemReport.objects.create(
        page=page,
        language=page[1:3],
        created_at=NOW - timedelta(days=days_ago),
        **{Problem(p).field_name: True for p in problems},
        **fields,
    )


@pytest.fixture
def staff(django_user_model, client):
    """Log in a staff member holding the given feedback permissions."""

    def login(*codenames):
        user = django_user_model.objects.create_user(
            f"user-{'-'.join(codenames) or 'none'}", password="pw", is_staff=True
        )
        user.user_permissions.set(Permission.objects.filter(codename__in=codenames))
        client.force_login(user)
        return user

    return login


@pytest.fixture
def reviewer(staff):
    return staff("view_problemreport", "change_problemreport")


def test_list_shows_what_editors_scan_for(client, reviewer):
    report(
        "/fr/relations/etats-unis/", problems=["spelling", "missing"], comment="x" * 200
    )
    soup = html(client.get(url("changelist")))
    row = soup.select_one("#result_list tbody tr")
    cells = [" ".join(td.get_text().split()) for td in row.select("td, th")]
    text = " | ".join(cells)
    assert row.select_one('a[href="/fr/relations/etats-unis/"]')
    assert "French" in text
    assert "It has a spelling mistake; Information is missing" in text
    assert "x" * 79 + "…" in text and "x" * 81 not in text
    assert "New" in text
    assert not soup.select(".addlink")


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("status=spam", {"spam"}),
        ("problem=cant_find", {"cant-find"}),
        ("language=fr", {"french"}),
        ("page=/en/search/", {"search"}),
        ("q=blurry", {"blurry"}),
        (f"created_at__year={(NOW - timedelta(days=400)).year}", {"old"}),
    ],
)
def test_filters_and_search(client, reviewer, query, expected):
    report(comment="spam", status=Status.SPAM)
    report(comment="cant-find", problems=["cant_find"])
    report("/fr/", comment="french")
    report("/en/search/", comment="search")
    report(comment="blurry map")
    report(comment="old", days_ago=400)
    soup = html(client.get(f"{url('changelist')}?{query}"))
    comments = {
        td.get_text().split()[0]
        for td in soup.select("#result_list td.field-comment_preview")
    }
    assert comments == expected


def test_actions_change_status_and_record_who_and_when(client, reviewer):
    first, second, untouched = report(), report(), report()
    response = client.post(
        url("changelist"),
        {"action": "mark_resolved", "_selected_action": [first.pk, second.pk]},
    )
    assert response.status_code == 302
    for obj in (first, second):
        obj.refresh_from_db()
        assert obj.status == Status.RESOLVED
        assert obj.status_changed_by == reviewer
        assert timezone.now() - obj.status_changed_at < timedelta(minutes=1)
    untouched.refresh_from_db()
    assert untouched.status == Status.NEW and untouched.status_changed_by is None


@pytest.mark.parametrize("action", ["mark_in_progress", "mark_resolved", "mark_spam"])
def test_each_action_is_offered_in_french(client, reviewer, action):
    report()
    soup = html(client.get(url("changelist", "fr")))
    options = {
        o["value"]: o.get_text() for o in soup.select("select[name=action] option")
    }
    assert options[action].startswith("Marquer comme")


def test_submissions_are_read_only_but_status_changes_are_recorded(client, reviewer):
    obj = report(comment="Original")
    change = url("change", "en", obj.pk)
    soup = html(client.get(change))
    assert soup.select_one("select[name=status]")
    assert not soup.select("textarea[name=comment], input[name=page]")
    response = client.post(change, {"status": Status.IN_PROGRESS, "comment": "Edited"})
    assert response.status_code == 302
    obj.refresh_from_db()
    assert obj.comment == "Original"
    assert obj.status == Status.IN_PROGRESS
    assert obj.status_changed_by == reviewer


def test_reports_cannot_be_added_by_hand(client, reviewer):
    assert client.get(url("add")).status_code == 403


def test_summary_lists_most_reported_pages_first(client, reviewer):
    report("/en/", problems=["broken"], days_ago=1)
    for days in (2, 20, 60):
        report("/en/relations/united-states/", problems=["outdated"], days_ago=days)
    report("/en/relations/united-states/", problems=["outdated"], status=Status.SPAM)
    report("/en/search/", days_ago=120)
    soup = html(client.get(url("summary", "fr")))
    pages = [h2.get_text() for h2 in soup.select(".feedback-summary h2")]
    assert pages == ["/en/relations/united-states/", "/en/"]
    table = soup.select(".feedback-summary table")[0]
    outdated = next(
        row
        for row in table.select("tbody tr")
        if "L’information n’est plus à jour" in row.th.get_text()
    )
    assert [td.get_text() for td in outdated.select("td.number")] == ["1", "2", "3"]
    total = table.select_one("tr.total")
    assert [td.get_text() for td in total.select("td.number")] == ["1", "2", "3"]
    assert total.select_one("rect")["width"] == "100"


def export(client, query="", language="en"):
    response = client.get(f"{url('export', language)}{query}")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    body = b"".join(response.streaming_content).decode("utf-8")
    assert body.startswith("\ufeff")
    return list(csv.reader(io.StringIO(body[1:])))


def test_export_follows_the_filters_in_the_editors_language(client, reviewer):
    report("/fr/", problems=["missing"], comment="Manque la carte")
    report("/en/", comment="Broken", status=Status.SPAM)
    header, *rows = export(client, "?status=new", "fr")
    assert header == [
        "reçu le",
        "page",
        "langue",
        "problèmes",
        "commentaire",
        "état",
        "état modifié le",
        "état modifié par",
    ]
    assert len(rows) == 1
    assert rows[0][1:6] == [
        "/fr/",
        "Français",
        "Les renseignements sont incomplets",
        "Manque la carte",
        "Nouveau",
    ]


@pytest.mark.parametrize(
    "comment",
    [
        '=HYPERLINK("http://evil.example","x")',
        "+1+1",
        "-2+3",
        "@SUM(A1:A2)",
        "\tx",
        "\rx",
    ],
)
def test_export_neutralises_spreadsheet_formulas(client, reviewer, comment):
    report(comment=comment)
    _, row = export(client)
    assert row[4] == "'" + comment


def test_spreadsheet_safe_leaves_ordinary_text_alone():
    assert spreadsheet_safe("The link is broken") == "The link is broken"
    assert spreadsheet_safe(None) == ""
    assert spreadsheet_safe("a=b") == "a=b"


@pytest.mark.parametrize("name", ["changelist", "summary", "export"])
def test_staff_without_feedback_permissions_see_nothing(client, staff, name):
    staff()
    assert client.get(url(name)).status_code == 403


@pytest.mark.parametrize("name", ["changelist", "summary", "export"])
def test_visitors_are_sent_to_log_in(client, db, name):
    response = client.get(url(name))
    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]


def test_viewers_cannot_change_statuses(client, staff):
    staff("view_problemreport")
    obj = report()
    soup = html(client.get(url("changelist")))
    assert not soup.select("select[name=action] option[value=mark_spam]")
    client.post(
        url("changelist"), {"action": "mark_spam", "_selected_action": [obj.pk]}
    )
    obj.refresh_from_db()
    assert obj.status == Status.NEW


def test_prune_deletes_old_resolved_and_spam_only(db):
    old_resolved = report(days_ago=100, status=Status.RESOLVED)
    old_spam = report(days_ago=100, status=Status.SPAM)
    old_new = report(days_ago=100)
    old_in_progress = report(days_ago=100, status=Status.IN_PROGRESS)
    recent_resolved = report(days_ago=10, status=Status.RESOLVED)

    out = io.StringIO()
    call_command("prune_problem_reports", "--older-than", "90", "--dry-run", stdout=out)
    assert out.getvalue().strip() == (
        "Would delete 2 reports older than 90 days (1 resolved, 1 spam)."
    )
    assert ProblemReport.objects.count() == 5

    out = io.StringIO()
    call_command("prune_problem_reports", "--older-than", "90", stdout=out)
    assert out.getvalue().strip() == (
        "Deleted 2 reports older than 90 days (1 resolved, 1 spam)."
    )
    remaining = set(ProblemReport.objects.values_list("pk", flat=True))
    assert remaining == {old_new.pk, old_in_progress.pk, recent_resolved.pk}
    assert old_resolved.pk not in remaining and old_spam.pk not in remaining


def test_prune_needs_a_sensible_age(db):
    with pytest.raises(CommandError):
        call_command("prune_problem_reports", "--older-than", "-1")

"""A translation round trip in a real browser: an Editor changes an English
paragraph; the French twin shows out of date; the Editor exports "changed
only" as XLIFF; a translator fills the target; the Editor imports it, reads
the diff, and submits the draft; a Publisher publishes; the French page
shows the new text and the flag is gone."""

from pathlib import Path

import pytest
from lxml import etree

# The review loop's site (a pytest fixture), its sign-in and its navigation.
from tests.test_review_browser import go, signed_in, site  # noqa: F401

pytestmark = pytest.mark.slow

XLIFF = "{urn:oasis:names:tc:xliff:document:2.0}"
ENGLISH = " A new closing sentence."
FRENCH = " Une nouvelle phrase de conclusion."


def translate(data):
    """What a translator does: append the French sentence to the segment
    whose source ends with the new English one, keep the rest, mark every
    segment translated."""
    root = etree.fromstring(data)
    units = root.findall(f"{XLIFF}file/{XLIFF}unit")
    for segment in root.iter(f"{XLIFF}segment"):
        source = segment.find(f"{XLIFF}source")
        target = segment.find(f"{XLIFF}target")
        if source.xpath("string()").endswith(ENGLISH.strip()):
            last = target[-1] if len(target) else None
            if last is None:
                target.text = (target.text or "") + FRENCH
            else:
                last.tail = (last.tail or "") + FRENCH
        segment.set("state", "translated")
    return units, etree.tostring(root, xml_declaration=True, encoding="UTF-8")


def test_an_english_change_goes_out_to_translation_and_comes_back(
    site,  # noqa: F811
    browser,
):
    change = f"{site.url}/en/admin/relations/relationship/{site.page_id}/change/"
    editor_context, editor = signed_in(browser, site, "edith")
    editor.goto(change)

    # The Editor adds a sentence at the end of the first area of action.
    panel = editor.evaluate(
        "document.getElementById('id_topics-0-body_en').closest('[id^=tab_]').id"
    )
    editor.click(f'[role=tab][aria-controls="{panel}"]')
    body = editor.locator(f"#{panel} [contenteditable=true]")
    body.click()
    body.press("Control+End")
    body.press_sequentially(ENGLISH)
    go(editor, 'input[name="_continue"]')
    flagged = editor.locator(".out-of-date").inner_text()
    assert "Bilateral relationship" in flagged and "body" in flagged

    # "Changed only": just that text goes to the translator.
    go(editor, ".object-tools a:text-is('Translation (XLIFF)')")
    editor.check("#id_changed_only")
    with editor.expect_download() as download:
        editor.click("#xliff-export-form input[type=submit]")
    units, translated = translate(Path(download.value.path()).read_bytes())
    assert [unit.get("name") for unit in units] == [
        "Area of action “Bilateral relationship”: body"
    ]

    # The Editor imports it and reads what it changes before confirming.
    editor.set_input_files(
        "#id_file",
        files=[
            {
                "name": "fr.xlf",
                "mimeType": "application/xliff+xml",
                "buffer": translated,
            }
        ],
    )
    go(editor, "#xliff-import-form input[type=submit]")
    added = editor.locator(".xliff-changes ins").all_inner_texts()
    assert any("conclusion." in text for text in added)
    go(editor, "#xliff-confirm-form input[type=submit]")
    assert "draft" in editor.locator(".messagelist").inner_text()
    assert editor.locator(".out-of-date").count() == 0
    go(editor, 'input[name="_submit"]')
    go(editor, "#submit-form input[type=submit]")

    # The Publisher publishes; no translation is left out of date.
    publisher_context, publisher = signed_in(browser, site, "paula")
    go(publisher, "#awaiting-review a")
    assert publisher.locator(".still-accurate-choices").count() == 0
    go(publisher, 'input[name="_publish"]')
    assert "published" in publisher.locator(".messagelist").inner_text()
    publisher.goto(change)
    assert publisher.locator(".out-of-date").count() == 0

    visitor = browser.new_context().new_page()
    visitor.goto(f"{site.url}/fr/relations/etats-unis/")
    assert FRENCH.strip() in visitor.locator("main").inner_text()
    visitor.goto(f"{site.url}/en/relations/united-states/")
    assert ENGLISH.strip() in visitor.locator("main").inner_text()
    editor_context.close()
    publisher_context.close()

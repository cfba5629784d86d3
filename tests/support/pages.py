"""Read pages as a browser would: parse them, find admin addresses, fill in forms."""

from bs4 import BeautifulSoup
from django.urls import reverse
from django.utils import translation


def html(response):
    """Parse a response's HTML."""
    return BeautifulSoup(response.content, "html.parser")


def admin_url(name, language, *args):
    with translation.override(language):
        return reverse(f"admin:{name}", args=args)


def form_data(response, form_id):
    """Return what a browser would submit from the form as the page shows it."""
    form = html(response).find("form", id=form_id)
    data = {}
    for field in form.find_all(["input", "textarea", "select"]):
        name = field.get("name")
        if not name or field.get("type") in {"submit", "button", "file"}:
            continue
        if field.name == "textarea":
            data[name] = field.get_text()
        elif field.name == "select" and field.has_attr("multiple"):
            # A browser sends one value per chosen option, none if none is.
            chosen = [
                option["value"] for option in field.find_all("option", selected=True)
            ]
            if chosen:
                data[name] = chosen
        elif field.name == "select":
            selected = field.find("option", selected=True)
            data[name] = selected["value"] if selected else ""
        elif field.get("type") == "checkbox":
            if field.has_attr("checked"):
                data[name] = field.get("value", "on")
        else:
            data[name] = field.get("value", "")
    return data

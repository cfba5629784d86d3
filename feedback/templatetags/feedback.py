from django import template

from feedback.views import SENT, section_context

register = template.Library()


@register.inclusion_tag("feedback/report_problem.html", takes_context=True)
def report_problem(context):
    """Render "Report a problem on this page" for the page being rendered."""
    request = context["request"]
    section = getattr(request, "report_problem", None)
    if section is None:
        state = SENT if request.GET.get("feedback") == SENT else None
        section = section_context(request, state=state)
    return section

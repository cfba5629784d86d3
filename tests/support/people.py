"""The people the admin tests sign in as: a name each, and its group."""

ROLES = {
    "anonymous": None,
    "staff": None,
    "reviewer": "Feedback reviewer",
    "administrator": "Administrator",
    "edith": "Editor",
    "eric": "Editor",
    "paula": "Publisher",
    "peter": "Publisher",
}
# Staff members without any permission on the content.
OUTSIDERS = ["staff", "reviewer", "administrator"]

"""Who may see what on the reader pages: one rule, shared by the views, the page cache
and the templates, so they can never disagree."""


def may_see_drafts(user):
    """Editors (whoever may change concepts, staff or not: a single sign-on user in the
    "Glossary editors" group is not staff) see drafts and edit links on the reader pages.

    The page cache is skipped for exactly these users (terms/caching.py): a page rendered
    for anyone else holds only what every reader may see. Costs the user's permission
    queries once per request for a signed-in user; nothing for an anonymous one.
    """
    return user.is_authenticated and user.has_perm("terms.change_concept")

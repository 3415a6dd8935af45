"""Who may do what to a live page's stream: the one home of the rule, checked on the server by every view
that writes (the admin, the desk, the posting endpoint)."""

from articles.models import Article


def is_editor(user):
    """Editors post to any live page, approve and delete any update."""
    return user.has_perm("articles.edit_any_article") and user.has_perm("live.change_update")


def may_post(user, article):
    """Editors post to any live page; writers to one they are credited on (``Article.is_owned_by``)."""
    if not (user.is_active and user.has_perm("live.add_update") and article.is_live_page):
        return False
    return is_editor(user) or article.is_owned_by(user)


def _posting(user, article, posting):
    return may_post(user, article) if posting is None else posting


def may_change(user, update, posting=None):
    """Editors change any update; a writer, the updates they posted on a page they may post to, as long as they
    are not approved yet when the page holds writers' updates for approval. ``posting``: ``may_post(user,
    update.article)`` when the caller already has it (a list of one page's updates asks it once)."""
    if is_editor(user):
        return True
    if not (user.has_perm("live.change_update") and _posting(user, update.article, posting)):
        return False
    return update.created_by_id == user.pk and not (update.article.live_moderated and update.is_shown)


def may_delete(user, update, posting=None):
    """Only editors delete an update once readers could see it; a writer may delete their own unapproved one.
    ``posting`` as for ``may_change``."""
    if is_editor(user) and user.has_perm("live.delete_update"):
        return True
    return update.created_by_id == user.pk and not update.is_shown and _posting(user, update.article, posting)


def needs_approval(user, article):
    """Whether an update this user posts waits for an editor (the page's choice; an editor's never does)."""
    return article.live_moderated and not is_editor(user)


def live_pages_for(user):
    """The live pages the user may post to."""
    pages = Article.objects.live_pages()
    return pages if is_editor(user) else pages.owned_by(user)

"""Events in an article's life that other parts of the newsroom act on, sent once the change that makes them is
committed, so that a change rolled back tells nobody. Their receivers (the e-mail in ``notify``) are connected in
``ArticlesConfig.ready``: the models that send these events import none of them."""

from django.db import transaction
from django.dispatch import Signal
from simple_history.models import HistoricalRecords

# An article has a new assignee. Arguments: article_pk, assignee_pk, actor (who assigned it; None for a script).
article_assigned = Signal()
# A workflow step was taken. Arguments: article_pk, action (the transition's name), actor, comment (the desk's note).
article_transitioned = Signal()
# The site's public address moved to another host, sent inside the settings' save (what links are marked external
# depends on the host, so the texts that mention either host are rendered again with it). Arguments: old_host,
# new_host.
site_moved = Signal()


def acting_user(instance):
    """Who makes a change, as its revision records it: the user a workflow step names, else the logged-in user
    of the request being answered, else nobody (a script, a shell)."""
    user = getattr(instance, "_history_user", None)
    if user is None:
        user = getattr(getattr(HistoricalRecords.context, "request", None), "user", None)
    return user if getattr(user, "is_authenticated", False) else None


def send_on_commit(signal, sender, **kwargs):
    """A receiver that fails is logged and never turns the committed change into an error page."""
    transaction.on_commit(lambda: signal.send(sender=sender, **kwargs), robust=True)


# An article's event was logged (``articles.events``): it was published, updated, corrected, withdrawn or deleted
# as readers see it. Sent once the event is committed. Arguments: event (an ``ArticleEvent``).
article_event = Signal()

"""The edge caches in front of the site (Varnish): purged by surrogate key once a change commits.

The content registers its models here (``edge.register``) from its ``AppConfig.ready()`` and says which keys a
change of each purges, soft (refreshed in the background) or hard (gone at once: ``edge.hard``); this app writes
them to a durable outbox in the transaction of the change (``edge.models.Purge``), so they commit or roll back
with it, and delivers them from the job queue (``edge.tasks``). It knows nothing of the content.
"""

from edge.registry import Keys, bulk_written, configured, gather, hard, holding, register

__all__ = ["Keys", "bulk_written", "configured", "gather", "hard", "holding", "register"]

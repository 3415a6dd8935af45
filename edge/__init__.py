"""The edge caches in front of the site (Varnish): purged by surrogate key once a change commits.

The content registers its models here (``edge.register``) from its ``AppConfig.ready()`` and says which keys a
change of each purges; this app gathers them per transaction, records them in a durable outbox after the commit
(``edge.models.Purge``) and delivers them from the job queue (``edge.tasks``). It knows nothing of the content.
"""

from edge.registry import bulk_written, configured, holding, register

__all__ = ["bulk_written", "configured", "holding", "register"]

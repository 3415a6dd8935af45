"""The outbox of purges to the edge caches."""

from django.db import models
from django.utils import timezone


class Purge(models.Model):
    """Keys to purge at one edge, written in the transaction of the change that names them (committed or rolled
    back with it), and deleted once the edge has taken them: a purge survives a failing commit hook, a process
    killed after the commit, a broker down, a worker killed, an edge restarting."""

    url = models.CharField(max_length=500, help_text="The edge's purge address (NEWSROOM_EDGE_PURGE_URLS).")
    keys = models.TextField(help_text="Surrogate keys, space-separated.")
    hard = models.BooleanField(
        default=True,
        help_text="Hard: the pages are dropped at once, even from grace. Soft: they expire, and the edge serves "
        "them a few seconds more while it fetches them again.",
    )
    created_at = models.DateTimeField(default=timezone.now)
    attempts = models.PositiveIntegerField(default=0)
    due_at = models.DateTimeField(default=timezone.now, db_index=True, help_text="When to try (again).")
    last_error = models.TextField(blank=True)

    class Meta:
        ordering = ["due_at", "pk"]
        get_latest_by = "created_at"

    def __str__(self):
        return f"{'hard' if self.hard else 'soft'} purge of {len(self.keys.split())} keys at {self.url}"

"""The operator's limit on messages a second (``NEWSROOM_NEWSLETTER_RATE``), shared by every sender on every
machine through the shared cache: each second has a counter, and a sender over the limit waits for the next
second. While the cache cannot be reached, each sender keeps to its share of the limit by itself."""

import logging
import time

from django.conf import settings
from django.core.cache import cache

log = logging.getLogger("newsroom.newsletters")


class Pace:
    def __init__(self, rate=None, senders=None):
        self.rate = settings.NEWSROOM_NEWSLETTER_RATE if rate is None else rate
        self.senders = max(1, senders or settings.NEWSROOM_NEWSLETTER_SENDERS)
        self.last = 0.0

    def wait(self):
        """Return once one more message may go."""
        if self.rate <= 0:
            return
        while True:
            now = time.time()
            second = int(now)
            try:
                key = f"newsletters:rate:{second}"
                cache.add(key, 0, timeout=5)
                taken = cache.incr(key)
            except Exception:  # noqa: BLE001 - any cache failure: keep this sender's share alone
                self._alone()
                return
            if taken <= max(1, int(self.rate)):
                return
            time.sleep(max(0.001, second + 1 - time.time()))

    def _alone(self):
        gap = self.senders / self.rate
        pause = self.last + gap - time.monotonic()
        if pause > 0:
            time.sleep(pause)
        self.last = time.monotonic()

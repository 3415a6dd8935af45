"""The editors' side of the newsletters: the lists (``lists``), their subscribers with the record of consent and
CSV export and import (``subscribers``, ``csvfiles``), the issues composed, previewed, tested and sent
(``editions``, ``editing``), and the panels on the desk and on an article's page (``panels``), registered by
``newsletters.apps``."""

from newsletters.admin import editions, lists, subscribers  # noqa: F401 - each registers its admin classes

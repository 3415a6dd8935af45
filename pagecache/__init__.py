"""The page cache: whole reader pages and the pieces they are made of, never staler than the last edit or the
next scheduled moment. It imports no model; the content registers with it (``registry``) from its
``AppConfig.ready()``.

Modules, each importing only those listed before it: ``local`` (what this process holds), ``deadlines``,
``generation`` (the token every key carries; ``invalidate``), ``registry``, ``schedule``, ``keys`` (surrogate
keys), ``memo`` (``per_process``, ``remember``), ``validators``, ``fragment_store``, ``middleware``
(``ReaderCacheMiddleware``) and ``decorators`` (``reader_view``, ``validated``, ``cache_for_readers``).
"""

"""Live coverage: a stream of short updates on an article's page while the desk writes it (``models``), posted
through one service that keeps the stream's order, versions and revisions (``stream``), retired in the page
cache and at the edge by a token of its own (``tokens``), so an update reaches readers at once without
retiring any other page."""

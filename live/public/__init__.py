"""What readers get of a live page: its stream on the article page, the poll answer and the feeds of updates."""

"""WebSub: the feeds name their hubs, and the hubs are told when a feed's content changes."""

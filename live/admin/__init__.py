"""The desk's side of live coverage: posting, editing and approving updates in the admin and on the desk."""

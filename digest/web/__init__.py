"""The HTTP app: the public subscriber pages (subscribe, confirm, unsubscribe, preferences)."""

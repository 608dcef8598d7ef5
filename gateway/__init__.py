"""Gateway: the one public entry (accounts, public JSON API, web pages)."""

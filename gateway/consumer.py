"""The gateway consumes no events; its worker only relays accounts.* from the outbox."""
HANDLERS: dict = {}
TOPICS: list[str] = []

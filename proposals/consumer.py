"""Events the proposals service consumes (none yet: it is the start of the flow)."""
HANDLERS: dict = {}
TOPICS: list[str] = []

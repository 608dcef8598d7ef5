"""python -m gateway.routes > docs/authorisation.md"""
from gateway.access import render_markdown
from gateway.routes import ALL_OPERATIONS, CIVIC_KEYS

print(render_markdown([*ALL_OPERATIONS, CIVIC_KEYS]), end="")

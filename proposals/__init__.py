"""Proposals: submission, moderation, themes and competence."""

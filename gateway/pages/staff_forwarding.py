"""Forwarding: conclusions awaiting review, dossiers with their status and timeline, retries, manual dispatch, replies by post, the institutions' circuit breakers, municipal action items.

A section of the staff console (gateway.pages.staff): its pages are guarded by `staff_only`."""

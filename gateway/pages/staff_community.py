"""Reported comments, blocked accounts and the moderation audit log (with filters and its CSV download).

A section of the staff console (gateway.pages.staff): its pages are guarded by `staff_only`."""

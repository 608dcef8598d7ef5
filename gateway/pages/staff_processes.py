"""Processes and themes: create and edit a process, its phases and dates, its themes and voting rules; workshop input (focus groups, world cafés).

A section of the staff console (gateway.pages.staff): its pages are guarded by `staff_only`."""

"""Votes: schedule a window, set the rules before opening, open and close, approval votes of a process, the final result with the recount check.

A section of the staff console (gateway.pages.staff): its pages are guarded by `staff_only`."""

"""The moderation desk: the queue of proposals with filters, counts and overdue flags, one item with its similar proposals and reports, each decision, and bulk decisions with a preview and a confirmation.

A section of the staff console (gateway.pages.staff): its pages are guarded by `staff_only`."""

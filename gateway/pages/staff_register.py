"""The eligibility register: upload a CSV file, follow a large one's progress, read the report of rejected rows, replace or append, and the counts of eligible and verified residents.

A section of the staff console (gateway.pages.staff): its pages are guarded by `staff_only`."""

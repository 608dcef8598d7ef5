"""Notifications: contacts, in-app inbox and e-mail delivery."""

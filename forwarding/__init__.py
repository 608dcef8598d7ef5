"""Forwarding: institutions directory, routing, dossiers, dispatch, acknowledgements."""

"""The shared kit every civic service is built on."""

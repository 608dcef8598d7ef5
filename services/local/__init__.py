"""Local infrastructure started by the project's own code: broker, database, SMTP,
a stand-in national institution, and the whole platform on top of them."""

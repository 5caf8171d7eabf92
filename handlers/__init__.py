"""Slack glue only: one module per surface, each with register(app, clerk)."""

"""Requirement sources; each contributes through the ``ready_add_sources`` hook like an outside plugin."""

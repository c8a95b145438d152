"""Installer backends; each registers through the ``ready_register_installers`` hook like an outside plugin."""

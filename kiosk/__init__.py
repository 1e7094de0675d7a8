"""Haikou residence-permit self-service kiosk."""

__version__ = "0.1.0"

"""Inbound voice routes (v2 `route`, v1 routes by name) and their assignment to numbers."""

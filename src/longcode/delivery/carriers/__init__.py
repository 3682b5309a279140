"""Carriers: where a message that leaves the platform goes (the sandbox simulator or SMPP)."""

"""E911 addresses: validation, records, and their assignment to numbers."""

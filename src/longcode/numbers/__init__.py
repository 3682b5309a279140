"""Phone numbers held by accounts (inventory, search and purchase build on this table)."""

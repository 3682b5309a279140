"""CNAM (caller name) records: creation, operator approval, assignment to numbers."""

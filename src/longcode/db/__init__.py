"""Database: declarative base, engines, migrations, and the single SQLite writer."""

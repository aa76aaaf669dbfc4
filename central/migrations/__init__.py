"""Alembic migrations of the centre's database; ``central.db.migrate`` runs them."""

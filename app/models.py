"""Import every module's models so that SQLAlchemy's metadata (and Alembic) sees them all."""

from app.modules import import_models

import_models()

"""The explicit list of table modules, so `Base.metadata` is complete wherever it is used.

Imported by migrations and by the test schema check; never rely on import side effects elsewhere.
"""

from __future__ import annotations

from longcode.accounts import models as accounts_models
from longcode.billing import models as billing_models
from longcode.cnam import models as cnam_models
from longcode.db import server_settings
from longcode.db.base import Base
from longcode.delivery import models as delivery_models
from longcode.e911 import models as e911_models
from longcode.messaging import models as messaging_models
from longcode.numbers import models as numbers_models
from longcode.routes import models as routes_models
from longcode.sandbox import models as sandbox_models
from longcode.webhooks import models as webhooks_models

TABLE_MODULES = (
    accounts_models,
    numbers_models,
    routes_models,
    e911_models,
    cnam_models,
    billing_models,
    messaging_models,
    delivery_models,
    webhooks_models,
    sandbox_models,
    server_settings,
)
metadata = Base.metadata

__all__ = ["TABLE_MODULES", "metadata"]

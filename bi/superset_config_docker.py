"""Superset's configuration in the docker compose service (``SUPERSET_CONFIG_PATH``).

Everything secret comes from the environment the compose file passes from ``.env``.
"""

import os
import runpy
from pathlib import Path

globals().update(
    {
        key: value
        for key, value in runpy.run_path(
            str(Path(__file__).with_name("superset_settings.py"))
        ).items()
        if key.isupper()
    }
)

SECRET_KEY = os.environ["SUPERSET_SECRET_KEY"]
SQLALCHEMY_DATABASE_URI = os.environ["SUPERSET_METADATA_URI"]
# Behind the compose port mapping only; a proxy in front would need ENABLE_PROXY_FIX.

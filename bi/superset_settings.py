"""Superset settings shared by ``make bi`` and the docker compose service (no secrets here).

Each deployment's ``superset_config`` (the one ``etl.ops.superset`` writes under the state
folder, or ``superset_config_docker.py``) loads this file, then adds its secret key and metadata
database.
"""

APP_NAME = "IKM Kemenperin"

# Charts run synchronously in the web server (no Celery, no Redis for Superset); query results
# are kept in memory for ten minutes, the marts change at most nightly.
CACHE_CONFIG = {"CACHE_TYPE": "SimpleCache", "CACHE_DEFAULT_TIMEOUT": 600}
DATA_CACHE_CONFIG = {"CACHE_TYPE": "SimpleCache", "CACHE_DEFAULT_TIMEOUT": 600}

# The login rate limiter's store, named so Flask-Limiter does not warn at every start.
RATELIMIT_STORAGE_URI = "memory://"

# The marts are small: no chart needs more rows than this.
ROW_LIMIT = 10_000

# The charts pick the latest year with a subquery in their filter (``tahun = (select max(tahun)
# ...)``); Superset refuses subqueries in custom SQL unless allowed. What they may read is
# bounded by the database login itself: bi_reader sees schema mart and nothing else.
FEATURE_FLAGS = {"ALLOW_ADHOC_SUBQUERY": True}

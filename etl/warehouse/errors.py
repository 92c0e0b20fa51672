"""Which failures are worth retrying: the warehouse briefly away, not a bug or a bad file."""

from __future__ import annotations


def is_transient(exc: BaseException) -> bool:
    """A connection or server hiccup that a retry after a pause may not meet again (or an
    error that says it stands for only such hiccups: ``exc.transient is True``)."""
    if getattr(exc, "transient", None) is True:
        return True
    import psycopg
    import sqlalchemy.exc

    transient = (
        psycopg.OperationalError,
        sqlalchemy.exc.OperationalError,
        sqlalchemy.exc.DisconnectionError,
        ConnectionError,
        TimeoutError,
        psycopg.errors.SerializationFailure,
        psycopg.errors.DeadlockDetected,
    )
    return isinstance(exc, transient)

"""Why a whole file is not taken: rejected (the office's to fix) or unreadable (the disk's)."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator


class Rejected(Exception):
    """The whole file is rejected; the message is for the office, in Indonesian.

    What extract learnt of the file before refusing it travels with the rejection, so that its
    record says it (:func:`.stage.extract` writes them): the kind and period, the template
    version, and the data rows counted. ``header_table`` is set when a header is what was
    refused: the table found, whose rows below it are counted (:mod:`.staged`).
    """

    jenis: str | None = None
    periode: str | None = None
    versi_templat: str | None = None
    jumlah_baris: int | None = None
    header_table: object | None = None

    def append(self, text: str) -> None:
        """Add a sentence to the message the office reads (the exception keeps its type)."""
        self.args = (f"{str(self).rstrip('. ')}. {text}",)


class Unreadable(Rejected):
    """The landed file cannot be read now (removed or replaced after discovery, the disk gone).

    Not the office's fault: the stage records it as a system error (``galat_sistem``),
    which the next run of the day retries, and never withdraws what an earlier run loaded from
    it. A subclass of :class:`Rejected` so that callers that only plan (``etl.reprocess``)
    report it like any other file that cannot be taken.
    """


@contextlib.contextmanager
def library_guard(message: str) -> Iterator[None]:
    """Turn any failure of a third-party parser on hostile bytes into a rejection.

    zipfile, openpyxl and calamine fail on corrupt input with many exception types (KeyError,
    ValueError, XML errors, a Rust panic, ...); only their calls are wrapped, never this
    module's own logic.
    """
    try:
        yield
    except Rejected:
        raise
    except OSError as exc:
        if exc.errno is None:  # a library's own "not a valid file", not the disk
            raise Rejected(message) from exc
        raise Unreadable(f"berkas tidak dapat dibaca dari disk ({exc.strerror})") from exc
    except (KeyboardInterrupt, SystemExit, GeneratorExit):
        raise
    except BaseException as exc:  # see docstring; calamine's Rust panics are BaseException
        raise Rejected(message) from exc

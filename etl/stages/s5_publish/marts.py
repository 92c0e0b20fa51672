"""The marts for BI: every materialized view of schema ``mart`` refreshed together.

``ikm_publish`` runs this when the warehouse changed (an asset event of the nightly load, a
reprocess or a reference refresh). Every materialized mart is refreshed in one transaction,
concurrently where it has a unique index: a BI query sees the previous complete state until the
commit and the new one after it, never a mixture of the two. Plain views need nothing: they
always read the committed ``core``. The public layer (:mod:`.public_layer`) is recomputed in the
same transaction, so it always matches the marts it was made from.
"""

from __future__ import annotations

import time
from typing import Any

from psycopg import sql

from etl.stages.s5_publish import public_layer
from etl.warehouse import connect


def materialized_marts(conn) -> list[tuple[str, bool]]:
    """(name, has a unique index) of each materialized mart, dependencies first."""
    rows = conn.execute(
        """
        with recursive m as (
            select c.oid, c.relname
            from pg_class as c
            inner join pg_namespace as n on c.relnamespace = n.oid
            where n.nspname = 'mart' and c.relkind = 'm'
        ),

        depends as (
            -- a materialized mart reading another one (through its rewrite rule)
            select distinct r.ev_class as child, d.refobjid as parent
            from pg_rewrite as r
            inner join pg_depend as d on d.objid = r.oid
            inner join m on d.refobjid = m.oid
            where r.ev_class in (select oid from m) and d.refobjid <> r.ev_class
        ),

        depth as (
            select oid, 0 as level from m
            union all
            select d.child, depth.level + 1
            from depth inner join depends as d on d.parent = depth.oid
        )

        select m.relname,
            exists (
                select 1 from pg_index as i where i.indrelid = m.oid and i.indisunique
                    and i.indpred is null
            )
        from m inner join depth on depth.oid = m.oid
        group by m.relname, m.oid
        order by max(depth.level), m.relname
        """
    ).fetchall()
    return [(r[0], bool(r[1])) for r in rows]


def refresh() -> dict[str, Any]:
    """Refresh every materialized mart in one transaction; return what was refreshed.

    Concurrently (no lock that blocks readers) where a unique index allows; all of them commit
    together, so a BI query sees either the previous complete state or the new one. Each
    refresh is recorded in ``audit.penyegaran_mart``.
    """
    started = time.monotonic()
    with connect() as conn:
        conn.execute("select pg_advisory_xact_lock(7130005)")  # one refresh at a time
        mulai = conn.execute("select clock_timestamp()").fetchone()[0]
        marts = materialized_marts(conn)
        for name, unique in marts:
            statement = (
                "refresh materialized view concurrently {}"
                if unique
                else ("refresh materialized view {}")
            )
            conn.execute(sql.SQL(statement).format(sql.Identifier("mart", name)))
        public = public_layer.build(conn)
        seconds = round(time.monotonic() - started, 3)
        conn.execute(
            "insert into audit.penyegaran_mart (mulai, selesai, mart, detik, detik_publik) "
            "values (%s, clock_timestamp(), %s, %s, %s)",
            (mulai, [name for name, _ in marts], seconds, public["detik_publik"]),
        )
        conn.commit()
    return {"mart_disegarkan": [name for name, _ in marts], "detik": seconds, **public}

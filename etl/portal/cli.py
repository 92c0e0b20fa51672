"""``python -m etl portal``: the offices' portal on ``IKM_PORTAL_HOST:IKM_PORTAL_PORT``
(127.0.0.1:8090), after the warehouse is migrated (its schema ``portal`` included)."""

from __future__ import annotations

import argparse
import logging

from etl.settings import get_settings


def serve(host: str | None = None, port: int | None = None) -> None:
    import uvicorn

    from etl.portal import uploads
    from etl.portal.app import create_app
    from etl.warehouse import connect, migrations

    settings = get_settings()
    migrations.prepare()
    with connect() as conn:
        uploads.forget_stale(conn)
    logging.getLogger("etl").setLevel(logging.INFO)
    print(
        f"Portal Kantor: http://{host or settings.portal_host}:{port or settings.portal_port} "
        "(akun: python -m etl akun tambah NAMA --kantor KODE)",
        flush=True,
    )
    uvicorn.run(
        create_app(),
        host=host or settings.portal_host,
        port=port or settings.portal_port,
        log_level="info",
        proxy_headers=False,
    )


def register(subparsers: argparse._SubParsersAction) -> None:
    p = subparsers.add_parser("portal", help="the offices' portal on http://127.0.0.1:8090")
    p.add_argument("--host", help="address to listen on (default IKM_PORTAL_HOST)")
    p.add_argument("--port", type=int, help="port (default IKM_PORTAL_PORT)")
    p.set_defaults(func=lambda a: serve(a.host, a.port) or 0)

"""Import (or export) the IKM dashboards: the one path ``make bi`` and docker compose both use.

Run by Superset's own Python (``.venv-bi/bin/python`` here, the image's python in compose),
with ``SUPERSET_CONFIG_PATH`` set, after ``superset db upgrade`` and ``superset init``:

    python bi/impor_dasbor.py siapkan   # admin login, then each dashboard with its database
    python bi/impor_dasbor.py ekspor    # the dashboards as Superset holds them, back into the repo

Two versioned exports, each with a database of its own (:data:`EKSPOR`):

- ``bi/dashboard``: "IKM – Ringkasan nasional" on database *Gudang IKM*, the warehouse as
  ``bi_reader`` (schema ``mart``), whose URI is ``SUPERSET_WAREHOUSE_URI``;
- ``bi/dashboard_publik``: "IKM – Data publik" on database *Data publik IKM*, the warehouse as
  ``publik_reader`` (schema ``publik``, the disclosure-controlled public layer, nothing else),
  whose URI is ``SUPERSET_PUBLIK_URI``.

``siapkan`` reads ``SUPERSET_ADMIN_USERNAME`` / ``SUPERSET_ADMIN_PASSWORD`` (created, or its
password reset when it changed) and both URIs, each with its role's password. No export ever
holds a password: at import each database file's URI is replaced in a zip written to a private
temporary file, whose contents go through Superset's own import commands (as ``superset
import-dashboards -p`` does), every object overwritten by UUID, so each export is what
Superset shows after each import.

``ekspor`` writes Superset's export of each dashboard back into its folder with stable file
names (no database ids) and the database URI masked, so a change made in the UI shows up as a
readable diff.
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
import zipfile
from dataclasses import dataclass
from pathlib import Path

import yaml

HERE = Path(__file__).resolve().parent


@dataclass(frozen=True)
class Ekspor:
    """One versioned export: its folder, the variable holding its database's real URI, and the
    placeholder URI the committed database file says (the real one only lives in a temp file)."""

    folder: str
    uri_variable: str
    uri_in_repo: str

    @property
    def path(self) -> Path:
        return HERE / self.folder


EKSPOR = (
    Ekspor(
        "dashboard",
        "SUPERSET_WAREHOUSE_URI",
        "postgresql+psycopg2://bi_reader:XXXXXXXXXX@gudang/ikm",
    ),
    Ekspor(
        "dashboard_publik",
        "SUPERSET_PUBLIK_URI",
        "postgresql+psycopg2://publik_reader:XXXXXXXXXX@gudang/ikm",
    ),
)


def _bundle(export_dir: Path, database_uri: str, out: Path) -> int:
    """Zip the export (``<root>/metadata.yaml``, ``<root>/charts/...``) with the real URI."""
    count = 0
    with zipfile.ZipFile(out, "w") as bundle:
        for path in sorted(export_dir.rglob("*.yaml")):
            rel = path.relative_to(export_dir).as_posix()
            text = path.read_text(encoding="utf-8")
            if rel.startswith("databases/"):
                config = yaml.safe_load(text)
                config["sqlalchemy_uri"] = database_uri
                text = yaml.safe_dump(config, sort_keys=False, allow_unicode=True)
            bundle.writestr(f"ikm_dasbor/{rel}", text)
            count += 1
    return count


def _ensure_admin(username: str, password: str) -> str:
    """The admin login exists with this password; returns what was done."""
    from superset import db, security_manager
    from werkzeug.security import check_password_hash

    user = security_manager.find_user(username=username)
    if user is None:
        role = security_manager.find_role("Admin")
        if role is None:
            raise SystemExit("role Admin missing: run `superset init` first")
        security_manager.add_user(
            username, "Admin", "IKM", f"{username}@ikm.invalid", role, password=password
        )
        return "created"
    if not check_password_hash(user.password, password):
        security_manager.reset_password(user.id, password)
        db.session.commit()
        return "password reset"
    return "unchanged"


def _refresh_columns(export_dir: Path) -> None:
    """Each imported dataset's columns as the warehouse has them now (a view may have gained
    a column since the export); the export's labels and metrics stay."""
    from superset import db
    from superset.connectors.sqla.models import SqlaTable

    for path in (export_dir / "datasets").rglob("*.yaml"):
        uuid = yaml.safe_load(path.read_text(encoding="utf-8"))["uuid"]
        dataset = db.session.query(SqlaTable).filter_by(uuid=uuid).one()
        dataset.fetch_metadata()
    db.session.commit()


def siapkan() -> None:
    from superset.app import create_app

    username = os.environ.get("SUPERSET_ADMIN_USERNAME", "admin")
    password = os.environ.get("SUPERSET_ADMIN_PASSWORD", "admin")
    missing = [e.uri_variable for e in EKSPOR if not os.environ.get(e.uri_variable)]
    if missing:
        raise SystemExit(f"{', '.join(missing)} not set: each dashboard's database URI")
    app = create_app()
    with app.app_context():
        from superset import security_manager
        from superset.commands.chart.importers.dispatcher import ImportChartsCommand
        from superset.commands.dashboard.importers.dispatcher import ImportDashboardsCommand
        from superset.commands.database.importers.dispatcher import ImportDatabasesCommand
        from superset.commands.dataset.importers.dispatcher import ImportDatasetsCommand
        from superset.commands.importers.v1.utils import get_contents_from_bundle
        from superset.utils.core import override_user

        print(f"admin {username}: {_ensure_admin(username, password)}", flush=True)
        for export in EKSPOR:
            with tempfile.TemporaryDirectory(prefix="ikm-dasbor-") as tmp:
                os.chmod(tmp, 0o700)
                zip_path = Path(tmp) / "ikm_dasbor.zip"
                files = _bundle(export.path, os.environ[export.uri_variable], zip_path)
                with zipfile.ZipFile(zip_path) as bundle:
                    contents = get_contents_from_bundle(bundle)
            with override_user(security_manager.find_user(username=username)):
                # A dashboard import keeps the database, datasets and charts it finds (by
                # UUID) as they are; importing each kind first, with overwrite, brings every
                # one of them to the export and the database to the current URI and password.
                for command, kind in (
                    (ImportDatabasesCommand, "Database"),
                    (ImportDatasetsCommand, "SqlaTable"),
                    (ImportChartsCommand, "Slice"),
                    (ImportDashboardsCommand, "Dashboard"),
                ):
                    typed = dict(contents)
                    typed["metadata.yaml"] = yaml.safe_dump({"version": "1.0.0", "type": kind})
                    command(typed, overwrite=True).run()
                _refresh_columns(export.path)
            print(f"dashboard imported from {export.path} ({files} files)", flush=True)


def _stable_name(prefix: str, config: dict) -> str:
    from werkzeug.utils import secure_filename

    if prefix == "databases":
        return f"databases/{secure_filename(config['database_name'])}.yaml"
    if prefix == "datasets":
        return f"datasets/{config['schema']}/{secure_filename(config['table_name'])}.yaml"
    if prefix == "charts":
        return f"charts/{secure_filename(config['slice_name'])}.yaml"
    return f"dashboards/{secure_filename(config['slug'] or config['dashboard_title'])}.yaml"


def _stable_dataset(config: dict) -> None:
    """Columns and metrics by name, an empty expression as none: the order Superset lists them
    in and its ''/null follow the import, not the content."""
    config["columns"].sort(key=lambda c: c["column_name"])
    config["metrics"].sort(key=lambda m: m["metric_name"])
    for item in config["columns"] + config["metrics"]:
        if item.get("expression") == "":
            item["expression"] = None


def _export_files(export: Ekspor, username: str) -> dict[str, str]:
    """Superset's export of the dashboards of one folder, as the files to write there."""
    from superset import db, security_manager
    from superset.commands.dashboard.export import ExportDashboardsCommand
    from superset.models.dashboard import Dashboard
    from superset.utils.core import override_user

    uuids = [
        yaml.safe_load(p.read_text(encoding="utf-8"))["uuid"]
        for p in (export.path / "dashboards").glob("*.yaml")
    ]
    ids = [d.id for d in db.session.query(Dashboard).filter(Dashboard.uuid.in_(uuids))]
    if len(ids) != len(uuids):
        raise SystemExit(f"dashboards {uuids} not all in Superset: import them first")
    files: dict[str, str] = {}
    with override_user(security_manager.find_user(username=username)):
        for name, content in ExportDashboardsCommand(ids).run():
            prefix = name.split("/", 1)[0]
            config = yaml.safe_load(content())
            if prefix == "metadata.yaml":
                config.pop("timestamp", None)  # a diff per export otherwise
                files[name] = yaml.safe_dump(config, sort_keys=False)
                continue
            if prefix == "databases":
                config["sqlalchemy_uri"] = export.uri_in_repo
            if prefix == "datasets":
                _stable_dataset(config)
            files[_stable_name(prefix, config)] = yaml.safe_dump(
                config, sort_keys=False, allow_unicode=True
            )
    return files


def ekspor(out_root: Path) -> None:
    """Each export folder of :data:`EKSPOR` written again under ``out_root`` (the repo's
    ``bi/`` by default) from what Superset holds."""
    from superset.app import create_app

    app = create_app()
    username = os.environ.get("SUPERSET_ADMIN_USERNAME", "admin")
    with app.app_context():
        written = {export: _export_files(export, username) for export in EKSPOR}
    for export, files in written.items():
        out_dir = out_root / export.folder
        shutil.rmtree(out_dir, ignore_errors=True)
        for name, text in files.items():
            path = out_dir / name
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8")
        print(f"{len(files)} files written to {out_dir}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    sub = parser.add_subparsers(dest="perintah", required=True)
    sub.add_parser("siapkan", help="admin login and the dashboards' import")
    p = sub.add_parser("ekspor", help="the dashboards into bi/dashboard and bi/dashboard_publik")
    p.add_argument(
        "--ke", type=Path, default=HERE, help="folder to write each export folder into (bi/)"
    )
    args = parser.parse_args(argv)
    if args.perintah == "siapkan":
        siapkan()
    else:
        ekspor(args.ke)
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""The soak test's landing zone, its oracle, and one pass of the pipeline over it.

A seeded generator writes ``DAYS`` consecutive arrival days of ``PER_DAY`` small files each,
spread over the four kinds, CSV/XLSX/JSON, from province and kab/kota offices of the reference
list: clean files, files with a bad row (quarantine), files rejected whole (a required column
missing, unreadable bytes, too many bad rows), corrections of an earlier file's scopes (some of
them rejected) and exact resends. Because the generator knows what it planted, it also knows
the answer: the status every file must end with and the facts in force per scope (DESIGN.md:
the latest accepted submission by arrival date, file name, path). The pass runs in a child
process so that the in-order and the shuffled pass share the machine's two cores.
"""

from __future__ import annotations

import csv
import datetime as dt
import os
import shutil
import time
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from random import Random
from typing import Any

import psycopg

from etl import contract
from etl.generators.samples.writers import tulis_csv, tulis_json, tulis_xlsx
from tests.support.factories import unit_ikm_row

SEED = 20240701
DAYS = 30
PER_DAY = 50
FIRST_DAY = dt.date(2024, 5, 1)
MAX_BAD_SHARE = 0.20  # IKM_BATAS_BARIS_BURUK's default

Scope = tuple[str, str, str]  # (jenis, periode, kode_cakupan)
Row = dict[str, Any]

# (fokus, kegiatan, satuan_output): an activity keeps its output unit all year
KEGIATAN = (
    ("kemiskinan_ekstrem", "Bantuan peralatan produksi IKM", "IKM"),
    ("siinas", "Pendampingan registrasi SIINas", "IKM"),
    ("tkdn_ik", "Fasilitasi sertifikasi TKDN IK", "sertifikat"),
    ("ovop", "Pembinaan produk unggulan OVOP", "IKM"),
    ("lainnya", "Monitoring dan evaluasi program IKM", "laporan"),
    ("lainnya", "Fasilitasi promosi dan pameran produk IKM", "IKM"),
)
GOLONGAN = ("10", "13", "14", "15", "16", "31")
# a cell that breaks one row without touching its scope column
BAD_CELL = {
    "unit_ikm": ("nib", "123"),
    "tenaga_kerja": ("skala", "raksasa"),
    "realisasi_program": ("mekanisme", "hibah"),
    "peserta_program": ("fokus", "entah"),
}
MISSING = {
    "unit_ikm": "kbli",
    "tenaga_kerja": "jumlah_unit",
    "realisasi_program": "pagu",
    "peserta_program": "hasil",
}
SCOPE_COLUMN = {
    "unit_ikm": "kode_kabkota",
    "tenaga_kerja": "kode_kabkota",
    "realisasi_program": "kode_satker",
    "peserta_program": "kode_satker",
}
# what the oracle compares per fact row (enough to tell a correction from what it replaced)
FACT_COLUMNS = {
    "unit_ikm": ("nib", "tenaga_kerja_laki", "tenaga_kerja_perempuan", "nilai_investasi"),
    "tenaga_kerja": (
        "kbli_golongan_pokok",
        "skala",
        "jumlah_unit",
        "tenaga_kerja_laki",
        "tenaga_kerja_perempuan",
    ),
    "realisasi_program": ("kegiatan", "realisasi", "capaian_output"),
    "peserta_program": ("kegiatan", "nib", "hasil"),
}
FACT_VIEW = {
    "unit_ikm": ("core.fakta_unit_ikm", "tahun::text"),
    "tenaga_kerja": ("core.fakta_tenaga_kerja", "tahun::text"),
    "realisasi_program": (
        "core.fakta_realisasi_program",
        "tahun::text || '-' || lpad(bulan::text, 2, '0')",
    ),
    "peserta_program": ("core.fakta_peserta_program", "tahun::text"),
}


@dataclass
class Landed:
    """One landed file and what it must become."""

    path: str  # <date>/<office>/<file>, relative to the landing root
    tanggal: dt.date
    kantor: str
    jenis: str
    periode: str
    rows: list[Row]  # as written (bad cells included)
    bad_rows: int  # rows that must be quarantined
    rejected: str | None  # why the whole file must be rejected, or None
    note: str  # new | correction | resend

    @property
    def name(self) -> str:
        return self.path.rsplit("/", 1)[1]

    @property
    def order_key(self) -> tuple[dt.date, str, str]:
        """Latest wins by (arrival date, file name, path), as ``collate "C"`` compares."""
        return (self.tanggal, self.name, self.path)

    def scopes(self) -> set[Scope]:
        """Scopes its good rows cover (a bad cell never sits in the scope column)."""
        if self.rejected:
            return set()
        col = SCOPE_COLUMN[self.jenis]
        return {(self.jenis, self.periode, r[col]) for r in self.rows}


@dataclass
class Zone:
    """The landing zone written and the outcome the pipeline must reach."""

    files: list[Landed] = field(default_factory=list)

    def days(self) -> list[dt.date]:
        return sorted({f.tanggal for f in self.files})

    def owners(self) -> dict[Scope, Landed]:
        owner: dict[Scope, Landed] = {}
        for f in self.files:
            for s in f.scopes():
                if s not in owner or f.order_key > owner[s].order_key:
                    owner[s] = f
        return owner

    def expected_status(self) -> dict[str, str]:
        owned = {f.path for f in self.owners().values()}
        out = {}
        for f in self.files:
            if f.rejected:
                out[f.path] = "ditolak"
            elif f.path not in owned:
                out[f.path] = "digantikan"
            else:
                out[f.path] = "diterima_sebagian" if f.bad_rows else "diterima"
        return out

    def expected_facts(self) -> dict[Scope, list[tuple[str, ...]]]:
        """Per scope, the good rows of its owner (values as text, sorted)."""
        facts = {}
        for scope, f in self.owners().items():
            col = SCOPE_COLUMN[f.jenis]
            bad_col, bad_val = BAD_CELL[f.jenis]
            facts[scope] = sorted(
                tuple(str(r[c]) for c in FACT_COLUMNS[f.jenis])
                for r in f.rows
                if r[col] == scope[2] and r[bad_col] != bad_val
            )
        return facts


# -- the generator ------------------------------------------------------------------------


@dataclass
class _Reference:
    provinces: list[str]
    kabkota: dict[str, list[str]]  # province -> its kab/kota
    kbli: list[str]


def _reference(reference_dir: Path) -> _Reference:
    def read(name: str) -> list[dict[str, str]]:
        with (reference_dir / name).open(encoding="utf-8") as fh:
            return list(csv.DictReader(fh))

    kabkota: dict[str, list[str]] = defaultdict(list)
    for r in read("wilayah_kabkota.csv"):
        kabkota[r["kode_provinsi"]].append(r["kode_kabkota"])
    kbli = [r["kode_kbli"] for r in read("kbli_industri.csv") if r["tingkat"] == "kelompok"]
    return _Reference(sorted(kabkota), dict(kabkota), sorted(kbli)[:40])


class _Generator:
    """Draws every file from one ``Random``: same seed, same landing zone."""

    def __init__(self, out: Path, ref: _Reference, seed: int) -> None:
        self.out, self.ref, self.rng = out, ref, Random(seed)
        self.zone = Zone()
        self.used: set[Scope] = set()  # scopes some new file already took
        self.satker: dict[str, str] = {}  # kode_satker -> its office
        self.serial = 0
        self.registered: list[str] = []  # NIBs of unit registers, for participants
        self.units_2023: dict[str, list[str]] = {}  # kab/kota -> NIBs of its 2023 registers

    # rows ------------------------------------------------------------------------------
    def _unit_rows(self, periode: str, kabkota: str, n: int) -> list[Row]:
        rows = []
        for _ in range(n):
            self.serial += 1
            nib = f"{kabkota}{self.serial:09d}"
            last_year = self.units_2023.get(kabkota, [])
            if periode == "2024" and last_year and self.rng.random() < 0.5:
                nib = self.rng.choice(last_year)  # a unit seen in 2023: a second SCD2 version
            elif periode == "2023":
                self.units_2023.setdefault(kabkota, []).append(nib)
            if nib in {r["nib"] for r in rows}:
                continue
            self.registered.append(nib)
            rows.append(
                unit_ikm_row(
                    nib,
                    kode_kabkota=kabkota,
                    kbli=self.rng.choice(self.ref.kbli),
                    tenaga_kerja_laki=self.rng.randint(1, 9),
                    tenaga_kerja_perempuan=self.rng.randint(0, 9),
                    nilai_investasi=self.rng.randint(10, 900) * 1_000_000,
                    nilai_produksi_setahun=self.rng.randint(10, 900) * 1_000_000,
                    tanggal_pendataan=dt.date(int(periode), self.rng.randint(1, 4), 15),
                )
            )
        return rows

    def _tk_rows(self, kabkota: str, n: int) -> list[Row]:
        keys = self.rng.sample([(g, s) for g in GOLONGAN for s in ("kecil", "menengah")], n)
        return [
            {
                "kode_kabkota": kabkota,
                "kbli_golongan_pokok": g,
                "skala": s,
                "jumlah_unit": self.rng.randint(1, 40),
                "tenaga_kerja_laki": self.rng.randint(0, 300),
                "tenaga_kerja_perempuan": self.rng.randint(0, 300),
            }
            for g, s in keys
        ]

    def _realisasi_rows(self, kantor: str, satker: str, n: int) -> list[Row]:
        return [
            {
                "kode_satker": satker,
                "nama_satker": f"Dinas Perindustrian satker {satker}",
                "kode_wilayah": kantor,
                "mekanisme": "tugas_pembantuan",
                "fokus": fokus,
                "kegiatan": kegiatan,
                "pagu": 1_000_000_000,  # a year of months never spends it
                "realisasi": self.rng.randint(1, 50) * 1_000_000,
                "target_output": 100,
                "capaian_output": self.rng.randint(0, 10),
                "satuan_output": satuan,
            }
            for fokus, kegiatan, satuan in self.rng.sample(KEGIATAN, n)
        ]

    def _peserta_rows(self, satker: str, n: int) -> list[Row]:
        rows = []
        for i in range(n):
            fokus, kegiatan, _ = KEGIATAN[i % len(KEGIATAN)]
            if self.registered and self.rng.random() < 0.6:
                nib = self.rng.choice(self.registered)
            else:
                self.serial += 1
                nib = f"99{self.serial:011d}"
            rows.append(
                {
                    "kode_satker": satker,
                    "fokus": fokus,
                    "kegiatan": kegiatan,
                    "nib": nib,
                    "tanggal": dt.date(2024, self.rng.randint(1, 4), self.rng.randint(1, 28)),
                    "hasil": self.rng.choice(("peralatan diterima", "lulus", "terdaftar")),
                    "nomor_sertifikat": "",
                    "nilai_tkdn_persen": None,
                    "bintang_ovop": None,
                }
            )
        # one kegiatan x nib per file (the row key)
        seen: set[tuple[str, str]] = set()
        return [r for r in rows if (k := (r["kegiatan"], r["nib"])) not in seen and not seen.add(k)]

    def _rows(self, jenis: str, periode: str, kantor: str, cakupan: list[str]) -> list[Row]:
        rows: list[Row] = []
        for c in cakupan:
            n = self.rng.randint(4, 6)
            if jenis == "unit_ikm":
                rows += self._unit_rows(periode, c, n)
            elif jenis == "tenaga_kerja":
                rows += self._tk_rows(c, n)
            elif jenis == "realisasi_program":
                rows += self._realisasi_rows(kantor, c, n)
            else:
                rows += self._peserta_rows(c, n)
        return rows

    # scopes ----------------------------------------------------------------------------
    def _new_scopes(self, jenis: str) -> tuple[str, str, list[str]]:
        """A fresh (office, periode, scopes) nobody has sent yet."""
        while True:
            if jenis in ("unit_ikm", "tenaga_kerja"):
                # one period for tenaga_kerja, two for the unit registers (SCD2 versions):
                # every (kind, period) of a day is one suite run, the soak's main cost
                periode = "2023" if jenis == "tenaga_kerja" else self.rng.choice(("2023", "2024"))
                prov = self.rng.choice(self.ref.provinces)
                if self.rng.random() < 0.25:  # a province sends two of its kab/kota
                    kantor = prov
                    cakupan = sorted(self.rng.sample(self.ref.kabkota[prov], 2))
                else:
                    cakupan = [self.rng.choice(self.ref.kabkota[prov])]
                    kantor = cakupan[0]
            else:
                periode = (
                    f"2024-{self.rng.randint(1, 2):02d}" if jenis == "realisasi_program" else "2024"
                )
                kantor, satker = self._satker()
                cakupan = [satker]
            if not any((jenis, periode, c) in self.used for c in cakupan):
                self.used.update((jenis, periode, c) for c in cakupan)
                return kantor, periode, cakupan

    def _satker(self) -> tuple[str, str]:
        """An existing work unit (its office never changes) or a new one."""
        if self.satker and self.rng.random() < 0.7:
            satker = self.rng.choice(sorted(self.satker))
            return self.satker[satker], satker
        prov = self.rng.choice(self.ref.provinces)
        kantor = prov if self.rng.random() < 0.4 else self.rng.choice(self.ref.kabkota[prov])
        satker = f"{len(self.satker) + 100001:06d}"
        self.satker[satker] = kantor
        return kantor, satker

    # files -----------------------------------------------------------------------------
    def _path(self, tanggal: dt.date, kantor: str, stem: str, ext: str) -> str:
        taken = {f.path for f in self.zone.files}
        rel, n = f"{tanggal}/{kantor}/{stem}.{ext}", 1
        while rel in taken:
            n += 1
            rel = f"{tanggal}/{kantor}/{stem}_{n}.{ext}"
        return rel

    def _write(self, rel: str, jenis: str, rows: list[Row], drop: str | None) -> None:
        target = self.out / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        kolom = [c.nama for c in contract.get_kind(jenis).columns if c.nama != drop]
        ext = target.suffix
        if ext == ".csv":
            tulis_csv(target, kolom, rows)
        elif ext == ".json":
            tulis_json(target, kolom, rows)
        else:
            fmt = {c: "@" for c in kolom if c in ("nib", "kode_kabkota", "kode_satker", "kbli")}
            for c in ("tanggal", "tanggal_pendataan"):
                fmt[c] = "yyyy-mm-dd"
            tulis_xlsx(target, kolom, rows, judul_sheet=jenis, format_sel=fmt)

    def file(self, tanggal: dt.date) -> Landed:
        """One file of the day: new, a correction, or an exact resend; good or bad."""
        draw = self.rng.random()
        earlier = self.zone.files
        if earlier and draw < 0.05:
            return self._resend(tanggal, self.rng.choice(earlier))
        if earlier and draw < 0.30:
            return self._correction(tanggal, self.rng.choice(earlier))
        jenis = self.rng.choice(list(SCOPE_COLUMN))
        kantor, periode, cakupan = self._new_scopes(jenis)
        return self._make(tanggal, jenis, kantor, periode, cakupan, f"{jenis}_{periode}", "new")

    def _correction(self, tanggal: dt.date, of: Landed) -> Landed:
        cakupan = sorted({r[SCOPE_COLUMN[of.jenis]] for r in of.rows})
        if len(cakupan) > 1 and self.rng.random() < 0.4:
            cakupan = [self.rng.choice(cakupan)]  # covers only part of what it corrects
        stem = f"{of.jenis}_{of.periode}_revisi{self.rng.randint(1, 9)}"
        return self._make(tanggal, of.jenis, of.kantor, of.periode, cakupan, stem, "correction")

    def _resend(self, tanggal: dt.date, of: Landed) -> Landed:
        rel = self._path(tanggal, of.kantor, of.name.rsplit(".", 1)[0], of.name.rsplit(".")[-1])
        target = self.out / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(self.out / of.path, target)
        f = Landed(
            rel, tanggal, of.kantor, of.jenis, of.periode, of.rows, of.bad_rows, of.rejected,
            "resend",
        )  # fmt: skip
        self.zone.files.append(f)
        return f

    def _make(
        self,
        tanggal: dt.date,
        jenis: str,
        kantor: str,
        periode: str,
        cakupan: list[str],
        stem: str,
        note: str,
    ) -> Landed:
        rows = self._rows(jenis, periode, kantor, cakupan)
        ext = self.rng.choice(("csv", "csv", "xlsx", "json"))
        rel = self._path(tanggal, kantor, stem, ext)
        draw = self.rng.random()
        bad_col, bad_val = BAD_CELL[jenis]
        bad, rejected, drop = 0, None, None
        if draw < 0.12:  # one bad row, in a scope that keeps good rows
            i = self.rng.randrange(len(rows))
            rows[i] = rows[i] | {bad_col: bad_val}
            bad = 1
            if bad / len(rows) > MAX_BAD_SHARE:
                rejected = "too many bad rows"
        elif draw < 0.16:  # most rows bad
            for i in range(0, len(rows), 2):
                rows[i] = rows[i] | {bad_col: bad_val}
            bad, rejected = len(range(0, len(rows), 2)), "too many bad rows"
        elif draw < 0.20:
            drop, rejected = MISSING[jenis], "required column missing"
        if draw < 0.24 and draw >= 0.20 and ext != "csv":
            rejected = "unreadable"
            target = self.out / rel
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(b"PK\x03\x04 bukan berkas yang utuh" if ext == "xlsx" else b"[{")
        else:
            self._write(rel, jenis, rows, drop)
        f = Landed(rel, tanggal, kantor, jenis, periode, rows, bad, rejected, note)
        self.zone.files.append(f)
        return f


def generate(out: Path, reference_dir: Path, seed: int = SEED) -> Zone:
    """Write ``DAYS`` x ``PER_DAY`` files under ``out``; return them with their outcome."""
    gen = _Generator(out, _reference(reference_dir), seed)
    for d in range(DAYS):
        for _ in range(PER_DAY):
            gen.file(FIRST_DAY + dt.timedelta(days=d))
    return gen.zone


# -- one pass -------------------------------------------------------------------------------


def run_pass(env: dict[str, str], days: list[dt.date]) -> dict[str, float]:
    """Every day through ``etl.flow.run_day`` in the order given; seconds per day.

    Meant for a fresh (spawned) process: the settings and engines come from ``env``.
    """
    os.environ.update(env)
    from etl import flow

    took = {}
    for day in days:
        start = time.monotonic()
        flow.run_day(day)
        took[day.isoformat()] = time.monotonic() - start
    return took


# -- what a warehouse holds, ids and clocks left out ---------------------------------------

VOLATILE = {"submission_id", "processed_at", "mulai", "selesai", "dimuat_pada", "tabel_staging"}


def state(dsn: str) -> dict[str, str]:
    """Row count and md5 of every core view, every mart (materialized ones through pg_class),
    and the audit trail (statuses per path, quarantine by path and row), without surrogate
    ids and timestamps: extract numbers files in the order it meets them."""
    out = {}
    with psycopg.connect(dsn) as conn:
        relations = [
            r[0]
            for r in conn.execute(
                "select n.nspname || '.' || c.relname from pg_class as c "
                "join pg_namespace as n on c.relnamespace = n.oid "
                "where c.relkind in ('v', 'm') and n.nspname in ('core', 'mart') order by 1"
            )
        ]
        for name in [*relations, "audit.submission"]:
            columns = [
                r[0]
                for r in conn.execute(
                    "select attname from pg_attribute where attrelid = %s::regclass "
                    "and attnum > 0 and not attisdropped "
                    "and format_type(atttypid, null) not like 'timestamp%%' order by attnum",
                    (name,),
                )
                if r[0] not in VOLATILE and not r[0].endswith("_id") and r[0] != "baris"
            ]
            cols = ", ".join(f'"{c}"' for c in columns)
            rows, digest = conn.execute(
                f"select count(*), md5(coalesce(string_agg(t::text, '|' order by t::text), '')) "
                f"from (select {cols} from {name}) as t"
            ).fetchone()
            out[name] = f"{rows}:{digest}"
        out["audit.karantina"] = ":".join(
            str(v)
            for v in conn.execute(
                "select count(*), md5(coalesce(string_agg(x, '|' order by x), '')) from ("
                "select s.path || '#' || k.baris || '#' || k.kolom || '#' "
                "|| coalesce(k.nilai, '') || '#' || k.kode_aturan as x "
                "from audit.karantina as k join audit.submission as s using (submission_id)) q"
            ).fetchone()
        )
    return out


def facts(dsn: str) -> dict[Scope, list[tuple[str, ...]]]:
    """The facts in force per scope, in the oracle's terms."""
    out: dict[Scope, list[tuple[str, ...]]] = defaultdict(list)
    with psycopg.connect(dsn) as conn:
        for jenis, (view, periode) in FACT_VIEW.items():
            cols = ", ".join(f"{c}::text" for c in FACT_COLUMNS[jenis])
            for row in conn.execute(f"select {periode}, {SCOPE_COLUMN[jenis]}, {cols} from {view}"):
                out[(jenis, row[0], row[1])].append(tuple(row[2:]))
    return {k: sorted(v) for k, v in out.items()}

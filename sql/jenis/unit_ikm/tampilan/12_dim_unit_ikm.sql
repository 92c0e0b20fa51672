-- SCD type 2 IKM units: one row per version of a unit's descriptive attributes, versions by
-- year (berlaku_sampai exclusive). The versions are rebuilt after each night's loads
-- (sql/load/unit_ikm/bangun); their attributes are those of the kept row that opened them.
create or replace view core.dim_unit_ikm as
select
    v.nib,
    v.berlaku_mulai,
    v.berlaku_sampai,
    v.is_current,
    v.row_hash,
    b.nama_usaha,
    b.nama_pemilik,
    b.nik_pemilik,
    b.no_telepon,
    b.alamat,
    b.kode_kabkota,
    b.kbli,
    b.produk_utama,
    b.kode_sentra,
    b.tahun_berdiri
from core.versi_unit_ikm as v
inner join core.baris_unit_ikm as b
    on v.submission_id = b.submission_id and v.baris = b.baris;

comment on view core.dim_unit_ikm is
    'Unit IKM, SCD tipe 2: versi atribut per tahun register; berlaku_sampai eksklusif.';

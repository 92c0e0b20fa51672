-- SCD type 2, rebuilt for the affected units from the facts in force: a new version starts in
-- each year whose attributes differ from the year before. Attributes come from the kept rows,
-- so every hash in force has them; the result depends only on the facts, not on load order.
create temp table versi_dim on commit drop as
with atribut as (
    select distinct on (nib, row_hash)
        nib, row_hash, nama_usaha, nama_pemilik, nik_pemilik, no_telepon, alamat,
        kode_kabkota, kbli, produk_utama, kode_sentra, tahun_berdiri
    from core.baris_unit_ikm
    where nib in (select nib from core.antrean_dim_unit_ikm)
    order by nib, row_hash, submission_id, baris
),

per_tahun as (
    -- a unit in two kab/kota registers of one year takes the latest file's attributes
    select distinct on (f.nib, f.tahun)
        f.nib, f.tahun, f.row_hash
    from core.fakta_unit_ikm as f
    inner join audit.submission as s on f.submission_id = s.submission_id
    where f.nib in (select nib from core.antrean_dim_unit_ikm)
    order by
        f.nib, f.tahun, s.tanggal_tiba desc, s.nama_berkas collate "C" desc,
        s.path collate "C" desc
),

perubahan as (
    select
        nib, tahun, row_hash,
        lag(row_hash) over (partition by nib order by tahun) as hash_sebelumnya
    from per_tahun
),

versi as (
    select
        nib, row_hash,
        tahun as berlaku_mulai,
        lead(tahun) over (partition by nib order by tahun) as berlaku_sampai
    from perubahan
    where hash_sebelumnya is distinct from row_hash
)

select
    v.nib, v.berlaku_mulai, v.berlaku_sampai, v.berlaku_sampai is null as is_current,
    v.row_hash, a.nama_usaha, a.nama_pemilik, a.nik_pemilik, a.no_telepon, a.alamat,
    a.kode_kabkota, a.kbli, a.produk_utama, a.kode_sentra, a.tahun_berdiri
from versi as v
inner join atribut as a on v.nib = a.nib and v.row_hash = a.row_hash

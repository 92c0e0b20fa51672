-- SCD type 2, rebuilt for the affected units from the facts in force: a new version starts in
-- each year whose attributes differ from the year before. The result depends only on the
-- facts, not on load order. Versions stay narrow: core.dim_unit_ikm reads their attributes.
create temp table versi_ringkas on commit drop as
with urutan as (
    -- the latest file first (arrival date, file name, path), as a number to sort by
    select
        submission_id,
        row_number() over (
            order by tanggal_tiba desc, nama_berkas collate "C" desc, path collate "C" desc
        ) as peringkat
    from audit.submission
    where jenis = 'unit_ikm'
),

per_tahun as (
    -- a unit in two kab/kota registers of one year takes the latest file's attributes
    select distinct on (f.nib, f.tahun)
        f.nib, f.tahun, f.row_hash, f.submission_id, f.baris
    from core.fakta_unit_ikm as f
    inner join urutan as u on f.submission_id = u.submission_id
    where f.nib in (select nib from nib_terdampak)
    order by f.nib, f.tahun, u.peringkat
),

perubahan as (
    select
        nib, tahun, row_hash, submission_id, baris,
        lag(row_hash) over (partition by nib order by tahun) as hash_sebelumnya
    from per_tahun
),

versi as (
    select
        nib, row_hash, submission_id, baris,
        tahun as berlaku_mulai,
        lead(tahun) over (partition by nib order by tahun) as berlaku_sampai
    from perubahan
    where hash_sebelumnya is distinct from row_hash
)

select nib, row_hash, submission_id, baris, berlaku_mulai, berlaku_sampai from versi

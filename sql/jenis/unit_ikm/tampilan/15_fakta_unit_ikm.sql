-- The yearly IKM unit facts in force: the rows of the submission that owns each scope.
create or replace view core.fakta_unit_ikm as
select
    b.tahun,
    b.kode_kabkota,
    b.nib,
    b.submission_id,
    b.baris,
    b.row_hash,
    b.skala,
    b.kbli,
    b.tenaga_kerja_laki,
    b.tenaga_kerja_perempuan,
    b.nilai_investasi,
    b.nilai_produksi_setahun,
    b.terdaftar_siinas,
    b.sertifikat_tkdn_ik,
    b.penjualan_online,
    b.tanggal_pendataan
from core.baris_unit_ikm as b
-- a semi-join, not a join: it gives the same rows (a submission owns a scope at most once), but
-- the planner then expects the millions of rows in force, not a few thousand, and hashes them
-- in the marts and the SCD2 rebuild instead of sorting them on disk
where exists (
    select 1
    from core.cakupan_berlaku as c
    where
        c.jenis = 'unit_ikm'
        and c.submission_id = b.submission_id
        and c.kode_cakupan = b.kode_kabkota
);

comment on view core.fakta_unit_ikm is
    'Fakta tahunan unit IKM yang berlaku: baris pengiriman pemilik tiap (tahun, kode_kabkota).';

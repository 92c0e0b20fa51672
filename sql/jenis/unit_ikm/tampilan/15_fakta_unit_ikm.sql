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
inner join core.cakupan_berlaku as c
    on
        b.submission_id = c.submission_id
        and b.kode_kabkota = c.kode_cakupan
        and c.jenis = 'unit_ikm';

comment on view core.fakta_unit_ikm is
    'Fakta tahunan unit IKM yang berlaku: baris pengiriman pemilik tiap (tahun, kode_kabkota).';

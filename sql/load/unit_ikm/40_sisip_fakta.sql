insert into core.fakta_unit_ikm (
    tahun, kode_kabkota, nib, submission_id, baris, row_hash, skala, kbli,
    tenaga_kerja_laki, tenaga_kerja_perempuan, nilai_investasi, nilai_produksi_setahun,
    terdaftar_siinas, sertifikat_tkdn_ik, penjualan_online, tanggal_pendataan
)
select
    %(tahun)s, kode_kabkota, nib, %(submission_id)s, baris, row_hash, skala, kbli,
    tenaga_kerja_laki, tenaga_kerja_perempuan, nilai_investasi, nilai_produksi_setahun,
    terdaftar_siinas, sertifikat_tkdn_ik, penjualan_online, tanggal_pendataan
from baris_baru
order by kode_kabkota, nib

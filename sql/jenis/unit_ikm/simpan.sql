-- Keep the submission's accepted rows, with the hash of the unit's descriptive attributes.
insert into core.baris_unit_ikm (
    submission_id, baris, tahun, row_hash, nib, nama_usaha, nama_pemilik, nik_pemilik,
    no_telepon, alamat, kode_kabkota, kbli, produk_utama, kode_sentra, tahun_berdiri, skala,
    tenaga_kerja_laki, tenaga_kerja_perempuan, nilai_investasi, nilai_produksi_setahun,
    terdaftar_siinas, sertifikat_tkdn_ik, penjualan_online, tanggal_pendataan
)
select
    %(submission_id)s,
    _baris,
    %(tahun)s,
    md5(row(
        nama_usaha, nama_pemilik, nik_pemilik, no_telepon, alamat, kode_kabkota, kbli,
        produk_utama, kode_sentra, tahun_berdiri::smallint
    )::text),
    nib,
    nama_usaha,
    nama_pemilik,
    nik_pemilik,
    no_telepon,
    alamat,
    kode_kabkota,
    kbli,
    produk_utama,
    kode_sentra,
    tahun_berdiri::smallint,
    skala,
    tenaga_kerja_laki,
    tenaga_kerja_perempuan,
    nilai_investasi,
    nilai_produksi_setahun,
    terdaftar_siinas = 'ya',
    sertifikat_tkdn_ik = 'ya',
    penjualan_online = 'ya',
    tanggal_pendataan
from {staging} as s
where not _karantina
order by _baris

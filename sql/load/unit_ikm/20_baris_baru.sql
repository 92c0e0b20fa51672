-- The file's good rows in the scopes it won, with the hash of the unit's descriptive attributes.
create temp table baris_baru on commit drop as
with baris as (
    select
        _baris as baris,
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
        tahun_berdiri::smallint as tahun_berdiri,
        skala,
        tenaga_kerja_laki::integer as tenaga_kerja_laki,
        tenaga_kerja_perempuan::integer as tenaga_kerja_perempuan,
        nilai_investasi,
        nilai_produksi_setahun,
        terdaftar_siinas = 'ya' as terdaftar_siinas,
        sertifikat_tkdn_ik = 'ya' as sertifikat_tkdn_ik,
        penjualan_online = 'ya' as penjualan_online,
        tanggal_pendataan
    from {staging}
    where not _karantina
        and kode_kabkota in (select kode_cakupan from cakupan_menang)
)
select
    md5(row(
        nama_usaha, nama_pemilik, nik_pemilik, no_telepon, alamat, kode_kabkota, kbli,
        produk_utama, kode_sentra, tahun_berdiri
    )::text) as row_hash,
    *
from baris

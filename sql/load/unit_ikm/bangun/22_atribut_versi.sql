-- Each version's attributes, from the kept row that opened it (same hash, same attributes).
create temp table versi_dim on commit drop as
select
    v.nib, v.berlaku_mulai, v.berlaku_sampai, v.berlaku_sampai is null as is_current,
    v.row_hash, b.nama_usaha, b.nama_pemilik, b.nik_pemilik, b.no_telepon, b.alamat,
    b.kode_kabkota, b.kbli, b.produk_utama, b.kode_sentra, b.tahun_berdiri
from versi_ringkas as v
inner join core.baris_unit_ikm as b on v.submission_id = b.submission_id and v.baris = b.baris

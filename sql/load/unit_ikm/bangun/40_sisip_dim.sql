-- Versions that are new; unchanged ones stay untouched, so a re-run writes nothing.
insert into core.dim_unit_ikm (
    nib, berlaku_mulai, berlaku_sampai, is_current, row_hash, nama_usaha, nama_pemilik,
    nik_pemilik, no_telepon, alamat, kode_kabkota, kbli, produk_utama, kode_sentra, tahun_berdiri
)
select
    v.nib, v.berlaku_mulai, v.berlaku_sampai, v.is_current, v.row_hash, v.nama_usaha,
    v.nama_pemilik, v.nik_pemilik, v.no_telepon, v.alamat, v.kode_kabkota, v.kbli,
    v.produk_utama, v.kode_sentra, v.tahun_berdiri
from versi_dim as v
where not exists (
    select 1 from core.dim_unit_ikm as d
    where d.nib = v.nib and d.berlaku_mulai = v.berlaku_mulai
)
order by v.nib, v.berlaku_mulai

-- Keep the submission's accepted training rows.
insert into core.baris_pelatihan (
    submission_id, baris, tahun, kode_kabkota, nama_pelatihan, jumlah_peserta, tanggal_mulai
)
select %(submission_id)s, _baris, %(tahun)s, kode_kabkota, nama_pelatihan, jumlah_peserta, tanggal_mulai
from {staging} as s
where not _karantina
order by _baris

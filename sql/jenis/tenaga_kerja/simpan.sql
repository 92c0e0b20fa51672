-- Keep the submission's accepted workforce rows.
insert into core.baris_tenaga_kerja (
    submission_id, baris, tahun, kode_kabkota, kbli_golongan_pokok, skala, jumlah_unit,
    tenaga_kerja_laki, tenaga_kerja_perempuan
)
select
    %(submission_id)s, _baris, %(tahun)s, kode_kabkota, kbli_golongan_pokok, skala,
    jumlah_unit, tenaga_kerja_laki, tenaga_kerja_perempuan
from {staging} as s
where not _karantina
order by _baris

-- Keep the submission's accepted monthly budget rows.
insert into core.baris_realisasi_program (
    submission_id, baris, tahun, bulan, kode_satker, nama_satker, kode_wilayah, mekanisme,
    fokus, kegiatan, pagu, realisasi, target_output, capaian_output, satuan_output
)
select
    %(submission_id)s, _baris, %(tahun)s, %(bulan)s, kode_satker, nama_satker, kode_wilayah,
    mekanisme, fokus, kegiatan, pagu, realisasi, target_output, capaian_output, satuan_output
from {staging} as s
where not _karantina
order by _baris

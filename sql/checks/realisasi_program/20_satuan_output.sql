-- kode: satuan_output_berubah
-- kolom: satuan_output
-- tingkat: karantina
-- pesan: satuan output berbeda dari satuan yang dilaporkan untuk kegiatan ini pada bulan sebelumnya; capaian harus dilaporkan dalam satuan yang sama sepanjang tahun
-- An activity's output is counted in one unit all year: capaian_output of this month must be in
-- the unit of satuan_output that the earlier months in force used.
select
    s._baris,
    s.satuan_output as nilai
from {staging} as s
where exists (
    select 1
    from core.fakta_realisasi_program as f
    where f.tahun = %(tahun)s
        and f.bulan < %(bulan)s
        and f.kode_satker = s.kode_satker
        and f.mekanisme = s.mekanisme
        and f.fokus = s.fokus
        and f.kegiatan = s.kegiatan
        and lower(f.satuan_output) <> lower(s.satuan_output)
)

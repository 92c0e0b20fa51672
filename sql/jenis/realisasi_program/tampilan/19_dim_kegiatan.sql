-- Programme activities: one row per work unit, mechanism, focus area and activity per year.
create or replace view core.dim_kegiatan as
select distinct on (f.tahun, f.kode_satker, f.mekanisme, f.fokus, f.kegiatan)
    f.tahun,
    f.kode_satker,
    f.mekanisme,
    f.fokus,
    f.kegiatan,
    f.satuan_output
from core.fakta_realisasi_program as f
order by f.tahun, f.kode_satker, f.mekanisme, f.fokus, f.kegiatan, f.bulan desc;

-- Work units (satker) as they last reported themselves in the budget reports in force.
create or replace view core.dim_satker as
select distinct on (f.kode_satker)
    f.kode_satker,
    f.nama_satker,
    f.kode_wilayah
from core.fakta_realisasi_program as f
inner join audit.submission as s on f.submission_id = s.submission_id
order by f.kode_satker, f.tahun desc, f.bulan desc, s.tanggal_tiba desc;

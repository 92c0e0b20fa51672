-- Monthly programme budget and output in force: the rows of each (month, satker) owner.
create or replace view core.fakta_realisasi_program as
select
    b.tahun,
    b.bulan,
    b.kode_satker,
    b.nama_satker,
    b.kode_wilayah,
    b.mekanisme,
    b.fokus,
    b.kegiatan,
    b.pagu,
    b.realisasi,
    b.target_output,
    b.capaian_output,
    b.satuan_output,
    b.submission_id,
    b.baris
from core.baris_realisasi_program as b
inner join core.cakupan_berlaku as c
    on
        b.submission_id = c.submission_id
        and b.kode_satker = c.kode_cakupan
        and c.jenis = 'realisasi_program';

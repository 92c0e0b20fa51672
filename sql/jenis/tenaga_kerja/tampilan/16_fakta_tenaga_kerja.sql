-- Workforce in force: the rows of the submission that owns each (year, kab/kota).
create or replace view core.fakta_tenaga_kerja as
select
    b.tahun,
    b.kode_kabkota,
    b.kbli_golongan_pokok,
    b.skala,
    b.jumlah_unit,
    b.tenaga_kerja_laki,
    b.tenaga_kerja_perempuan,
    b.submission_id,
    b.baris
from core.baris_tenaga_kerja as b
inner join core.cakupan_berlaku as c
    on
        b.submission_id = c.submission_id
        and b.kode_kabkota = c.kode_cakupan
        and c.jenis = 'tenaga_kerja';

-- Trainings in force: the rows of the submission that owns each (year, kab/kota).
create or replace view core.fakta_pelatihan as
select
    b.tahun,
    b.kode_kabkota,
    b.nama_pelatihan,
    b.jumlah_peserta,
    b.tanggal_mulai,
    b.submission_id,
    b.baris
from core.baris_pelatihan as b
inner join core.cakupan_berlaku as c
    on
        b.submission_id = c.submission_id
        and b.kode_kabkota = c.kode_cakupan
        and c.jenis = 'pelatihan';

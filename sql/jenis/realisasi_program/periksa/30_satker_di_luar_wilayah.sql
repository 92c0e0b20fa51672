-- kode: satker_di_luar_wilayah
-- kolom: kode_satker
-- tingkat: karantina
-- pesan: satker ini sudah dilaporkan di wilayah lain, di luar wilayah kantor pengirim; kantor hanya melaporkan satker di wilayahnya
-- A work unit belongs to one region: an office may not report a satker that the reports in force
-- place outside the office's area (so no office can overwrite another's budget).
select
    s._baris,
    s.kode_satker || ' (wilayah: ' || lain.wilayah || ')' as nilai
from {staging} as s
cross join lateral (
    select string_agg(distinct f.kode_wilayah, ', ') as wilayah
    from core.fakta_realisasi_program as f
    where f.kode_satker = s.kode_satker
        and f.kode_wilayah not like %(kantor)s || '%%'
) as lain
where not s._karantina
    and lain.wilayah is not null

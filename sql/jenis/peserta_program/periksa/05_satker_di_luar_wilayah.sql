-- kode: satker_di_luar_wilayah
-- kolom: kode_satker
-- tingkat: karantina
-- pesan: satker ini dilaporkan dalam realisasi anggaran di wilayah lain, di luar wilayah kantor pengirim; kantor hanya melaporkan peserta kegiatan satker di wilayahnya
-- Participants are reported by the office of the satker that served them.
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

-- kode: satuan_output_berubah
-- kolom: satuan_output
-- tingkat: karantina
-- pesan: satuan output berbeda dari satuan kegiatan ini pada bulan lain; capaian harus dilaporkan dalam satuan yang sama sepanjang tahun
-- An activity's output is counted in one unit all year: capaian_output of this month must be in
-- the unit of satuan_output that the other months in force (earlier and later) use.
select
    s._baris,
    s.satuan_output || ' (bulan lain: ' || lain.satuan || ')' as nilai
from {staging} as s
cross join lateral (
    select string_agg(distinct f.satuan_output, ', ') as satuan
    from core.fakta_realisasi_program as f
    where f.tahun = %(tahun)s
        and f.bulan <> %(bulan)s
        and f.kode_satker = s.kode_satker
        and f.mekanisme = s.mekanisme
        and f.fokus = s.fokus
        and f.kegiatan = s.kegiatan
        and lower(f.satuan_output) <> lower(s.satuan_output)
) as lain
where not s._karantina
    and lain.satuan is not null

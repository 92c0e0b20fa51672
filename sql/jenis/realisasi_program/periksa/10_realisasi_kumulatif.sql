-- kode: realisasi_kumulatif_melebihi_pagu
-- kolom: realisasi
-- tingkat: karantina
-- pesan: realisasi kegiatan ini sepanjang tahun (bulan lain yang sudah dilaporkan ditambah bulan ini) melebihi pagu setahun; periksa realisasi bulan ini dan bulan-bulan lain
-- Monthly spending of an activity adds up to at most its year's ceiling: every other month of
-- the year in force (earlier and later) plus this month's row, which replaces its stored month.
select
    s._baris,
    s.realisasi::text || ' (bulan lain: ' || lain.total::text || ', pagu: ' || s.pagu::text || ')'
        as nilai
from {staging} as s
cross join lateral (
    select coalesce(sum(f.realisasi), 0) as total
    from core.fakta_realisasi_program as f
    where f.tahun = %(tahun)s
        and f.bulan <> %(bulan)s
        and f.kode_satker = s.kode_satker
        and f.mekanisme = s.mekanisme
        and f.fokus = s.fokus
        and f.kegiatan = s.kegiatan
) as lain
where not s._karantina
    and s.realisasi is not null
    and s.pagu is not null
    and lain.total + s.realisasi > s.pagu

-- kode: realisasi_kumulatif_melebihi_pagu
-- kolom: realisasi
-- tingkat: karantina
-- pesan: realisasi Januari sampai bulan ini melebihi pagu setahun kegiatan ini; periksa realisasi bulan ini dan bulan-bulan sebelumnya yang sudah dilaporkan
-- Monthly spending of an activity adds up to at most its year's ceiling: the earlier months in
-- force plus this month's row.
select
    s._baris,
    s.realisasi::text as nilai
from {staging} as s
cross join lateral (
    select coalesce(sum(f.realisasi), 0) as sebelumnya
    from core.fakta_realisasi_program as f
    where f.tahun = %(tahun)s
        and f.bulan < %(bulan)s
        and f.kode_satker = s.kode_satker
        and f.mekanisme = s.mekanisme
        and f.fokus = s.fokus
        and f.kegiatan = s.kegiatan
) as lalu
where s.realisasi is not null
    and s.pagu is not null
    and lalu.sebelumnya + s.realisasi > s.pagu

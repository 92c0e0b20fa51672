-- One row per budget year × month × work unit × mechanism × focus (activities summed):
-- the year's ceiling and target as last reported, spending and output cumulated from January.
create or replace view mart.serapan_anggaran as
with bulanan as (
    select
        tahun, bulan, kode_satker, mekanisme, fokus, kegiatan, pagu, realisasi,
        target_output, capaian_output
    from core.fakta_realisasi_program
),

terakhir as (
    -- each activity's ceiling and target as last reported in the year
    select distinct on (tahun, kode_satker, mekanisme, fokus, kegiatan)
        tahun, kode_satker, mekanisme, fokus, kegiatan, pagu, target_output
    from bulanan
    order by tahun, kode_satker, mekanisme, fokus, kegiatan, bulan desc
),

plafon as (
    select
        tahun, kode_satker, mekanisme, fokus,
        sum(pagu) as pagu,
        sum(target_output) as target_output
    from terakhir
    group by tahun, kode_satker, mekanisme, fokus
),

per_bulan as (
    select
        tahun, bulan, kode_satker, mekanisme, fokus,
        sum(realisasi) as realisasi,
        sum(capaian_output) as capaian_output
    from bulanan
    group by tahun, bulan, kode_satker, mekanisme, fokus
),

kumulatif as (
    select
        tahun, bulan, kode_satker, mekanisme, fokus,
        sum(realisasi) over w as realisasi_kumulatif,
        sum(capaian_output) over w as capaian_kumulatif
    from per_bulan
    window w as (partition by tahun, kode_satker, mekanisme, fokus order by bulan)
)

select
    k.tahun::integer as tahun_anggaran,
    k.bulan::integer as bulan,
    k.kode_satker,
    s.nama_satker,
    s.kode_wilayah,
    k.mekanisme,
    k.fokus,
    p.pagu::numeric(20, 0) as pagu,
    k.realisasi_kumulatif::numeric(20, 0) as realisasi_kumulatif,
    round(100.0 * k.realisasi_kumulatif / nullif(p.pagu, 0), 2) as persen_serapan,
    p.target_output::numeric as target_output,
    k.capaian_kumulatif::numeric as capaian_kumulatif,
    round((100.0 * k.capaian_kumulatif / nullif(p.target_output, 0))::numeric, 2)
        as persen_capaian
from kumulatif as k
inner join plafon as p
    on
        k.tahun = p.tahun
        and k.kode_satker = p.kode_satker
        and k.mekanisme = p.mekanisme
        and k.fokus = p.fokus
left join core.dim_satker as s on k.kode_satker = s.kode_satker;

comment on view mart.serapan_anggaran is
    'Serapan anggaran dan capaian output kumulatif per bulan, satker, mekanisme dan fokus; pagu '
    'dan target = nilai terakhir yang dilaporkan tahun itu. / Cumulative budget absorption.';

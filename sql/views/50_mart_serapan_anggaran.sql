-- Materialized: refreshed in one transaction with the other marts after every load (etl.stages.s5_publish.marts).
-- One row per budget year × month × work unit × mechanism × focus (activities summed), for
-- every month from January to the last month the work unit reported: the ceiling and target as
-- last reported, spending and output cumulated from January (a month not reported adds 0).
create materialized view mart.serapan_anggaran as
with laporan as (
    select
        tahun, bulan, kode_satker, mekanisme, fokus, kegiatan, pagu, realisasi,
        target_output, capaian_output, satuan_output
    from core.fakta_realisasi_program
),

kunci as (
    -- each work unit's focus areas in the year, and the last month the unit reported
    select
        l.tahun, l.kode_satker, l.mekanisme, l.fokus,
        max(l.bulan) as bulan_terakhir_kunci,
        count(distinct lower(l.satuan_output)) as jumlah_satuan
    from laporan as l
    group by l.tahun, l.kode_satker, l.mekanisme, l.fokus
),

akhir_satker as (
    select tahun, kode_satker, max(bulan) as bulan_terakhir
    from laporan
    group by tahun, kode_satker
),

plafon as (
    -- the ceiling and target as last reported: the activities of the key's latest month
    select
        l.tahun, l.kode_satker, l.mekanisme, l.fokus,
        sum(l.pagu) as pagu,
        sum(l.target_output) as target_output
    from laporan as l
    inner join kunci as k
        on
            l.tahun = k.tahun
            and l.kode_satker = k.kode_satker
            and l.mekanisme = k.mekanisme
            and l.fokus = k.fokus
            and l.bulan = k.bulan_terakhir_kunci
    group by l.tahun, l.kode_satker, l.mekanisme, l.fokus
),

per_bulan as (
    select
        tahun, bulan, kode_satker, mekanisme, fokus,
        sum(realisasi) as realisasi,
        sum(capaian_output) as capaian_output
    from laporan
    group by tahun, bulan, kode_satker, mekanisme, fokus
),

deret as (
    -- January to the unit's last reported month, for every focus area it reported that year
    select k.tahun, b.bulan::smallint as bulan, k.kode_satker, k.mekanisme, k.fokus
    from kunci as k
    inner join akhir_satker as a on k.tahun = a.tahun and k.kode_satker = a.kode_satker
    cross join lateral generate_series(1, a.bulan_terakhir) as b (bulan)
),

kumulatif as (
    select
        d.tahun, d.bulan, d.kode_satker, d.mekanisme, d.fokus,
        sum(coalesce(p.realisasi, 0)) over w as realisasi_kumulatif,
        sum(coalesce(p.capaian_output, 0)) over w as capaian_kumulatif
    from deret as d
    left join per_bulan as p
        on
            d.tahun = p.tahun
            and d.bulan = p.bulan
            and d.kode_satker = p.kode_satker
            and d.mekanisme = p.mekanisme
            and d.fokus = p.fokus
    window w as (partition by d.tahun, d.kode_satker, d.mekanisme, d.fokus order by d.bulan)
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
    p.target_output,
    k.capaian_kumulatif,
    -- outputs counted in different units cannot be added up into one percentage
    case when u.jumlah_satuan = 1
        then round(100.0 * k.capaian_kumulatif / nullif(p.target_output, 0), 2)
    end as persen_capaian
from kumulatif as k
inner join plafon as p
    on
        k.tahun = p.tahun
        and k.kode_satker = p.kode_satker
        and k.mekanisme = p.mekanisme
        and k.fokus = p.fokus
inner join kunci as u
    on
        k.tahun = u.tahun
        and k.kode_satker = u.kode_satker
        and k.mekanisme = u.mekanisme
        and k.fokus = u.fokus
left join core.dim_satker as s on k.kode_satker = s.kode_satker;

-- unique: refreshed concurrently (etl.stages.s5_publish.marts.refresh), BI readers never wait
create unique index serapan_anggaran_kunci on mart.serapan_anggaran (tahun_anggaran, bulan, kode_satker, mekanisme, fokus);

comment on materialized view mart.serapan_anggaran is
    'Serapan anggaran dan capaian output kumulatif sejak Januari per bulan, satker, mekanisme dan '
    'fokus; pagu dan target = nilai bulan terakhir yang dilaporkan; bulan tanpa laporan = 0; '
    'persen_capaian kosong bila satuan output berbeda. / Budget absorption and output achieved, '
    'cumulated from January, per month, work unit, mechanism and focus area.';
comment on column mart.serapan_anggaran.tahun_anggaran is
    'Tahun anggaran. / Budget year.';
comment on column mart.serapan_anggaran.bulan is
    'Bulan (1-12); nilai kumulatif Januari s.d. bulan ini. / Month (1-12); cumulative values run January to this month.';
comment on column mart.serapan_anggaran.kode_satker is
    'Kode satuan kerja (6 digit). / Work unit code (6 digits).';
comment on column mart.serapan_anggaran.nama_satker is
    'Nama satuan kerja seperti terakhir dilaporkan. / Work unit name as last reported.';
comment on column mart.serapan_anggaran.kode_wilayah is
    'Wilayah satuan kerja (2 atau 4 digit). / Region of the work unit (2 or 4 digits).';
comment on column mart.serapan_anggaran.mekanisme is
    'Mekanisme pendanaan: dekonsentrasi atau tugas_pembantuan. / Funding mechanism: deconcentration or co-administration.';
comment on column mart.serapan_anggaran.fokus is
    'Fokus program: kemiskinan_ekstrem, siinas, tkdn_ik, ovop, lainnya. / Programme focus area.';
comment on column mart.serapan_anggaran.pagu is
    'Pagu tahun itu, rupiah, sesuai laporan terakhir. / The year''s budget ceiling, rupiah, as last reported.';
comment on column mart.serapan_anggaran.realisasi_kumulatif is
    'Realisasi anggaran Januari s.d. bulan ini, rupiah. / Spending January to this month, rupiah.';
comment on column mart.serapan_anggaran.persen_serapan is
    '100 x realisasi_kumulatif / pagu, dua desimal. / Budget absorption, percent.';
comment on column mart.serapan_anggaran.target_output is
    'Target output tahun itu sesuai laporan terakhir. / The year''s output target as last reported.';
comment on column mart.serapan_anggaran.capaian_kumulatif is
    'Capaian output Januari s.d. bulan ini. / Output achieved January to this month.';
comment on column mart.serapan_anggaran.persen_capaian is
    '100 x capaian_kumulatif / target_output; kosong bila satuan output berbeda. / Output achievement, percent; empty when output units differ.';

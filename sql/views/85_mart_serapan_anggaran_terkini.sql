-- Materialized: refreshed in one transaction with the other marts after every load (etl.stages.s5_publish.marts).
-- Budget absorption as it stands: per budget year × work unit × mechanism × focus area, the
-- row of mart.serapan_anggaran for the last month the work unit reported.
create materialized view mart.serapan_anggaran_terkini as
with terkini as (
    select distinct on (tahun_anggaran, kode_satker, mekanisme, fokus)
        tahun_anggaran,
        bulan,
        kode_satker,
        nama_satker,
        kode_wilayah,
        mekanisme,
        fokus,
        pagu,
        realisasi_kumulatif,
        persen_serapan,
        target_output,
        capaian_kumulatif,
        persen_capaian
    from mart.serapan_anggaran
    order by tahun_anggaran, kode_satker, mekanisme, fokus, bulan desc
)

select
    t.tahun_anggaran,
    t.kode_satker,
    t.nama_satker,
    t.kode_wilayah,
    w.kode_provinsi,
    w.nama_provinsi,
    t.mekanisme,
    t.fokus,
    t.bulan as bulan_terakhir,
    t.pagu,
    t.realisasi_kumulatif,
    t.persen_serapan,
    t.target_output,
    t.capaian_kumulatif,
    t.persen_capaian
from terkini as t
left join core.wilayah_per_edisi as w
    on
        t.kode_wilayah = w.kode_wilayah
        and make_date(t.tahun_anggaran, 1, 1) <@ w.atribusi;

-- unique: refreshed concurrently (etl.stages.s5_publish.marts.refresh), BI readers never wait
create unique index serapan_anggaran_terkini_kunci
on mart.serapan_anggaran_terkini (tahun_anggaran, kode_satker, mekanisme, fokus);

comment on materialized view mart.serapan_anggaran_terkini is
    'Serapan anggaran terkini per tahun anggaran, satker, mekanisme dan fokus: bulan terakhir yang '
    'dilaporkan satker. / Budget absorption as it stands per budget year, work unit, mechanism '
    'and focus area: the last month the work unit reported.';
comment on column mart.serapan_anggaran_terkini.tahun_anggaran is
    'Tahun anggaran. / Budget year.';
comment on column mart.serapan_anggaran_terkini.kode_satker is
    'Kode satuan kerja (6 digit). / Work unit code (6 digits).';
comment on column mart.serapan_anggaran_terkini.nama_satker is
    'Nama satuan kerja seperti terakhir dilaporkan. / Work unit name as last reported.';
comment on column mart.serapan_anggaran_terkini.kode_wilayah is
    'Wilayah satuan kerja (2 atau 4 digit). / Region of the work unit (2 or 4 digits).';
comment on column mart.serapan_anggaran_terkini.kode_provinsi is
    'Provinsi satuan kerja (2 digit). / Province of the work unit (2 digits).';
comment on column mart.serapan_anggaran_terkini.nama_provinsi is
    'Nama provinsi satuan kerja. / Province name of the work unit.';
comment on column mart.serapan_anggaran_terkini.mekanisme is
    'Mekanisme pendanaan: dekonsentrasi atau tugas_pembantuan. / Funding mechanism.';
comment on column mart.serapan_anggaran_terkini.fokus is
    'Fokus program: kemiskinan_ekstrem, siinas, tkdn_ik, ovop, lainnya. / Programme focus area.';
comment on column mart.serapan_anggaran_terkini.bulan_terakhir is
    'Bulan terakhir yang dilaporkan satker (1-12). / Last month the work unit reported (1-12).';
comment on column mart.serapan_anggaran_terkini.pagu is
    'Pagu tahun itu, rupiah, sesuai laporan terakhir. / The year''s budget ceiling, rupiah, as last reported.';
comment on column mart.serapan_anggaran_terkini.realisasi_kumulatif is
    'Realisasi anggaran Januari s.d. bulan terakhir, rupiah. / Spending January to the last month, rupiah.';
comment on column mart.serapan_anggaran_terkini.persen_serapan is
    '100 x realisasi_kumulatif / pagu, dua desimal. / Budget absorption, percent.';
comment on column mart.serapan_anggaran_terkini.target_output is
    'Target output tahun itu sesuai laporan terakhir. / The year''s output target as last reported.';
comment on column mart.serapan_anggaran_terkini.capaian_kumulatif is
    'Capaian output Januari s.d. bulan terakhir. / Output achieved January to the last month.';
comment on column mart.serapan_anggaran_terkini.persen_capaian is
    '100 x capaian_kumulatif / target_output; kosong bila satuan output berbeda. / Output '
    'achievement, percent; empty when output units differ.';

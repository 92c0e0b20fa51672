-- Materialized: refreshed in one transaction with the other marts after every load (etl.stages.s5_publish.marts).
-- The ministry's headline figures, one row per year nationally and per year × province, so
-- each question is one query: how many IKM units (in the registers, and as the workforce
-- statistics count them), how many workers, and what share of the industrial workforce works
-- in IKM.
create materialized view mart.indikator_ikm as
with register as (
    select
        tahun,
        kode_provinsi,
        max(nama_provinsi) as nama_provinsi,
        sum(jumlah_unit) as jumlah_unit_ikm,
        sum(tenaga_kerja) as tenaga_kerja_unit_ikm
    from mart.ikm_per_wilayah
    where kode_provinsi is not null
    group by tahun, kode_provinsi
),

statistik as (
    select
        f.tahun::integer as tahun,
        w.kode_provinsi,
        max(w.nama_provinsi) as nama_provinsi,
        sum(f.jumlah_unit) filter (where f.skala in ('kecil', 'menengah'))
            as jumlah_unit_ikm_statistik,
        sum(f.tenaga_kerja_laki + f.tenaga_kerja_perempuan)
            filter (where f.skala in ('kecil', 'menengah')) as tenaga_kerja_ikm,
        sum(f.tenaga_kerja_laki + f.tenaga_kerja_perempuan) as tenaga_kerja_industri
    from core.fakta_tenaga_kerja as f
    inner join core.wilayah_per_edisi as w
        on
            f.kode_kabkota = w.kode_wilayah
            and make_date(f.tahun, 1, 1) <@ w.atribusi
    group by f.tahun, w.kode_provinsi
),

provinsi as (
    select
        tahun,
        kode_provinsi as kode_wilayah,
        coalesce(r.nama_provinsi, s.nama_provinsi) as nama_wilayah,
        r.jumlah_unit_ikm,
        r.tenaga_kerja_unit_ikm,
        s.jumlah_unit_ikm_statistik,
        s.tenaga_kerja_ikm,
        s.tenaga_kerja_industri
    from register as r
    full join statistik as s using (tahun, kode_provinsi)
),

nasional as (
    select
        tahun,
        '00' as kode_wilayah,
        'Indonesia' as nama_wilayah,
        sum(jumlah_unit_ikm) as jumlah_unit_ikm,
        sum(tenaga_kerja_unit_ikm) as tenaga_kerja_unit_ikm,
        sum(jumlah_unit_ikm_statistik) as jumlah_unit_ikm_statistik,
        sum(tenaga_kerja_ikm) as tenaga_kerja_ikm,
        sum(tenaga_kerja_industri) as tenaga_kerja_industri
    from provinsi
    group by tahun
),

semua as (
    select 'nasional' as tingkat, * from nasional
    union all
    select 'provinsi' as tingkat, * from provinsi
)

select
    tahun::integer as tahun,
    tahun = max(tahun) filter (where jumlah_unit_ikm is not null) over () as tahun_terakhir,
    tingkat,
    kode_wilayah,
    nama_wilayah,
    jumlah_unit_ikm::bigint as jumlah_unit_ikm,
    tenaga_kerja_unit_ikm::bigint as tenaga_kerja_unit_ikm,
    jumlah_unit_ikm_statistik::bigint as jumlah_unit_ikm_statistik,
    tenaga_kerja_ikm::bigint as tenaga_kerja_ikm,
    tenaga_kerja_industri::bigint as tenaga_kerja_industri,
    round(100.0 * tenaga_kerja_ikm / nullif(tenaga_kerja_industri, 0), 2) as persen_ikm
from semua;

-- unique: refreshed concurrently (etl.stages.s5_publish.marts.refresh), BI readers never wait
create unique index indikator_ikm_kunci on mart.indikator_ikm (tahun, tingkat, kode_wilayah);

comment on materialized view mart.indikator_ikm is
    'Indikator utama IKM per tahun, nasional dan per provinsi: jumlah unit, tenaga kerja, pangsa '
    'tenaga kerja industri. Satu kueri per pertanyaan, mis. where tingkat = ''nasional'' and '
    'tahun_terakhir. / Headline IKM figures per year, national and per province: units, '
    'workers, share of the industrial workforce; one query per question.';
comment on column mart.indikator_ikm.tahun is
    'Tahun (periode data). / Year (period of the data).';
comment on column mart.indikator_ikm.tahun_terakhir is
    'Tahun terakhir yang memiliki register unit IKM. / The latest year with unit registers.';
comment on column mart.indikator_ikm.tingkat is
    'nasional atau provinsi. / National or province.';
comment on column mart.indikator_ikm.kode_wilayah is
    '00 untuk nasional, kode provinsi (2 digit) untuk provinsi. / 00 for the nation, else the '
    'province code (2 digits).';
comment on column mart.indikator_ikm.nama_wilayah is
    'Indonesia atau nama provinsi. / Indonesia or the province name.';
comment on column mart.indikator_ikm.jumlah_unit_ikm is
    'Unit IKM dalam register unit_ikm yang berlaku (= jumlah mart.ikm_per_wilayah.jumlah_unit). / '
    'IKM units in the unit registers in force (= the sum of mart.ikm_per_wilayah.jumlah_unit).';
comment on column mart.indikator_ikm.tenaga_kerja_unit_ikm is
    'Tenaga kerja unit IKM dalam register. / Workers of the IKM units in the registers.';
comment on column mart.indikator_ikm.jumlah_unit_ikm_statistik is
    'Unit industri kecil dan menengah menurut data tenaga_kerja. / Small and medium industry '
    'units as the workforce data count them.';
comment on column mart.indikator_ikm.tenaga_kerja_ikm is
    'Tenaga kerja industri kecil dan menengah (data tenaga_kerja). / Workers of small and medium '
    'industry (workforce data).';
comment on column mart.indikator_ikm.tenaga_kerja_industri is
    'Tenaga kerja seluruh industri (data tenaga_kerja). / Workers of all industry (workforce data).';
comment on column mart.indikator_ikm.persen_ikm is
    '100 x tenaga_kerja_ikm / tenaga_kerja_industri, dua desimal. / IKM share of the industrial '
    'workforce, percent.';

-- Materialized: refreshed in one transaction with the other marts after every load (etl.stages.s5_publish.marts).
-- One row per year × province: the share of industrial workers who work in IKM. A kab/kota
-- counts in the province the reference edition in force on 1 January of the year placed it in
-- (core.wilayah_per_edisi); edisi_referensi is that edition (the latest, should the year's
-- kab/kota have been attributed by different editions).
create materialized view mart.pangsa_tenaga_kerja as
with per_kabkota as (
    select
        tahun,
        kode_kabkota,
        sum(tenaga_kerja_laki + tenaga_kerja_perempuan)
            filter (where skala in ('kecil', 'menengah')) as tenaga_kerja_ikm,
        sum(tenaga_kerja_laki + tenaga_kerja_perempuan) as tenaga_kerja_industri
    from core.fakta_tenaga_kerja
    group by tahun, kode_kabkota
),

per_provinsi as (
    select
        k.tahun,
        w.kode_provinsi,
        w.nama_provinsi,
        sum(k.tenaga_kerja_ikm) as tenaga_kerja_ikm,
        sum(k.tenaga_kerja_industri) as tenaga_kerja_industri,
        max(w.edisi_id) as edisi_referensi
    from per_kabkota as k
    inner join core.wilayah_per_edisi as w
        on
            k.kode_kabkota = w.kode_wilayah
            and make_date(k.tahun, 1, 1) <@ w.atribusi
    group by k.tahun, w.kode_provinsi, w.nama_provinsi
)

select
    tahun::integer as tahun,
    kode_provinsi,
    nama_provinsi,
    coalesce(tenaga_kerja_ikm, 0)::bigint as tenaga_kerja_ikm,
    tenaga_kerja_industri::bigint as tenaga_kerja_industri,
    round(100.0 * coalesce(tenaga_kerja_ikm, 0) / nullif(tenaga_kerja_industri, 0), 2)
        as persen_ikm,
    edisi_referensi
from per_provinsi;

-- unique: refreshed concurrently (etl.stages.s5_publish.marts.refresh), BI readers never wait
create unique index pangsa_tenaga_kerja_kunci on mart.pangsa_tenaga_kerja (tahun, kode_provinsi);

comment on materialized view mart.pangsa_tenaga_kerja is
    'Pangsa tenaga kerja IKM (kecil + menengah) terhadap seluruh tenaga kerja industri per '
    'tahun dan provinsi. / IKM share of industrial workers per year and province.';
comment on column mart.pangsa_tenaga_kerja.edisi_referensi is
    'Edisi referensi (mart.edisi_referensi) yang menentukan provinsi kab/kota pada tahun itu. / '
    'The reference edition that placed the regencies/cities in provinces that year.';
comment on column mart.pangsa_tenaga_kerja.tahun is
    'Tahun data tenaga_kerja (periode). / Year of the workforce data (period).';
comment on column mart.pangsa_tenaga_kerja.kode_provinsi is
    'Kode provinsi Kemendagri (2 digit). / Province code (Kemendagri, 2 digits).';
comment on column mart.pangsa_tenaga_kerja.nama_provinsi is
    'Nama provinsi. / Province name.';
comment on column mart.pangsa_tenaga_kerja.tenaga_kerja_ikm is
    'Tenaga kerja industri kecil dan menengah. / Workers of small and medium industry.';
comment on column mart.pangsa_tenaga_kerja.tenaga_kerja_industri is
    'Tenaga kerja seluruh industri (kecil, menengah, besar). / Workers of all industry (small, medium, large).';
comment on column mart.pangsa_tenaga_kerja.persen_ikm is
    '100 x tenaga_kerja_ikm / tenaga_kerja_industri, dua desimal. / IKM share of industrial workers, percent, two decimals.';

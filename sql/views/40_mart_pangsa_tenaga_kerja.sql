-- One row per year × province: the share of industrial workers who work in IKM.
create or replace view mart.pangsa_tenaga_kerja as
with per_provinsi as (
    select
        f.tahun,
        w.kode_provinsi,
        w.nama_provinsi,
        sum(f.tenaga_kerja_laki + f.tenaga_kerja_perempuan)
            filter (where f.skala in ('kecil', 'menengah')) as tenaga_kerja_ikm,
        sum(f.tenaga_kerja_laki + f.tenaga_kerja_perempuan) as tenaga_kerja_industri
    from core.fakta_tenaga_kerja as f
    inner join core.dim_wilayah as w on f.kode_kabkota = w.kode_wilayah
    group by f.tahun, w.kode_provinsi, w.nama_provinsi
)

select
    tahun::integer as tahun,
    kode_provinsi,
    nama_provinsi,
    coalesce(tenaga_kerja_ikm, 0)::bigint as tenaga_kerja_ikm,
    tenaga_kerja_industri::bigint as tenaga_kerja_industri,
    round(100.0 * coalesce(tenaga_kerja_ikm, 0) / nullif(tenaga_kerja_industri, 0), 2)
        as persen_ikm
from per_provinsi;

comment on view mart.pangsa_tenaga_kerja is
    'Pangsa tenaga kerja IKM (kecil + menengah) terhadap seluruh tenaga kerja industri per '
    'tahun dan provinsi. / IKM share of industrial workers per year and province.';

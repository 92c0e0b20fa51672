-- Materialized: refreshed in one transaction with the other marts after every load (etl.stages.s5_publish.marts).
-- One row per year × province × KBLI division (golongan pokok, 2 digits) × size class, from the
-- unit_ikm registers in force; provinces as the reference edition in force on 1 January of
-- that year placed the kab/kota (as mart.ikm_per_wilayah).
create materialized view mart.ikm_per_kbli as
with unit as (
    select
        f.tahun,
        f.kode_kabkota,
        left(f.kbli, 2) as kbli_golongan_pokok,
        f.skala,
        f.tenaga_kerja_laki + f.tenaga_kerja_perempuan as tenaga_kerja,
        f.nilai_investasi,
        f.nilai_produksi_setahun
    from core.fakta_unit_ikm as f
),

per_golongan as (
    select
        u.tahun,
        w.kode_provinsi,
        w.nama_provinsi,
        u.kbli_golongan_pokok,
        u.skala,
        count(*) as jumlah_unit,
        sum(u.tenaga_kerja) as tenaga_kerja,
        sum(u.nilai_investasi) as nilai_investasi,
        sum(u.nilai_produksi_setahun) as nilai_produksi
    from unit as u
    left join core.wilayah_per_edisi as w
        on
            u.kode_kabkota = w.kode_wilayah
            and make_date(u.tahun, 1, 1) <@ w.atribusi
    group by u.tahun, w.kode_provinsi, w.nama_provinsi, u.kbli_golongan_pokok, u.skala
)

select
    g.tahun::integer as tahun,
    g.kode_provinsi,
    g.nama_provinsi,
    g.kbli_golongan_pokok,
    k.judul as nama_golongan_pokok,
    g.skala,
    g.jumlah_unit,
    g.tenaga_kerja::bigint as tenaga_kerja,
    g.nilai_investasi::numeric(20, 0) as nilai_investasi,
    g.nilai_produksi::numeric(20, 0) as nilai_produksi
from per_golongan as g
left join core.dim_kbli as k
    on g.kbli_golongan_pokok = k.kode_kbli and k.tingkat = 'golongan_pokok';

-- unique: refreshed concurrently (etl.stages.s5_publish.marts.refresh), BI readers never wait
create unique index ikm_per_kbli_kunci
on mart.ikm_per_kbli (tahun, kode_provinsi, kbli_golongan_pokok, skala);

comment on materialized view mart.ikm_per_kbli is
    'IKM per tahun, provinsi, golongan pokok KBLI 2020 dan skala, dari register unit_ikm yang '
    'berlaku. / IKM units per year, province, KBLI 2020 division and size class, from the '
    'registers in force.';
comment on column mart.ikm_per_kbli.tahun is
    'Tahun register unit_ikm (periode). / Register year (period).';
comment on column mart.ikm_per_kbli.kode_provinsi is
    'Kode provinsi Kemendagri (2 digit) pada tahun itu. / Province code (Kemendagri) in that year.';
comment on column mart.ikm_per_kbli.nama_provinsi is
    'Nama provinsi. / Province name.';
comment on column mart.ikm_per_kbli.kbli_golongan_pokok is
    'Golongan pokok KBLI 2020 (2 digit, 10-33 industri pengolahan). / KBLI 2020 division '
    '(2 digits, 10-33 manufacturing).';
comment on column mart.ikm_per_kbli.nama_golongan_pokok is
    'Judul golongan pokok KBLI 2020. / Title of the KBLI 2020 division.';
comment on column mart.ikm_per_kbli.skala is
    'Skala usaha: kecil atau menengah. / Size class: small or medium.';
comment on column mart.ikm_per_kbli.jumlah_unit is
    'Jumlah unit IKM. / Number of IKM units.';
comment on column mart.ikm_per_kbli.tenaga_kerja is
    'Tenaga kerja unit tersebut (laki-laki + perempuan). / Workers of those units.';
comment on column mart.ikm_per_kbli.nilai_investasi is
    'Nilai investasi, rupiah. / Investment, rupiah.';
comment on column mart.ikm_per_kbli.nilai_produksi is
    'Nilai produksi setahun, rupiah. / Yearly production value, rupiah.';

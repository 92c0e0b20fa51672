-- Materialized: refreshed in one transaction with the other marts after every load (etl.stages.s5_publish.marts).
-- One row per year × province × KBLI division (golongan pokok, 2 digits) × size class, from the
-- unit_ikm registers in force; provinces as the reference edition in force on 1 January of
-- that year placed the kab/kota: the sum of mart.ikm_per_wilayah_kbli over the kab/kota.
create materialized view mart.ikm_per_kbli as
select
    tahun,
    kode_provinsi,
    nama_provinsi,
    kbli_golongan_pokok,
    nama_golongan_pokok,
    skala,
    sum(jumlah_unit)::bigint as jumlah_unit,
    sum(tenaga_kerja)::bigint as tenaga_kerja,
    sum(nilai_investasi)::numeric(20, 0) as nilai_investasi,
    sum(nilai_produksi)::numeric(20, 0) as nilai_produksi
from mart.ikm_per_wilayah_kbli
group by tahun, kode_provinsi, nama_provinsi, kbli_golongan_pokok, nama_golongan_pokok, skala;

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

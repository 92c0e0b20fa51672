-- Materialized: refreshed in one transaction with the other marts after every load (etl.stages.s5_publish.marts).
-- One row per year × kab/kota × KBLI division (golongan pokok, 2 digits) × size class, from the
-- unit_ikm registers in force: the finest grain the IKM marts share. mart.ikm_per_wilayah and
-- mart.ikm_per_kbli add it up, so a refresh reads the millions of kept rows once, not once per
-- mart. Each kab/kota is placed and named as the reference edition in force on 1 January of
-- that year had it (core.wilayah_per_edisi), joined after the rows are grouped.
create materialized view mart.ikm_per_wilayah_kbli as
with per_golongan as (
    select
        tahun,
        kode_kabkota,
        left(kbli, 2) as kbli_golongan_pokok,
        skala,
        count(*) as jumlah_unit,
        sum(tenaga_kerja_laki) as tenaga_kerja_laki,
        sum(tenaga_kerja_perempuan) as tenaga_kerja_perempuan,
        sum(nilai_investasi) as nilai_investasi,
        sum(nilai_produksi_setahun) as nilai_produksi,
        count(*) filter (where terdaftar_siinas) as unit_terdaftar_siinas,
        count(*) filter (where sertifikat_tkdn_ik) as unit_bersertifikat_tkdn_ik,
        count(*) filter (where penjualan_online) as unit_penjualan_online
    from core.fakta_unit_ikm
    group by tahun, kode_kabkota, left(kbli, 2), skala
)

select
    g.tahun::integer as tahun,
    w.kode_provinsi,
    w.nama_provinsi,
    g.kode_kabkota,
    w.nama_wilayah as nama_kabkota,
    g.kbli_golongan_pokok,
    k.judul as nama_golongan_pokok,
    g.skala,
    g.jumlah_unit,
    g.tenaga_kerja_laki::bigint as tenaga_kerja_laki,
    g.tenaga_kerja_perempuan::bigint as tenaga_kerja_perempuan,
    (g.tenaga_kerja_laki + g.tenaga_kerja_perempuan)::bigint as tenaga_kerja,
    g.nilai_investasi::numeric(20, 0) as nilai_investasi,
    g.nilai_produksi::numeric(20, 0) as nilai_produksi,
    g.unit_terdaftar_siinas,
    g.unit_bersertifikat_tkdn_ik,
    g.unit_penjualan_online,
    w.edisi_id as edisi_referensi
from per_golongan as g
left join core.wilayah_per_edisi as w
    on
        g.kode_kabkota = w.kode_wilayah
        and make_date(g.tahun, 1, 1) <@ w.atribusi
left join core.dim_kbli as k
    on g.kbli_golongan_pokok = k.kode_kbli and k.tingkat = 'golongan_pokok';

-- unique: refreshed concurrently (etl.stages.s5_publish.marts.refresh), BI readers never wait
create unique index ikm_per_wilayah_kbli_kunci
on mart.ikm_per_wilayah_kbli (tahun, kode_kabkota, kbli_golongan_pokok, skala);

comment on materialized view mart.ikm_per_wilayah_kbli is
    'IKM per tahun, kabupaten/kota, golongan pokok KBLI 2020 dan skala, dari register unit_ikm '
    'yang berlaku; mart.ikm_per_wilayah dan mart.ikm_per_kbli menjumlahkannya. / IKM units per '
    'year, regency/city, KBLI 2020 division and size class, from the registers in force; '
    'mart.ikm_per_wilayah and mart.ikm_per_kbli add it up.';
comment on column mart.ikm_per_wilayah_kbli.tahun is
    'Tahun register unit_ikm (periode). / Register year (period).';
comment on column mart.ikm_per_wilayah_kbli.kode_provinsi is
    'Kode provinsi Kemendagri (2 digit) tempat kab/kota pada tahun itu. / Province code (Kemendagri, 2 digits) of the regency/city in that year.';
comment on column mart.ikm_per_wilayah_kbli.nama_provinsi is
    'Nama provinsi. / Province name.';
comment on column mart.ikm_per_wilayah_kbli.kode_kabkota is
    'Kode kabupaten/kota Kemendagri (4 digit). / Regency/city code (Kemendagri, 4 digits).';
comment on column mart.ikm_per_wilayah_kbli.nama_kabkota is
    'Nama kabupaten/kota. / Regency/city name.';
comment on column mart.ikm_per_wilayah_kbli.kbli_golongan_pokok is
    'Golongan pokok KBLI 2020 (2 digit, 10-33 industri pengolahan). / KBLI 2020 division '
    '(2 digits, 10-33 manufacturing).';
comment on column mart.ikm_per_wilayah_kbli.nama_golongan_pokok is
    'Judul golongan pokok KBLI 2020. / Title of the KBLI 2020 division.';
comment on column mart.ikm_per_wilayah_kbli.skala is
    'Skala usaha: kecil atau menengah (Permenperin 64/2016). / Size class: small or medium.';
comment on column mart.ikm_per_wilayah_kbli.jumlah_unit is
    'Jumlah unit IKM dalam register yang berlaku. / Number of IKM units in the registers in force.';
comment on column mart.ikm_per_wilayah_kbli.tenaga_kerja_laki is
    'Tenaga kerja laki-laki unit tersebut. / Male workers of those units.';
comment on column mart.ikm_per_wilayah_kbli.tenaga_kerja_perempuan is
    'Tenaga kerja perempuan unit tersebut. / Female workers of those units.';
comment on column mart.ikm_per_wilayah_kbli.tenaga_kerja is
    'Seluruh tenaga kerja (laki-laki + perempuan). / All workers (male + female).';
comment on column mart.ikm_per_wilayah_kbli.nilai_investasi is
    'Nilai investasi, rupiah (tanpa tanah dan bangunan). / Investment, rupiah (land and buildings excluded).';
comment on column mart.ikm_per_wilayah_kbli.nilai_produksi is
    'Nilai produksi setahun, rupiah. / Yearly production value, rupiah.';
comment on column mart.ikm_per_wilayah_kbli.unit_terdaftar_siinas is
    'Unit yang terdaftar di SIINas. / Units registered in SIINas.';
comment on column mart.ikm_per_wilayah_kbli.unit_bersertifikat_tkdn_ik is
    'Unit yang memiliki sertifikat TKDN IK. / Units holding a TKDN IK certificate.';
comment on column mart.ikm_per_wilayah_kbli.unit_penjualan_online is
    'Unit yang berjualan daring. / Units selling online.';
comment on column mart.ikm_per_wilayah_kbli.edisi_referensi is
    'Edisi referensi (mart.edisi_referensi) yang menentukan provinsi dan nama kab/kota baris ini: '
    'edisi yang berlaku pada 1 Januari tahun itu. / The reference edition that places the '
    'regency/city in its province and names it: the one in force on 1 January of the year.';

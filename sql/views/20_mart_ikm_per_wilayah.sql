-- Materialized: refreshed in one transaction with the other marts after every load (etl.stages.s5_publish.marts).
-- One row per year × kab/kota × size class, from the unit_ikm registers in force (the sum of
-- mart.ikm_per_wilayah_kbli over the KBLI divisions). Each
-- kab/kota is named and placed in a province as the reference edition in force on 1 January
-- of that year had it (core.wilayah_per_edisi), so a kab/kota that later moved keeps its older
-- years in the province of their time; edisi_referensi says which edition that was.
create materialized view mart.ikm_per_wilayah as
select
    tahun,
    kode_provinsi,
    nama_provinsi,
    kode_kabkota,
    nama_kabkota,
    skala,
    sum(jumlah_unit)::bigint as jumlah_unit,
    sum(tenaga_kerja_laki)::bigint as tenaga_kerja_laki,
    sum(tenaga_kerja_perempuan)::bigint as tenaga_kerja_perempuan,
    sum(tenaga_kerja)::bigint as tenaga_kerja,
    sum(nilai_investasi)::numeric(20, 0) as nilai_investasi,
    sum(nilai_produksi)::numeric(20, 0) as nilai_produksi,
    sum(unit_terdaftar_siinas)::bigint as unit_terdaftar_siinas,
    sum(unit_bersertifikat_tkdn_ik)::bigint as unit_bersertifikat_tkdn_ik,
    sum(unit_penjualan_online)::bigint as unit_penjualan_online,
    edisi_referensi
from mart.ikm_per_wilayah_kbli
group by
    tahun, kode_provinsi, nama_provinsi, kode_kabkota, nama_kabkota, skala, edisi_referensi;

-- unique: refreshed concurrently (etl.stages.s5_publish.marts.refresh), BI readers never wait
create unique index ikm_per_wilayah_kunci on mart.ikm_per_wilayah (tahun, kode_kabkota, skala);

comment on materialized view mart.ikm_per_wilayah is
    'IKM per tahun, kabupaten/kota dan skala dari register unit_ikm yang berlaku. / '
    'IKM units per year, regency/city and size class from the registers in force.';
comment on column mart.ikm_per_wilayah.edisi_referensi is
    'Edisi referensi (mart.edisi_referensi) yang menentukan provinsi dan nama kab/kota baris ini: '
    'edisi yang berlaku pada 1 Januari tahun itu. / The reference edition that places the '
    'regency/city in its province and names it: the one in force on 1 January of the year.';
comment on column mart.ikm_per_wilayah.tahun is
    'Tahun register unit_ikm (periode). / Register year (period).';
comment on column mart.ikm_per_wilayah.kode_provinsi is
    'Kode provinsi Kemendagri (2 digit) tempat kab/kota pada tahun itu. / Province code (Kemendagri, 2 digits) of the regency/city in that year.';
comment on column mart.ikm_per_wilayah.nama_provinsi is
    'Nama provinsi. / Province name.';
comment on column mart.ikm_per_wilayah.kode_kabkota is
    'Kode kabupaten/kota Kemendagri (4 digit). / Regency/city code (Kemendagri, 4 digits).';
comment on column mart.ikm_per_wilayah.nama_kabkota is
    'Nama kabupaten/kota. / Regency/city name.';
comment on column mart.ikm_per_wilayah.skala is
    'Skala usaha: kecil atau menengah (Permenperin 64/2016). / Size class: small or medium.';
comment on column mart.ikm_per_wilayah.jumlah_unit is
    'Jumlah unit IKM dalam register yang berlaku. / Number of IKM units in the registers in force.';
comment on column mart.ikm_per_wilayah.tenaga_kerja_laki is
    'Tenaga kerja laki-laki unit tersebut. / Male workers of those units.';
comment on column mart.ikm_per_wilayah.tenaga_kerja_perempuan is
    'Tenaga kerja perempuan unit tersebut. / Female workers of those units.';
comment on column mart.ikm_per_wilayah.tenaga_kerja is
    'Seluruh tenaga kerja (laki-laki + perempuan). / All workers (male + female).';
comment on column mart.ikm_per_wilayah.nilai_investasi is
    'Nilai investasi, rupiah (tanpa tanah dan bangunan). / Investment, rupiah (land and buildings excluded).';
comment on column mart.ikm_per_wilayah.nilai_produksi is
    'Nilai produksi setahun, rupiah. / Yearly production value, rupiah.';
comment on column mart.ikm_per_wilayah.unit_terdaftar_siinas is
    'Unit yang terdaftar di SIINas. / Units registered in SIINas.';
comment on column mart.ikm_per_wilayah.unit_bersertifikat_tkdn_ik is
    'Unit yang memiliki sertifikat TKDN IK. / Units holding a TKDN IK certificate.';
comment on column mart.ikm_per_wilayah.unit_penjualan_online is
    'Unit yang berjualan daring. / Units selling online.';

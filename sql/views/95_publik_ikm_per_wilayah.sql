-- The public IKM table: one row per year × level (nasional, provinsi, kabkota) × region ×
-- size class (kecil, menengah, semua), under statistical disclosure control
-- (etl.stages.s5_publish.public_layer). A suppressed cell keeps its count of units and shows null
-- values, with the reason; nothing behind a suppression is stored where this view reads.
create or replace view publik.ikm_per_wilayah as
select
    tahun,
    tingkat,
    kode_provinsi,
    nama_provinsi,
    kode_kabkota,
    nama_kabkota,
    skala,
    jumlah_unit,
    tenaga_kerja_laki,
    tenaga_kerja_perempuan,
    tenaga_kerja,
    nilai_investasi,
    nilai_produksi,
    unit_terdaftar_siinas,
    unit_bersertifikat_tkdn_ik,
    unit_penjualan_online,
    alasan_penekanan is not null as ditekan,
    alasan_penekanan,
    edisi_referensi
from core.sel_publik_ikm;

comment on view publik.ikm_per_wilayah is
    'IKM per tahun, wilayah (nasional, provinsi, kabupaten/kota) dan skala, dengan pengendalian '
    'pengungkapan statistik: sel yang dapat mengungkap satu usaha dikosongkan. / IKM units per '
    'year, region and size class under statistical disclosure control: a cell that could '
    'disclose one enterprise is left empty.';
comment on column publik.ikm_per_wilayah.tahun is
    'Tahun register unit_ikm (periode). / Register year (period).';
comment on column publik.ikm_per_wilayah.tingkat is
    'Tingkat wilayah: nasional, provinsi atau kabkota. / Level: national, province or regency/city.';
comment on column publik.ikm_per_wilayah.kode_provinsi is
    'Kode provinsi Kemendagri (2 digit); kosong di tingkat nasional. / Province code '
    '(Kemendagri, 2 digits); empty at national level.';
comment on column publik.ikm_per_wilayah.nama_provinsi is
    'Nama provinsi. / Province name.';
comment on column publik.ikm_per_wilayah.kode_kabkota is
    'Kode kabupaten/kota Kemendagri (4 digit); hanya di tingkat kabkota. / Regency/city code '
    '(Kemendagri, 4 digits); at regency/city level only.';
comment on column publik.ikm_per_wilayah.nama_kabkota is
    'Nama kabupaten/kota. / Regency/city name.';
comment on column publik.ikm_per_wilayah.skala is
    'Skala usaha: kecil, menengah (Permenperin 64/2016) atau semua (jumlah keduanya). / Size '
    'class: small, medium, or semua (both).';
comment on column publik.ikm_per_wilayah.jumlah_unit is
    'Jumlah unit IKM; selalu diterbitkan. / Number of IKM units; always published.';
comment on column publik.ikm_per_wilayah.tenaga_kerja_laki is
    'Tenaga kerja laki-laki; kosong bila sel ditekan. / Male workers; empty when suppressed.';
comment on column publik.ikm_per_wilayah.tenaga_kerja_perempuan is
    'Tenaga kerja perempuan; kosong bila sel ditekan. / Female workers; empty when suppressed.';
comment on column publik.ikm_per_wilayah.tenaga_kerja is
    'Seluruh tenaga kerja; kosong bila sel ditekan. / All workers; empty when suppressed.';
comment on column publik.ikm_per_wilayah.nilai_investasi is
    'Nilai investasi, rupiah (tanpa tanah dan bangunan); kosong bila sel ditekan. / Investment, '
    'rupiah (land and buildings excluded); empty when suppressed.';
comment on column publik.ikm_per_wilayah.nilai_produksi is
    'Nilai produksi setahun, rupiah; kosong bila sel ditekan. / Yearly production value, '
    'rupiah; empty when suppressed.';
comment on column publik.ikm_per_wilayah.unit_terdaftar_siinas is
    'Unit yang terdaftar di SIINas; kosong bila sel ditekan. / Units registered in SIINas; '
    'empty when suppressed.';
comment on column publik.ikm_per_wilayah.unit_bersertifikat_tkdn_ik is
    'Unit bersertifikat TKDN IK; kosong bila sel ditekan. / Units holding a TKDN IK '
    'certificate; empty when suppressed.';
comment on column publik.ikm_per_wilayah.unit_penjualan_online is
    'Unit yang berjualan daring; kosong bila sel ditekan. / Units selling online; empty when '
    'suppressed.';
comment on column publik.ikm_per_wilayah.ditekan is
    'Apakah nilai sel ini ditekan (dikosongkan). / Whether the cell''s values are suppressed.';
comment on column publik.ikm_per_wilayah.alasan_penekanan is
    'Alasan penekanan: ambang (kurang dari N unit), dominasi (1-2 unit terbesar menguasai '
    'nilainya), sekunder (agar sel lain tidak dapat dihitung kembali). / Why suppressed: '
    'threshold, dominance, or secondary (so that no other suppressed cell can be recovered).';
comment on column publik.ikm_per_wilayah.edisi_referensi is
    'Edisi daftar kode wilayah Kemendagri yang menempatkan kab/kota pada tahun itu. / The '
    'edition of the Kemendagri region codes that places the regency/city in that year.';

-- One row per year × kab/kota × size class, from the unit_ikm registers in force. Each
-- kab/kota is named and placed in a province as the reference edition in force on 1 January
-- of that year had it (core.wilayah_per_edisi), so a kab/kota that later moved keeps its older
-- years in the province of their time; edisi_referensi says which edition that was.
create or replace view mart.ikm_per_wilayah as
with unit as (
    select
        tahun,
        kode_kabkota,
        skala,
        tenaga_kerja_laki,
        tenaga_kerja_perempuan,
        nilai_investasi,
        nilai_produksi_setahun,
        terdaftar_siinas,
        sertifikat_tkdn_ik,
        penjualan_online
    from core.fakta_unit_ikm
),

per_wilayah as (
    select
        tahun,
        kode_kabkota,
        skala,
        count(*) as jumlah_unit,
        sum(tenaga_kerja_laki) as tenaga_kerja_laki,
        sum(tenaga_kerja_perempuan) as tenaga_kerja_perempuan,
        sum(nilai_investasi) as nilai_investasi,
        sum(nilai_produksi_setahun) as nilai_produksi,
        count(*) filter (where terdaftar_siinas) as unit_terdaftar_siinas,
        count(*) filter (where sertifikat_tkdn_ik) as unit_bersertifikat_tkdn_ik,
        count(*) filter (where penjualan_online) as unit_penjualan_online
    from unit
    group by tahun, kode_kabkota, skala
)

select
    p.tahun::integer as tahun,
    w.kode_provinsi,
    w.nama_provinsi,
    p.kode_kabkota,
    w.nama_wilayah as nama_kabkota,
    p.skala,
    p.jumlah_unit,
    p.tenaga_kerja_laki::bigint as tenaga_kerja_laki,
    p.tenaga_kerja_perempuan::bigint as tenaga_kerja_perempuan,
    (p.tenaga_kerja_laki + p.tenaga_kerja_perempuan)::bigint as tenaga_kerja,
    p.nilai_investasi::numeric(20, 0) as nilai_investasi,
    p.nilai_produksi::numeric(20, 0) as nilai_produksi,
    p.unit_terdaftar_siinas,
    p.unit_bersertifikat_tkdn_ik,
    p.unit_penjualan_online,
    w.edisi_id as edisi_referensi
from per_wilayah as p
left join core.wilayah_per_edisi as w
    on
        p.kode_kabkota = w.kode_wilayah
        and make_date(p.tahun, 1, 1) <@ w.atribusi;

comment on view mart.ikm_per_wilayah is
    'IKM per tahun, kabupaten/kota dan skala dari register unit_ikm yang berlaku. / '
    'IKM units per year, regency/city and size class from the registers in force.';
comment on column mart.ikm_per_wilayah.edisi_referensi is
    'Edisi referensi (mart.edisi_referensi) yang menentukan provinsi dan nama kab/kota baris ini: '
    'edisi yang berlaku pada 1 Januari tahun itu.';

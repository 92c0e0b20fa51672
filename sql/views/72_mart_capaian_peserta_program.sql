-- Materialized: refreshed in one transaction with the other marts after every load (etl.stages.s5_publish.marts).
-- Programme participants and their outcomes, one row per year × work unit × focus area: how
-- many IKM units each served, how many of them are registered in SIINas (by the latest
-- register in force that lists them), the TKDN IK certificates issued and their local-content
-- values, and the OVOP stars awarded.
create materialized view mart.capaian_peserta_program as
with unit_siinas as (
    select distinct on (nib)
        nib,
        terdaftar_siinas
    from core.fakta_unit_ikm
    order by nib, tahun desc
),

peserta as (
    select
        p.tahun,
        p.kode_satker,
        p.fokus,
        p.kegiatan,
        p.nib,
        p.nib_terdaftar,
        coalesce(u.terdaftar_siinas, false) as terdaftar_siinas,
        p.nomor_sertifikat,
        p.nilai_tkdn_persen,
        p.bintang_ovop
    from core.fakta_peserta_program as p
    left join unit_siinas as u on p.nib = u.nib
),

per_satker as (
    select
        tahun,
        kode_satker,
        fokus,
        count(distinct kegiatan) as jumlah_kegiatan,
        count(*) as jumlah_layanan,
        count(distinct nib) as jumlah_peserta,
        count(distinct nib) filter (where nib_terdaftar) as peserta_dalam_register,
        count(distinct nib) filter (where terdaftar_siinas) as peserta_terdaftar_siinas,
        count(distinct nomor_sertifikat) as sertifikat_tkdn_ik,
        round(avg(nilai_tkdn_persen), 2) as rata_nilai_tkdn_persen,
        count(*) filter (where bintang_ovop = 1) as ovop_bintang_1,
        count(*) filter (where bintang_ovop = 2) as ovop_bintang_2,
        count(*) filter (where bintang_ovop = 3) as ovop_bintang_3,
        count(*) filter (where bintang_ovop = 4) as ovop_bintang_4,
        count(*) filter (where bintang_ovop = 5) as ovop_bintang_5,
        round(avg(bintang_ovop), 2) as rata_bintang_ovop
    from peserta
    group by tahun, kode_satker, fokus
)

select
    p.tahun::integer as tahun,
    w.kode_provinsi,
    w.nama_provinsi,
    p.kode_satker,
    s.nama_satker,
    p.fokus,
    p.jumlah_kegiatan,
    p.jumlah_layanan,
    p.jumlah_peserta,
    p.peserta_dalam_register,
    p.peserta_terdaftar_siinas,
    p.sertifikat_tkdn_ik,
    p.rata_nilai_tkdn_persen,
    p.ovop_bintang_1,
    p.ovop_bintang_2,
    p.ovop_bintang_3,
    p.ovop_bintang_4,
    p.ovop_bintang_5,
    p.rata_bintang_ovop
from per_satker as p
left join core.dim_satker as s on p.kode_satker = s.kode_satker
left join core.wilayah_per_edisi as w
    on
        left(s.kode_wilayah, 2) = w.kode_wilayah
        and make_date(p.tahun, 1, 1) <@ w.atribusi;

-- unique: refreshed concurrently (etl.stages.s5_publish.marts.refresh), BI readers never wait
create unique index capaian_peserta_program_kunci
on mart.capaian_peserta_program (tahun, kode_satker, fokus);

comment on materialized view mart.capaian_peserta_program is
    'Peserta program dan hasilnya per tahun, satker dan fokus: unit IKM yang dilayani, terdaftar '
    'SIINas, sertifikat TKDN IK, bintang OVOP. / Programme participants and their outcomes per '
    'year, work unit and focus area: IKM units served, SIINas registrations, TKDN IK '
    'certificates, OVOP stars.';
comment on column mart.capaian_peserta_program.tahun is
    'Tahun kiriman peserta_program (periode). / Year of the participant lists (period).';
comment on column mart.capaian_peserta_program.kode_provinsi is
    'Provinsi satker (2 digit). / Province of the work unit (2 digits).';
comment on column mart.capaian_peserta_program.nama_provinsi is
    'Nama provinsi satker. / Province name of the work unit.';
comment on column mart.capaian_peserta_program.kode_satker is
    'Kode satuan kerja (6 digit). / Work unit code (6 digits).';
comment on column mart.capaian_peserta_program.nama_satker is
    'Nama satuan kerja dari laporan realisasi terakhir. / Work unit name from its latest budget report.';
comment on column mart.capaian_peserta_program.fokus is
    'Fokus program: kemiskinan_ekstrem, siinas, tkdn_ik, ovop, lainnya. / Programme focus area.';
comment on column mart.capaian_peserta_program.jumlah_kegiatan is
    'Kegiatan berbeda yang melayani peserta. / Distinct activities that served participants.';
comment on column mart.capaian_peserta_program.jumlah_layanan is
    'Layanan (peserta x kegiatan). / Services given (participant x activity).';
comment on column mart.capaian_peserta_program.jumlah_peserta is
    'Unit IKM berbeda (NIB) yang dilayani. / Distinct IKM units (NIB) served.';
comment on column mart.capaian_peserta_program.peserta_dalam_register is
    'Peserta yang NIB-nya ada di register unit_ikm. / Participants whose NIB is in a unit register.';
comment on column mart.capaian_peserta_program.peserta_terdaftar_siinas is
    'Peserta yang terdaftar di SIINas menurut register terakhir yang memuatnya. / Participants '
    'registered in SIINas according to the latest register listing them.';
comment on column mart.capaian_peserta_program.sertifikat_tkdn_ik is
    'Nomor sertifikat TKDN IK berbeda yang dilaporkan. / Distinct TKDN IK certificate numbers reported.';
comment on column mart.capaian_peserta_program.rata_nilai_tkdn_persen is
    'Rata-rata nilai TKDN (persen) yang dilaporkan. / Average local-content (TKDN) value reported, percent.';
comment on column mart.capaian_peserta_program.ovop_bintang_1 is
    'Layanan OVOP dengan hasil bintang 1. / OVOP services rated one star.';
comment on column mart.capaian_peserta_program.ovop_bintang_2 is
    'Layanan OVOP dengan hasil bintang 2. / OVOP services rated two stars.';
comment on column mart.capaian_peserta_program.ovop_bintang_3 is
    'Layanan OVOP dengan hasil bintang 3. / OVOP services rated three stars.';
comment on column mart.capaian_peserta_program.ovop_bintang_4 is
    'Layanan OVOP dengan hasil bintang 4. / OVOP services rated four stars.';
comment on column mart.capaian_peserta_program.ovop_bintang_5 is
    'Layanan OVOP dengan hasil bintang 5. / OVOP services rated five stars.';
comment on column mart.capaian_peserta_program.rata_bintang_ovop is
    'Rata-rata bintang OVOP. / Average OVOP stars.';

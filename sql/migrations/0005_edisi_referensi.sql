-- 0005: editions of the reference lists and the history of regions.
--
-- Until now core.dim_wilayah was upserted in place, so a kab/kota that moved to another
-- province silently took all its older facts along. From here on every load of a changed
-- reference folder is an edition (core.edisi_referensi) with the date from which it applies,
-- and every region keeps one version per change (core.riwayat_wilayah, berlaku_sampai
-- exclusive). core.dim_wilayah becomes the view of the current versions (sql/views), so the
-- validation keeps checking codes against the latest list.

create table core.edisi_referensi (
    edisi_id               integer generated always as identity primary key,
    label                  text not null,
    berlaku_mulai          date not null,
    dimuat_pada            timestamptz not null default now(),
    direktori              text,
    jumlah_wilayah_baru    integer not null default 0,
    jumlah_wilayah_berubah integer not null default 0,
    jumlah_wilayah_ditutup integer not null default 0
);

comment on table core.edisi_referensi is
    'Edisi daftar referensi (wilayah Kemendagri, KBLI 2020) yang pernah dimuat; berlaku_mulai = tanggal edisi mulai dipakai untuk atribusi wilayah. / Editions of the reference lists and the date from which each applies.';
comment on column core.edisi_referensi.berlaku_mulai is
    'Tanggal mulai berlaku (parameter saat memuat; bawaan: tanggal dimuat). Periode sebelum edisi pertama memakai edisi pertama.';
comment on column core.edisi_referensi.jumlah_wilayah_berubah is
    'Wilayah yang versinya ditutup dan dibuka lagi (pindah provinsi, ganti nama atau jenis).';
comment on column core.edisi_referensi.jumlah_wilayah_ditutup is
    'Kode yang tidak ada lagi di daftar: versinya ditutup, tetapi tetap disimpan untuk fakta lama.';

create table core.berkas_edisi_referensi (
    edisi_id     integer not null references core.edisi_referensi,
    nama_berkas  text not null,
    sha256       text not null,
    jumlah_baris integer not null,
    primary key (edisi_id, nama_berkas)
);

comment on table core.berkas_edisi_referensi is
    'Berkas tiap edisi referensi dengan sha256 dan jumlah barisnya; folder yang sama tidak membuat edisi baru. / Files of each edition with their digests and row counts.';

create table core.riwayat_wilayah (
    kode_wilayah   text not null,
    edisi_id       integer not null references core.edisi_referensi,
    berlaku_mulai  date not null,
    berlaku_sampai date,
    edisi_sampai   integer references core.edisi_referensi,
    tingkat        text not null check (tingkat in ('provinsi', 'kabkota')),
    nama_wilayah   text not null,
    kode_provinsi  text not null,
    nama_provinsi  text not null,
    jenis_kabkota  text check (jenis_kabkota in ('kabupaten', 'kota')),
    primary key (kode_wilayah, edisi_id),
    check (berlaku_sampai is null or berlaku_sampai >= berlaku_mulai),
    check ((berlaku_sampai is null) = (edisi_sampai is null))
);
create unique index riwayat_wilayah_terkini on core.riwayat_wilayah (kode_wilayah)
where berlaku_sampai is null;

comment on table core.riwayat_wilayah is
    'Riwayat wilayah (SCD tipe 2): satu versi per perubahan provinsi, nama atau jenis; berlaku_sampai eksklusif, kosong = versi terkini. Kode yang dihapus dari daftar ditutup, tidak dibuang. / Region history, one version per change.';
comment on column core.riwayat_wilayah.edisi_id is 'Edisi yang membuka versi ini.';
comment on column core.riwayat_wilayah.edisi_sampai is 'Edisi yang menutup versi ini (kosong = masih berlaku).';

-- KBLI titles are upserted; each code records the first and the latest edition listing it.
alter table core.dim_kbli
add column edisi_pertama integer references core.edisi_referensi,
add column edisi_terakhir integer references core.edisi_referensi;

comment on column core.dim_kbli.edisi_pertama is 'Edisi referensi pertama yang memuat kode ini.';
comment on column core.dim_kbli.edisi_terakhir is
    'Edisi referensi terakhir yang memuat kode ini; lebih kecil dari edisi terkini = kode sudah tidak ada di daftar.';

-- Seed: what is already loaded becomes edition 1, so existing warehouses keep their history.
-- A fresh warehouse has nothing loaded yet; its first load (etl.reference) makes edition 1.
with dimuat as (
    select
        min(dimuat_pada) as dimuat_pada,
        count(*) as jumlah_berkas
    from core.referensi_dimuat
)

insert into core.edisi_referensi (label, berlaku_mulai, dimuat_pada, direktori)
select
    'edisi awal' as label,
    (d.dimuat_pada at time zone 'Asia/Jakarta')::date as berlaku_mulai,
    d.dimuat_pada,
    null as direktori
from dimuat as d
where d.jumlah_berkas > 0;

insert into core.berkas_edisi_referensi (edisi_id, nama_berkas, sha256, jumlah_baris)
select
    e.edisi_id,
    r.nama_berkas,
    r.sha256,
    r.jumlah_baris
from core.referensi_dimuat as r
cross join core.edisi_referensi as e;

insert into core.riwayat_wilayah (
    kode_wilayah, edisi_id, berlaku_mulai, tingkat, nama_wilayah, kode_provinsi, nama_provinsi,
    jenis_kabkota
)
select
    w.kode_wilayah,
    e.edisi_id,
    e.berlaku_mulai,
    w.tingkat,
    w.nama_wilayah,
    w.kode_provinsi,
    w.nama_provinsi,
    w.jenis_kabkota
from core.dim_wilayah as w
cross join core.edisi_referensi as e;

with edisi as (
    select edisi_id from core.edisi_referensi
)

update core.dim_kbli as k
set edisi_pertama = e.edisi_id, edisi_terakhir = e.edisi_id
from edisi as e;

update core.edisi_referensi as e
set jumlah_wilayah_baru = (select count(*) from core.riwayat_wilayah);

-- The files of each edition replace the single list of digests.
drop table core.referensi_dimuat;

-- Views that read the table are re-created from sql/views after the migrations.
drop table core.dim_wilayah cascade;

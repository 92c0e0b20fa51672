-- The tables unit_ikm writes: its kept rows, the SCD2 versions of IKM units, and the queues of
-- the nightly rebuild. Created when missing; on a warehouse that has them (from migrations
-- 0001 and 0004) nothing changes. tests/integration/test_kinds.py checks that this file and
-- the migrations give the same tables.

-- Every accepted row of every accepted unit_ikm submission, superseded ones included: the facts
-- in force are the rows of each scope's owner (core.fakta_unit_ikm), and when an owner is
-- released (a reprocess rejects it) the runner-up's rows are still here to take over.
create table if not exists core.baris_unit_ikm (
    submission_id          bigint not null,
    baris                  integer not null,
    tahun                  smallint not null,
    row_hash               text not null,
    nib                    text not null,
    nama_usaha             text not null,
    nama_pemilik           text,
    nik_pemilik            text,
    no_telepon             text,
    alamat                 text not null,
    kode_kabkota           text not null,
    kbli                   text not null,
    produk_utama           text not null,
    kode_sentra            text,
    tahun_berdiri          smallint not null,
    skala                  text not null check (skala in ('kecil', 'menengah')),
    tenaga_kerja_laki      bigint not null,
    tenaga_kerja_perempuan bigint not null,
    nilai_investasi        bigint not null,
    nilai_produksi_setahun bigint not null,
    terdaftar_siinas       boolean not null,
    sertifikat_tkdn_ik     boolean not null,
    penjualan_online       boolean not null,
    tanggal_pendataan      date not null,
    primary key (submission_id, baris)
);
-- no NIB index: its upkeep cost a national load more than the lookups it saved (migration 0009)
create statistics if not exists core.baris_unit_ikm_sebaran (ndistinct)
on tahun, kode_kabkota, skala, (left(kbli, 2)) from core.baris_unit_ikm;
comment on table core.baris_unit_ikm is
    'Baris diterima per pengiriman unit_ikm (termasuk yang digantikan); row_hash = atribut unit.';

-- SCD type 2 versions of IKM units, kept narrow: each version points at the kept row that
-- opened it (core.dim_unit_ikm reads the attributes there).
create table if not exists core.versi_unit_ikm (
    nib            text not null,
    berlaku_mulai  smallint not null,
    berlaku_sampai smallint,
    is_current     boolean not null,
    row_hash       text not null,
    submission_id  bigint not null,
    baris          integer not null,
    primary key (nib, berlaku_mulai)
);
comment on table core.versi_unit_ikm is
    'Versi SCD tipe 2 unit IKM (berlaku_sampai eksklusif), merujuk baris yang membukanya. / SCD2 versions of IKM units, each referring to the kept row that opened it.';

-- Units whose SCD2 history must be rebuilt, by NIB and by (owner, scope): filled by each
-- file's load transaction, emptied by one set-based rebuild after the night's loads.
create table if not exists core.antrean_dim_unit_ikm (
    nib text primary key
);
comment on table core.antrean_dim_unit_ikm is
    'NIB yang riwayat dim_unit_ikm-nya perlu dibangun ulang setelah pemuatan. / Units whose SCD2 history awaits its rebuild.';

create table if not exists core.antrean_cakupan_unit_ikm (
    submission_id bigint not null,
    kode_cakupan  text not null,
    primary key (submission_id, kode_cakupan)
);
comment on table core.antrean_cakupan_unit_ikm is
    'Pasangan (pengiriman, cakupan) yang unitnya menunggu pembangunan ulang dim_unit_ikm. / (submission, scope) pairs whose units await the SCD2 rebuild.';

-- 0001: the four schemas, reference dimensions, audit trail and the unit_ikm tables.

create schema if not exists staging;
create schema if not exists core;
create schema if not exists audit;
create schema if not exists mart;

comment on schema staging is 'Tabel sementara per berkas; dihapus setelah dimuat. / Transient per-file tables.';
comment on schema core is 'Dimensi dan fakta gudang data. / Warehouse dimensions and facts.';
comment on schema audit is 'Pengiriman, hasil validasi, karantina, dan run. / Submissions, validation, quarantine, runs.';
comment on schema mart is 'View untuk BI; nama dan kolom adalah kontrak. / BI views; names and columns are a contract.';

-- reference lists, loaded from IKM_REFERENCE_DIR -----------------------------------------------

create table core.dim_wilayah (
    kode_wilayah   text primary key,
    tingkat        text not null check (tingkat in ('provinsi', 'kabkota')),
    nama_wilayah   text not null,
    kode_provinsi  text not null,
    nama_provinsi  text not null,
    jenis_kabkota  text check (jenis_kabkota in ('kabupaten', 'kota'))
);

create table core.padanan_kode_wilayah (
    tingkat              text not null,
    kode_kemendagri      text primary key,
    kode_kemendagri_2023 text,
    kode_kemendagri_2022 text,
    kode_bps             text,
    nama                 text not null,
    dasar_padanan_bps    text
);

create table core.dim_kbli (
    kode_kbli           text primary key,
    judul               text not null,
    kode_golongan_pokok text not null,
    tingkat             text not null
);

create table core.referensi_dimuat (
    nama_berkas text primary key,
    sha256      text not null,
    jumlah_baris integer not null,
    dimuat_pada timestamptz not null default now()
);

-- the kinds of submission and their deadlines ------------------------------------------------

create table core.jenis_pengiriman (
    jenis                        text primary key,
    judul                        text not null,
    pola_periode                 text not null check (pola_periode in ('tahunan', 'bulanan')),
    kolom_cakupan                text not null,
    tenggat_setelah_awal_periode interval not null
);

-- audit trail --------------------------------------------------------------------------------

create table audit.submission (
    submission_id          bigint generated always as identity primary key,
    path                   text not null unique,
    sha256                 text,
    ukuran_byte            bigint,
    tanggal_tiba           date not null,
    kode_wilayah           text not null,
    nama_berkas            text not null,
    jenis                  text,
    periode                text,
    status                 text not null default 'diproses'
        check (status in ('diproses', 'diterima', 'diterima_sebagian', 'ditolak', 'digantikan')),
    status_validasi        text check (status_validasi in ('diterima', 'diterima_sebagian', 'ditolak')),
    jumlah_baris           integer,
    jumlah_baris_diterima  integer,
    jumlah_baris_ditolak   integer,
    pesan                  text,
    catatan                text[] not null default '{}',
    versi_aturan           text,
    galat_sistem           boolean not null default false,
    processed_at           timestamptz
);
create index submission_jenis_periode on audit.submission (jenis, periode);
create index submission_tanggal_tiba on audit.submission (tanggal_tiba);

comment on column audit.submission.status is
    'diproses sementara berjalan; lalu diterima, diterima_sebagian, ditolak atau digantikan.';
comment on column audit.submission.versi_aturan is
    'Sidik aturan (kontrak, suite, kode) saat diproses; berkas sama dengan aturan sama dilewati.';

create table audit.hasil_validasi (
    submission_id       bigint not null references audit.submission on delete cascade,
    urutan              integer not null,
    expectation         text not null,
    kode_aturan         text,
    kolom               text,
    sukses              boolean not null,
    jumlah_tidak_sesuai bigint,
    hasil               jsonb,
    primary key (submission_id, urutan)
);

create table audit.karantina (
    submission_id bigint not null references audit.submission on delete cascade,
    baris         integer not null,
    kolom         text not null,
    nilai         text,
    kode_aturan   text not null,
    alasan        text not null,
    primary key (submission_id, baris, kolom, kode_aturan)
);

create table audit.peringatan (
    submission_id bigint not null references audit.submission on delete cascade,
    baris         integer not null,
    kolom         text not null,
    nilai         text,
    kode_aturan   text not null,
    alasan        text not null,
    primary key (submission_id, baris, kolom, kode_aturan)
);
comment on table audit.peringatan is
    'Nilai yang diubah atau ditandai atas nama kantor (mis. kode wilayah edisi lama); baris tetap dimuat.';

create table audit.cakupan_submission (
    submission_id bigint not null references audit.submission on delete cascade,
    kode_cakupan  text not null,
    jumlah_baris  integer not null,
    primary key (submission_id, kode_cakupan)
);

create table audit.run (
    run_id        bigint generated always as identity primary key,
    dag_run_id    text,
    tanggal_tiba  date not null,
    mulai         timestamptz not null default now(),
    selesai       timestamptz,
    ringkasan     jsonb
);

-- which submission's rows are in force for each scope (DESIGN.md: corrections) --------------

create table core.cakupan_berlaku (
    jenis         text not null,
    periode       text not null,
    kode_cakupan  text not null,
    submission_id bigint not null references audit.submission,
    tanggal_tiba  date not null,
    nama_berkas   text not null,
    path          text not null,
    primary key (jenis, periode, kode_cakupan)
);
create index cakupan_berlaku_submission on core.cakupan_berlaku (submission_id);

-- unit_ikm -------------------------------------------------------------------------------------

-- Every accepted row of every accepted unit_ikm submission, superseded ones included: the facts
-- in force are the rows of each scope's owner (core.fakta_unit_ikm), and when an owner is
-- released (a reprocess rejects it) the runner-up's rows are still here to take over.
create table core.baris_unit_ikm (
    submission_id          bigint not null references audit.submission,
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
create index baris_unit_ikm_cakupan on core.baris_unit_ikm (submission_id, kode_kabkota);
create index baris_unit_ikm_nib on core.baris_unit_ikm (nib);
comment on table core.baris_unit_ikm is
    'Baris diterima per pengiriman unit_ikm (termasuk yang digantikan); row_hash = atribut unit.';

-- SCD type 2: one row per version of a unit's descriptive attributes, versions by year.
create table core.dim_unit_ikm (
    nib            text not null,
    berlaku_mulai  smallint not null,
    berlaku_sampai smallint,
    is_current     boolean not null,
    row_hash       text not null,
    nama_usaha     text not null,
    nama_pemilik   text,
    nik_pemilik    text,
    no_telepon     text,
    alamat         text not null,
    kode_kabkota   text not null,
    kbli           text not null,
    produk_utama   text not null,
    kode_sentra    text,
    tahun_berdiri  smallint not null,
    primary key (nib, berlaku_mulai)
);
comment on table core.dim_unit_ikm is
    'Unit IKM, SCD tipe 2: versi atribut per tahun register; berlaku_sampai eksklusif.';

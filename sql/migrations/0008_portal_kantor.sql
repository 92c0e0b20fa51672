-- 0008: the offices' portal (etl.portal). Its accounts, login attempts and uploads live in a
-- schema of their own that no other role is granted (bi_reader included); the template an
-- office filled is recorded with its submission.

create schema portal;
revoke all on schema portal from public;

create table portal.pengguna (
    pengguna_id       integer generated always as identity primary key,
    nama_pengguna     text not null,
    nama_lengkap      text not null default '',
    kode_wilayah      text,
    hash_sandi        text not null,
    aktif             boolean not null default true,
    dibuat_pada       timestamptz not null default now(),
    sandi_diubah_pada timestamptz not null default now(),
    constraint pengguna_nama_unik unique (nama_pengguna),
    constraint pengguna_nama_sah check (nama_pengguna ~ '^[a-z0-9._-]{3,64}$'),
    constraint pengguna_kode_sah check (kode_wilayah is null or kode_wilayah ~ '^[0-9]{2}([0-9]{2})?$')
);

comment on table portal.pengguna is
    'Akun portal kantor, dibuat administrator dari baris perintah; kode_wilayah kosong = kementerian. / '
    'Portal accounts, made by an administrator from the command line; no kode_wilayah = the ministry.';
comment on column portal.pengguna.hash_sandi is
    'Hash Argon2id kata sandi (argon2-cffi); kata sandinya sendiri tidak pernah disimpan. / '
    'Argon2id hash of the password; the password itself is never stored.';

create table portal.percobaan_masuk (
    percobaan_id  bigint generated always as identity primary key,
    nama_pengguna text not null,
    alamat        text not null,
    waktu         timestamptz not null default now(),
    berhasil      boolean not null
);

create index percobaan_masuk_nama on portal.percobaan_masuk (nama_pengguna, waktu);
create index percobaan_masuk_alamat on portal.percobaan_masuk (alamat, waktu);

comment on table portal.percobaan_masuk is
    'Setiap percobaan masuk, untuk membatasi tebakan kata sandi per akun dan per alamat. / '
    'Every login attempt, to throttle password guessing per account and per address.';

create table portal.unggahan (
    unggahan_id   uuid primary key,
    pengguna_id   integer not null references portal.pengguna (pengguna_id),
    kode_wilayah  text not null,
    nama_berkas   text not null,
    ukuran        bigint not null,
    sha256        text not null,
    diunggah_pada timestamptz not null default now(),
    status        text not null default 'memeriksa',
    progres       text not null default '',
    hasil         jsonb,
    selesai_pada  timestamptz,
    path_kirim    text,
    dikirim_pada  timestamptz,
    constraint unggahan_status_sah check (status in ('memeriksa', 'selesai', 'gagal', 'dikirim')),
    constraint unggahan_path_unik unique (path_kirim)
);

create index unggahan_kantor on portal.unggahan (kode_wilayah, diunggah_pada desc);

comment on table portal.unggahan is
    'Berkas yang diunggah kantor: hasil uji coba (ekstrak dan validasi tanpa menulis gudang), lalu '
    'path di zona pendaratan saat dikirim dan siapa pengirimnya. / '
    'Files offices uploaded: the dry-run result (extract and validate, writing nothing to the '
    'warehouse), then the landing-zone path once sent, and who sent it.';

alter table audit.submission add column versi_templat text;

comment on column audit.submission.versi_templat is
    'Versi templat portal tempat berkas dibuat (lembar _metadata), kosong bila bukan dari templat. / '
    'The portal template version the file was made from (its _metadata sheet); empty otherwise.';

-- 0002: the other three kinds of the contract: workforce, programme budget and participants.
-- As for unit_ikm, core.baris_<jenis> keeps every accepted row of every accepted submission;
-- the facts in force are views over the rows of each scope's owner (sql/views).

create table core.baris_tenaga_kerja (
    submission_id          bigint not null references audit.submission,
    baris                  integer not null,
    tahun                  smallint not null,
    kode_kabkota           text not null,
    kbli_golongan_pokok    text not null,
    skala                  text not null check (skala in ('kecil', 'menengah', 'besar')),
    jumlah_unit            bigint not null,
    tenaga_kerja_laki      bigint not null,
    tenaga_kerja_perempuan bigint not null,
    primary key (submission_id, baris)
);
create index baris_tenaga_kerja_cakupan on core.baris_tenaga_kerja (submission_id, kode_kabkota);
comment on table core.baris_tenaga_kerja is
    'Baris diterima per pengiriman tenaga_kerja: kab/kota x golongan pokok KBLI x skala.';

create table core.baris_realisasi_program (
    submission_id  bigint not null references audit.submission,
    baris          integer not null,
    tahun          smallint not null,
    bulan          smallint not null check (bulan between 1 and 12),
    kode_satker    text not null,
    nama_satker    text not null,
    kode_wilayah   text not null,
    mekanisme      text not null check (mekanisme in ('dekonsentrasi', 'tugas_pembantuan')),
    fokus          text not null,
    kegiatan       text not null,
    pagu           bigint not null,
    realisasi      bigint not null,
    target_output  numeric not null,
    capaian_output numeric not null,
    satuan_output  text not null,
    primary key (submission_id, baris)
);
create index baris_realisasi_program_cakupan
    on core.baris_realisasi_program (submission_id, kode_satker);
comment on table core.baris_realisasi_program is
    'Baris diterima per pengiriman realisasi_program: satu kegiatan satu satker dalam satu bulan.';

create table core.baris_peserta_program (
    submission_id     bigint not null references audit.submission,
    baris             integer not null,
    tahun             smallint not null,
    kode_satker       text not null,
    fokus             text not null,
    kegiatan          text not null,
    nib               text not null,
    tanggal           date not null,
    hasil             text not null,
    nomor_sertifikat  text,
    nilai_tkdn_persen numeric,
    bintang_ovop      smallint,
    primary key (submission_id, baris)
);
create index baris_peserta_program_cakupan
    on core.baris_peserta_program (submission_id, kode_satker);
create index baris_peserta_program_nib on core.baris_peserta_program (nib);
comment on table core.baris_peserta_program is
    'Baris diterima per pengiriman peserta_program: satu unit IKM yang dilayani satu kegiatan.';

-- The kept rows of peserta_program: every accepted row of every accepted submission; the facts
-- in force are the owners' rows (core.fakta_peserta_program). Created when missing; on a
-- warehouse that has it (migration 0002) nothing changes.
create table if not exists core.baris_peserta_program (
    submission_id     bigint not null,
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
create index if not exists baris_peserta_program_cakupan
    on core.baris_peserta_program (submission_id, kode_satker);
create index if not exists baris_peserta_program_nib on core.baris_peserta_program (nib);
comment on table core.baris_peserta_program is
    'Baris diterima per pengiriman peserta_program: satu unit IKM yang dilayani satu kegiatan.';

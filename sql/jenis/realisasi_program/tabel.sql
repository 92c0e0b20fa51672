-- The kept rows of realisasi_program: every accepted row of every accepted submission; the
-- facts in force are the owners' rows (core.fakta_realisasi_program). Created when missing; on
-- a warehouse that has it (migration 0002) nothing changes.
create table if not exists core.baris_realisasi_program (
    submission_id  bigint not null,
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
create index if not exists baris_realisasi_program_cakupan
    on core.baris_realisasi_program (submission_id, kode_satker);
comment on table core.baris_realisasi_program is
    'Baris diterima per pengiriman realisasi_program: satu kegiatan satu satker dalam satu bulan.';

-- The kept rows of tenaga_kerja: every accepted row of every accepted submission; the facts
-- in force are the owners' rows (core.fakta_tenaga_kerja). Created when missing; on a warehouse
-- that has it (migration 0002) nothing changes.
create table if not exists core.baris_tenaga_kerja (
    submission_id          bigint not null,
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
create index if not exists baris_tenaga_kerja_cakupan
    on core.baris_tenaga_kerja (submission_id, kode_kabkota);
comment on table core.baris_tenaga_kerja is
    'Baris diterima per pengiriman tenaga_kerja: kab/kota x golongan pokok KBLI x skala.';

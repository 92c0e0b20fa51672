-- The kept rows of pelatihan: every accepted row of every accepted submission.
create table if not exists core.baris_pelatihan (
    submission_id  bigint not null,
    baris          integer not null,
    tahun          smallint not null,
    kode_kabkota   text not null,
    nama_pelatihan text not null,
    jumlah_peserta bigint not null,
    tanggal_mulai  date not null,
    primary key (submission_id, baris)
);
comment on table core.baris_pelatihan is
    'Baris diterima per pengiriman pelatihan (jenis uji).';

-- Validation runs once per batch (one kind and period of one arrival day) over a staging table
-- that holds every file of the batch; each submission records which table holds its rows.
alter table audit.submission add column tabel_staging text;

comment on column audit.submission.tabel_staging is
    'Tabel staging kelompok yang memuat baris berkas ini sampai dimuat. / Staging table of the batch holding this file''s rows until loaded.';

-- Units whose SCD2 history must be rebuilt: filled by each file's load transaction, emptied by
-- one set-based rebuild after the night's loads (or the next run's, if that one failed).
create table core.antrean_dim_unit_ikm (
    nib text primary key
);

comment on table core.antrean_dim_unit_ikm is
    'NIB yang riwayat dim_unit_ikm-nya perlu dibangun ulang setelah pemuatan. / Units whose SCD2 history awaits its rebuild.';

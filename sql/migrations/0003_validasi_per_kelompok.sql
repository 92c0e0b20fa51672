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

-- Scopes whose owner changed, by (owner, scope): the rebuild finds their units through the
-- kept rows, so a load queues a handful of pairs rather than a million NIBs.
create table core.antrean_cakupan_unit_ikm (
    submission_id bigint not null,
    kode_cakupan text not null,
    primary key (submission_id, kode_cakupan)
);

comment on table core.antrean_cakupan_unit_ikm is
    'Pasangan (pengiriman, cakupan) yang unitnya menunggu pembangunan ulang dim_unit_ikm. / (submission, scope) pairs whose units await the SCD2 rebuild.';

-- Kept rows are written only by the load, from a submission registered in the same
-- transaction; the per-row foreign-key check cost 10 s per million rows (measured), and the
-- (submission_id, kode_kabkota) index 2 s more, for lookups the primary key's
-- (submission_id, ...) prefix already serves.
alter table core.baris_unit_ikm drop constraint baris_unit_ikm_submission_id_fkey;
alter table core.baris_tenaga_kerja drop constraint baris_tenaga_kerja_submission_id_fkey;
alter table core.baris_realisasi_program drop constraint baris_realisasi_program_submission_id_fkey;
alter table core.baris_peserta_program drop constraint baris_peserta_program_submission_id_fkey;
drop index core.baris_unit_ikm_cakupan;

-- Validation runs once per batch (one kind and period of one arrival day) over a staging table
-- that holds every file of the batch; each submission records which table holds its rows.
alter table audit.submission add column tabel_staging text;

comment on column audit.submission.tabel_staging is
    'Tabel staging kelompok yang memuat baris berkas ini sampai dimuat. / Staging table of the batch holding this file''s rows until loaded.';

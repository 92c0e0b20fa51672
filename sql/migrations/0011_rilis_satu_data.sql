-- 0011: the open-data releases (Satu Data Indonesia, etl.stages.s5_publish.rilis).
--
-- One row per version of a year's release: what it holds (the sha256 of each of its files and
-- of its content), when it was made, and from which warehouse state (the refresh of the marts
-- that computed the public snapshot, the latest submission processed by then). A release never
-- changes once made: a trigger refuses every update, delete and truncate, and a corrected
-- release is a new version that says what changed since the previous one.

create table audit.rilis_satu_data (
    rilis_id                 integer generated always as identity primary key,
    tahun                    integer not null,
    versi                    integer not null check (versi >= 1),
    versi_sebelumnya         integer,
    folder                   text not null unique,
    dibuat_pada              timestamptz not null,
    dicatat_pada             timestamptz not null default now(),
    dicatat_oleh             text not null default current_user,
    sidik_isi                text not null check (sidik_isi ~ '^[0-9a-f]{64}$'),
    berkas                   jsonb not null,
    jumlah_baris             jsonb not null,
    aturan                   jsonb not null,
    edisi_referensi          text[] not null,
    penyegaran_id            integer,
    submission_terakhir      bigint,
    submission_terakhir_pada timestamptz,
    pola_dihitung_pada       timestamptz not null,
    perubahan                jsonb,
    catatan                  text,
    unique (tahun, versi),
    check (
        (versi = 1 and versi_sebelumnya is null and perubahan is null)
        or (versi > 1 and versi_sebelumnya = versi - 1 and perubahan is not null)
    )
);

revoke all on audit.rilis_satu_data from public;

comment on table audit.rilis_satu_data is
    'Setiap rilis data terbuka (Satu Data Indonesia) per tahun dan versi: berkasnya (sha256), '
    'kapan dibuat, dari keadaan gudang mana. Tidak dapat diubah atau dihapus; koreksi = versi '
    'baru. / Every open-data release per year and version: its files (sha256), when, from '
    'which warehouse state. Never updated or deleted; a correction is a new version.';
comment on column audit.rilis_satu_data.folder is
    'Folder paket, relatif terhadap IKM_RILIS_DIR (<tahun>/v<versi>). / The package folder, '
    'relative to IKM_RILIS_DIR.';
comment on column audit.rilis_satu_data.sidik_isi is
    'sha256 isi (CSV dan metadata statistik, tanpa tanggal): sama = data sama. / sha256 of the '
    'content (CSVs and metadata, no dates): equal means the same data.';
comment on column audit.rilis_satu_data.berkas is
    'sha256 setiap berkas paket, datapackage.json termasuk. / sha256 of every file.';
comment on column audit.rilis_satu_data.penyegaran_id is
    'Penyegaran mart (audit.penyegaran_mart) yang menghitung lapisan publik rilis ini. / The '
    'refresh of the marts that computed the public snapshot released.';
comment on column audit.rilis_satu_data.submission_terakhir is
    'Kiriman terakhir (audit.submission) yang sudah diproses saat itu. / The latest submission '
    'processed by then.';
comment on column audit.rilis_satu_data.perubahan is
    'Apa yang berubah dibanding versi sebelumnya: baris dan sel. / What changed since the '
    'previous version: rows and cells.';

create function audit.rilis_satu_data_tetap() returns trigger
language plpgsql as $$
begin
    raise exception 'rilis satu data tidak dapat diubah atau dihapus (%): buat versi baru / '
        'a release never changes: make a new version', tg_op
        using errcode = 'integrity_constraint_violation';
end
$$;

create trigger rilis_satu_data_tetap
    before update or delete on audit.rilis_satu_data
    for each row execute function audit.rilis_satu_data_tetap();

create trigger rilis_satu_data_tetap_truncate
    before truncate on audit.rilis_satu_data
    for each statement execute function audit.rilis_satu_data_tetap();

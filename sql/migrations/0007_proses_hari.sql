-- 0007: names follow the naming rule (README): what the warehouse holds is named in Indonesian.
-- audit.run, one row per processing of an arrival day (the nightly run, a re-run, a
-- reprocess), becomes audit.proses_hari; its rows are kept.

alter table audit.run rename to proses_hari;
alter table audit.proses_hari rename column run_id to proses_id;

comment on table audit.proses_hari is
    'Satu baris per pemrosesan satu hari tiba (run malam, ulang, proses ulang) dengan ringkasannya. / '
    'One row per processing of an arrival day (nightly run, re-run, reprocess), with its summary.';

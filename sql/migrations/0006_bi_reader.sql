-- 0006: what BI tools may read, and the bookkeeping of the materialized marts.
--
-- bi_reader is the role Superset and analysts connect as. It is created here without a
-- password and unable to log in; etl.migrate gives it LOGIN and the password from
-- IKM_BI_READER_PASSWORD after every upgrade, and grants it SELECT on schema mart and nothing
-- else (a role belongs to the whole server, its grants to each database).

do $$
begin
    if not exists (select 1 from pg_roles where rolname = 'bi_reader') then
        create role bi_reader nologin noinherit nocreatedb nocreaterole;
    end if;
exception
    -- two databases of one server migrating at the same moment
    when duplicate_object or unique_violation then null;
end
$$;

-- Personal data and the pipeline's own tables stay out of reach of every role not granted them.
revoke all on schema core, audit, staging from public;

create table audit.objek_bi (
    nama        text primary key,
    sha256      text not null,
    dibuat_pada timestamptz not null default now()
);

comment on table audit.objek_bi is
    'Mart materialized beserta sidik file SQL-nya: dibuat ulang hanya bila definisinya berubah. / '
    'Materialized marts and the checksum of their SQL file: rebuilt only when it changes.';

create table audit.penyegaran_mart (
    penyegaran_id integer generated always as identity primary key,
    mulai         timestamptz not null,
    selesai       timestamptz not null,
    mart          text[] not null,
    detik         numeric(10, 3) not null
);

comment on table audit.penyegaran_mart is
    'Setiap penyegaran mart materialized (satu transaksi untuk semuanya). / '
    'Every refresh of the materialized marts (one transaction for all of them).';

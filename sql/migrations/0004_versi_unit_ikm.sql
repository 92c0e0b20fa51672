-- SCD type 2 versions of IKM units, kept narrow: each version points at the kept row that
-- opened it (same row_hash, same attributes), and core.dim_unit_ikm becomes the view that
-- reads the attributes there (sql/views). Writing 4.4 million wide rows at the first national
-- load cost more than the rest of the load together.
create table core.versi_unit_ikm (
    nib            text not null,
    berlaku_mulai  smallint not null,
    berlaku_sampai smallint,
    is_current     boolean not null,
    row_hash       text not null,
    submission_id  bigint not null,
    baris          integer not null,
    primary key (nib, berlaku_mulai)
);

comment on table core.versi_unit_ikm is
    'Versi SCD tipe 2 unit IKM (berlaku_sampai eksklusif), merujuk baris yang membukanya. / SCD2 versions of IKM units, each referring to the kept row that opened it.';

-- The history so far is rebuilt from the facts in force at the next load or publish.
insert into core.antrean_cakupan_unit_ikm (submission_id, kode_cakupan)
select submission_id, kode_cakupan from core.cakupan_berlaku where jenis = 'unit_ikm'
on conflict do nothing;

-- Views that read it are re-created from sql/views after the migrations.
drop table core.dim_unit_ikm cascade;

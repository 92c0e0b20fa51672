-- First day of a period written as YYYY or YYYY-MM; null for anything else.
create or replace function core.awal_periode(periode text) returns date
language sql immutable parallel safe
return case
    when periode ~ '^[0-9]{4}$' then make_date(periode::integer, 1, 1)
    when periode ~ '^[0-9]{4}-(0[1-9]|1[0-2])$'
        then make_date(left(periode, 4)::integer, right(periode, 2)::integer, 1)
end;

-- The regions of the latest edition loaded: the list the validation checks codes against.
create or replace view core.dim_wilayah as
select
    kode_wilayah,
    tingkat,
    nama_wilayah,
    kode_provinsi,
    nama_provinsi,
    jenis_kabkota
from core.riwayat_wilayah
where berlaku_sampai is null;

comment on view core.dim_wilayah is
    'Wilayah edisi referensi terkini (versi yang belum ditutup); dipakai validasi. / Regions of the latest edition.';

-- Which version of a region a period's facts belong to: one row per edition × region listed
-- in it. A fact whose period starts on t takes the row of its code whose range `atribusi`
-- holds t: the edition in force at t when that edition lists the code; before a code's first
-- listing, its first version (so periods before the first edition use the earliest one);
-- after a code was dropped, its last version. Editions replaced on the day they started never
-- applied and are left out. Open ends are unbounded ranges (no infinite dates for clients).
create or replace view core.wilayah_per_edisi as
with edisi as (
    select
        edisi_id,
        berlaku_mulai,
        lead(berlaku_mulai) over (order by edisi_id) as berlaku_sampai
    from core.edisi_referensi
),

rentang_edisi as (
    -- the first edition applied reaches back to any earlier period
    select
        edisi_id,
        berlaku_mulai,
        daterange(
            case when edisi_id > min(edisi_id) over () then berlaku_mulai end,
            berlaku_sampai
        ) as edisi_berlaku
    from edisi
    where berlaku_sampai is null or berlaku_sampai > berlaku_mulai
),

per_edisi as (
    select
        e.edisi_id,
        e.edisi_berlaku,
        e.berlaku_mulai,
        r.kode_wilayah,
        r.tingkat,
        r.nama_wilayah,
        r.kode_provinsi,
        r.nama_provinsi,
        r.jenis_kabkota,
        r.edisi_id as edisi_versi
    from core.riwayat_wilayah as r
    inner join rentang_edisi as e
        on
            r.edisi_id <= e.edisi_id
            and (r.edisi_sampai is null or e.edisi_id < r.edisi_sampai)
)

select
    edisi_id,
    kode_wilayah,
    tingkat,
    nama_wilayah,
    kode_provinsi,
    nama_provinsi,
    jenis_kabkota,
    edisi_versi,
    edisi_berlaku,
    daterange(
        case when lag(edisi_id) over w is not null then berlaku_mulai end,
        lead(berlaku_mulai) over w
    ) as atribusi
from per_edisi
window w as (partition by kode_wilayah order by edisi_id);

comment on view core.wilayah_per_edisi is
    'Wilayah per edisi referensi yang memuatnya. Fakta yang periodenya mulai t memakai baris '
    'kodenya dengan t <@ atribusi: edisi yang berlaku pada t, versi pertama untuk periode sebelum '
    'kode ada, versi terakhir untuk kode yang sudah dihapus. / Regions per edition and the '
    'period starts each row attributes.';
comment on column core.wilayah_per_edisi.edisi_versi is 'Edisi yang membuka versi wilayah ini.';
comment on column core.wilayah_per_edisi.edisi_berlaku is
    'Rentang berlaku edisi ini (edisi pertama: tanpa batas bawah; edisi terkini: tanpa batas atas).';
comment on column core.wilayah_per_edisi.atribusi is
    'Awal periode yang fakta-faktanya memakai baris ini untuk kode ini.';

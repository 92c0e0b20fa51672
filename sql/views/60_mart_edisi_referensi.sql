-- The editions of the reference lists, for BI readers to see which edition a mart row used
-- (the edisi_referensi column of the marts) and from when each applies.
create or replace view mart.edisi_referensi as
with edisi as (
    select
        edisi_id,
        label,
        berlaku_mulai,
        lead(berlaku_mulai) over (order by edisi_id) as berlaku_sampai,
        dimuat_pada,
        jumlah_wilayah_baru,
        jumlah_wilayah_berubah,
        jumlah_wilayah_ditutup
    from core.edisi_referensi
)

select
    edisi_id,
    label,
    berlaku_mulai,
    berlaku_sampai,
    dimuat_pada,
    edisi_id = max(edisi_id) over () as terkini,
    jumlah_wilayah_baru,
    jumlah_wilayah_berubah,
    jumlah_wilayah_ditutup
from edisi;

comment on view mart.edisi_referensi is
    'Edisi daftar referensi (wilayah Kemendagri, KBLI 2020): berlaku_mulai sampai berlaku_sampai '
    '(eksklusif; kosong = masih berlaku). terkini = edisi terakhir dimuat, yang dipakai validasi. '
    'Periode sebelum edisi pertama memakai edisi pertama. / Reference editions and when each applies.';
comment on column mart.edisi_referensi.terkini is
    'Edisi terakhir yang dimuat: daftar kode yang dipakai validasi kiriman. / The latest '
    'edition loaded: the code lists that validation uses.';
comment on column mart.edisi_referensi.edisi_id is
    'Nomor edisi (kolom edisi_referensi pada mart lain). / Edition number (edisi_referensi in the other marts).';
comment on column mart.edisi_referensi.label is
    'Label edisi. / Edition label.';
comment on column mart.edisi_referensi.berlaku_mulai is
    'Tanggal edisi mulai berlaku. / Date from which the edition applies.';
comment on column mart.edisi_referensi.berlaku_sampai is
    'Tanggal edisi berikutnya mulai berlaku (eksklusif); kosong = masih berlaku. / Date the next edition applies from (exclusive); empty while in force.';
comment on column mart.edisi_referensi.dimuat_pada is
    'Waktu edisi dimuat ke gudang. / When the edition was loaded into the warehouse.';
comment on column mart.edisi_referensi.jumlah_wilayah_baru is
    'Kode wilayah baru dalam edisi ini. / Region codes new in this edition.';
comment on column mart.edisi_referensi.jumlah_wilayah_berubah is
    'Wilayah yang pindah provinsi, ganti nama atau jenis. / Regions moved, renamed or re-typed.';
comment on column mart.edisi_referensi.jumlah_wilayah_ditutup is
    'Kode yang tidak ada lagi dalam edisi ini. / Region codes dropped by this edition.';

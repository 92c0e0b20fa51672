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
    'Edisi terakhir yang dimuat: daftar kode yang dipakai validasi kiriman.';

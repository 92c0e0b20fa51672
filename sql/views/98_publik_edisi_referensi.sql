-- The editions of the reference lists, for the public to see which Kemendagri code list placed
-- a public row (publik.ikm_per_wilayah.edisi_referensi) and from when each applies.
create or replace view publik.edisi_referensi as
select
    edisi_id::text as edisi_referensi,
    label,
    berlaku_mulai,
    lead(berlaku_mulai) over (order by edisi_id) as berlaku_sampai
from core.edisi_referensi;

comment on view publik.edisi_referensi is
    'Edisi daftar referensi (kode wilayah Kemendagri, KBLI 2020) dan masa berlakunya. / The '
    'editions of the reference lists and when each applies.';
comment on column publik.edisi_referensi.edisi_referensi is
    'Nomor edisi, seperti pada kolom edisi_referensi lapisan publik. / Edition number, as in '
    'the public layer''s edisi_referensi column.';
comment on column publik.edisi_referensi.label is 'Nama edisi. / Edition label.';
comment on column publik.edisi_referensi.berlaku_mulai is
    'Tanggal mulai berlaku. / First day the edition applies.';
comment on column publik.edisi_referensi.berlaku_sampai is
    'Tanggal edisi berikutnya mulai berlaku; kosong untuk edisi terkini. / First day of the '
    'next edition; empty for the current one.';

-- Programme participants in force. A participant whose NIB is in no unit register is loaded
-- and flagged (nib_terdaftar = false): registers arrive on their own schedule, so the flag is
-- computed here, against the registers in force now, never frozen at load time.
create or replace view core.fakta_peserta_program as
select
    b.tahun,
    b.kode_satker,
    b.fokus,
    b.kegiatan,
    b.nib,
    b.tanggal,
    b.hasil,
    b.nomor_sertifikat,
    b.nilai_tkdn_persen,
    b.bintang_ovop,
    exists (select 1 from core.dim_unit_ikm as d where d.nib = b.nib) as nib_terdaftar,
    b.submission_id,
    b.baris
from core.baris_peserta_program as b
inner join core.cakupan_berlaku as c
    on
        b.submission_id = c.submission_id
        and b.kode_satker = c.kode_cakupan
        and c.jenis = 'peserta_program';

-- Keep the submission's accepted participant rows (NIBs outside the register included).
insert into core.baris_peserta_program (
    submission_id, baris, tahun, kode_satker, fokus, kegiatan, nib, tanggal, hasil,
    nomor_sertifikat, nilai_tkdn_persen, bintang_ovop
)
select
    %(submission_id)s, _baris, %(tahun)s, kode_satker, fokus, kegiatan, nib, tanggal, hasil,
    nomor_sertifikat, nilai_tkdn_persen, bintang_ovop::smallint
from {staging} as s
where not _karantina
order by _baris

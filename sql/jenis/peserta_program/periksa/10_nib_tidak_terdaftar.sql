-- kode: nib_tidak_terdaftar
-- kolom: nib
-- tingkat: peringatan
-- pesan: NIB ini belum ada di register unit IKM yang berlaku; baris tetap dimuat dan ditandai. Pastikan unit ini dilaporkan dalam register unit_ikm kabupaten/kota-nya
-- Participants outside the registers in force load (a register may come later) but are flagged,
-- the same way core.fakta_peserta_program.nib_terdaftar judges them.
select
    s._baris,
    s.nib as nilai
from {staging} as s
where not s._karantina
    and s.nib ~ '^[0-9]+$'
    and length(s.nib) = 13
    and not exists (select 1 from core.dim_unit_ikm as d where d.nib = s.nib)

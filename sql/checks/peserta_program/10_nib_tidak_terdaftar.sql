-- kode: nib_tidak_terdaftar
-- kolom: nib
-- tingkat: peringatan
-- pesan: NIB ini belum ada di register unit IKM; baris tetap dimuat dan ditandai. Pastikan unit ini dilaporkan dalam register unit_ikm kabupaten/kota-nya
-- Participants outside the unit register load (the register may come later) but are flagged.
select
    s._baris,
    s.nib as nilai
from {staging} as s
where s.nib ~ '^[0-9]+$' and length(s.nib) = 13
    and not exists (select 1 from core.baris_unit_ikm as b where b.nib = s.nib)

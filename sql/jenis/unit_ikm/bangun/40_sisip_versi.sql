-- Versions that are new; unchanged ones stay untouched, so a re-run writes nothing. They are
-- read in the order versi_ringkas was written, (nib, tahun) from its window, so the primary
-- key grows in order without sorting millions of rows again.
insert into core.versi_unit_ikm (
    nib, berlaku_mulai, berlaku_sampai, is_current, row_hash, submission_id, baris
)
select
    v.nib, v.berlaku_mulai, v.berlaku_sampai, v.berlaku_sampai is null, v.row_hash,
    v.submission_id, v.baris
from versi_ringkas as v
where not exists (
    select 1 from core.versi_unit_ikm as d
    where d.nib = v.nib and d.berlaku_mulai = v.berlaku_mulai
)

-- The units to rebuild: queued by NIB, or through the kept rows of a queued (owner, scope). A
-- unit may come twice (under its old and its new owner); the steps that read this only ask
-- whether a unit is in it, so it is not sorted to drop them.
create temp table nib_terdampak on commit drop as
select nib from core.antrean_dim_unit_ikm
union all
select b.nib
from core.antrean_cakupan_unit_ikm as q
inner join core.baris_unit_ikm as b
    on q.submission_id = b.submission_id and q.kode_cakupan = b.kode_kabkota

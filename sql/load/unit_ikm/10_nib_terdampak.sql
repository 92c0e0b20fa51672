-- Units whose history may change: those in the scopes this file now holds, before and after.
create temp table nib_terdampak on commit drop as
select f.nib
from core.fakta_unit_ikm as f
where f.tahun = %(tahun)s
    and f.kode_kabkota in (select kode_cakupan from cakupan_menang)
union
select s.nib
from {staging} as s
where not s._karantina
    and s.kode_kabkota in (select kode_cakupan from cakupan_menang)

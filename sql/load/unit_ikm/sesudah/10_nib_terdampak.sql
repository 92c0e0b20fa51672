-- Units whose history may change: those in the scopes whose rows changed, before and after,
-- and those the submission held before its rows were replaced or withdrawn. They wait in the
-- queue for one set-based rebuild after the night's loads (sql/load/unit_ikm/bangun).
insert into core.antrean_dim_unit_ikm (nib)
select b.nib
from core.baris_unit_ikm as b
inner join cakupan_berubah as c
    on
        b.kode_kabkota = c.kode_cakupan
        and b.submission_id in (c.pemilik_lama, c.pemilik_baru)
union
select nib from nib_lama
on conflict do nothing

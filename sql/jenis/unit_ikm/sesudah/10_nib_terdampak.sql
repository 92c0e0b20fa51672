-- Units whose history may change wait for one set-based rebuild after the night's loads
-- (sql/load/unit_ikm/bangun): the units of each scope whose rows changed, under its old and
-- its new owner (queued as pairs, found through the kept rows at rebuild time)...
insert into core.antrean_cakupan_unit_ikm (submission_id, kode_cakupan)
select pemilik_lama, kode_cakupan from cakupan_berubah where pemilik_lama is not null
union
select pemilik_baru, kode_cakupan from cakupan_berubah where pemilik_baru is not null
on conflict do nothing

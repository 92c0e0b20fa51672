-- The rows of the scopes this file won are replaced, whoever loaded them before.
delete from core.fakta_unit_ikm
where tahun = %(tahun)s
    and kode_kabkota in (select kode_cakupan from cakupan_menang)

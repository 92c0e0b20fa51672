-- The largest unit of each year × kab/kota × size class, by investment and by production: one
-- hashed pass over the registers in force, from which the dominance rule bounds the second
-- largest (etl.stages.s5_publish.public_layer). Never stored.
select
    tahun::integer as tahun,
    kode_kabkota,
    skala,
    max(nilai_investasi) as nilai_investasi,
    max(nilai_produksi_setahun) as nilai_produksi
from core.fakta_unit_ikm
group by tahun, kode_kabkota, skala

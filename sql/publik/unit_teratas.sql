-- The two largest units of each year × kab/kota × size class, by investment and by production:
-- what the dominance rule weighs (etl.stages.s5_publish.public_layer). Read in the marts' refresh
-- transaction from the same registers in force as mart.ikm_per_wilayah; never stored.
with berperingkat as (
    select
        tahun,
        kode_kabkota,
        skala,
        nilai_investasi,
        nilai_produksi_setahun,
        row_number() over (
            partition by tahun, kode_kabkota, skala order by nilai_investasi desc
        ) as urut_investasi,
        row_number() over (
            partition by tahun, kode_kabkota, skala order by nilai_produksi_setahun desc
        ) as urut_produksi
    from core.fakta_unit_ikm
)

select
    tahun::integer as tahun,
    kode_kabkota,
    skala,
    array_agg(nilai_investasi order by urut_investasi)
        filter (where urut_investasi <= 2) as nilai_investasi,
    array_agg(nilai_produksi_setahun order by urut_produksi)
        filter (where urut_produksi <= 2) as nilai_produksi
from berperingkat
where urut_investasi <= 2 or urut_produksi <= 2
group by tahun, kode_kabkota, skala

-- The two largest units of the year × kab/kota × size classes given (%(tahun)s, %(kabkota)s,
-- %(skala)s: arrays of one length), by investment and by production: read only for the cells
-- whose dominance the largest unit alone cannot decide (etl.stages.s5_publish.public_layer),
-- from the same registers in force as mart.ikm_per_wilayah. Never stored.
with diminta as (
    select
        d.tahun,
        d.kode_kabkota,
        d.skala
    from unnest(%(tahun)s::smallint[], %(kabkota)s::text[], %(skala)s::text[])
        as d (tahun, kode_kabkota, skala)
),

berperingkat as (
    select
        f.tahun,
        f.kode_kabkota,
        f.skala,
        f.nilai_investasi,
        f.nilai_produksi_setahun,
        row_number() over (
            partition by f.tahun, f.kode_kabkota, f.skala order by f.nilai_investasi desc
        ) as urut_investasi,
        row_number() over (
            partition by f.tahun, f.kode_kabkota, f.skala order by f.nilai_produksi_setahun desc
        ) as urut_produksi
    from core.fakta_unit_ikm as f
    inner join diminta as d
        on f.tahun = d.tahun and f.kode_kabkota = d.kode_kabkota and f.skala = d.skala
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

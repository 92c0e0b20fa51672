-- The disclosure rules the public snapshot was computed with, and when: the snapshot is
-- computed in every refresh of the marts, so its time is the last refresh's start.
create or replace view publik.aturan_penekanan as
with terakhir as (
    select mulai
    from audit.penyegaran_mart
    order by penyegaran_id desc
    limit 1
)

select
    a.ambang_unit,
    a.dominasi_unit,
    a.dominasi_persen,
    t.mulai as dihitung_pada
from core.aturan_penekanan as a
cross join terakhir as t;

comment on view publik.aturan_penekanan is
    'Aturan pengendalian pengungkapan yang dipakai lapisan publik. / The disclosure-control '
    'rules the public layer was computed with.';
comment on column publik.aturan_penekanan.ambang_unit is
    'Aturan ambang: sel dengan unit kurang dari ini ditekan. / Threshold rule: a cell of fewer '
    'units is suppressed.';
comment on column publik.aturan_penekanan.dominasi_unit is
    'Aturan dominasi: jumlah unit terbesar yang ditimbang (1 atau 2). / Dominance rule: how many '
    'of the largest units are weighed.';
comment on column publik.aturan_penekanan.dominasi_persen is
    'Aturan dominasi: sel ditekan bila unit terbesarnya melebihi persentase ini dari nilai '
    'investasi atau produksi sel. / Dominance rule: suppressed when its largest units exceed '
    'this share of the cell''s investment or production.';
comment on column publik.aturan_penekanan.dihitung_pada is
    'Kapan pola penekanan dihitung (penyegaran mart). / When the pattern was computed.';

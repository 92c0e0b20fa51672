-- How many public cells each rule suppressed, per year and level (null reason: published).
create or replace view publik.ringkasan_penekanan as
select
    tahun,
    tingkat,
    alasan_penekanan,
    count(*)::bigint as jumlah_sel
from core.sel_publik_ikm
group by tahun, tingkat, alasan_penekanan;

comment on view publik.ringkasan_penekanan is
    'Jumlah sel publik per tahun, tingkat dan alasan penekanan (kosong: diterbitkan). / Public '
    'cells per year, level and suppression reason (empty: published).';
comment on column publik.ringkasan_penekanan.tahun is 'Tahun register. / Register year.';
comment on column publik.ringkasan_penekanan.tingkat is
    'Tingkat wilayah. / Level (nasional, provinsi, kabkota).';
comment on column publik.ringkasan_penekanan.alasan_penekanan is
    'Alasan penekanan; kosong untuk sel yang diterbitkan. / Reason; empty for published cells.';
comment on column publik.ringkasan_penekanan.jumlah_sel is 'Jumlah sel. / Number of cells.';

-- 0009: the kept unit rows lose their NIB index, and gain the statistics the marts need.
--
-- Keeping the index cost a national night 13 of the load's 50 s (4.4 million random inserts
-- into a B-tree, measured with make bench). Only the SCD2 rebuild looked units up by NIB, and
-- it now reads the rows in force with a hash join: a correction of one kab/kota on the national
-- warehouse scans the kept rows once (about a second) instead of probing the index.
drop index if exists core.baris_unit_ikm_nib;

-- The marts group the units by year, kab/kota, KBLI division and size class: without these
-- statistics the planner expects 400,000 groups instead of about 20,000 and sorts 4.4 million
-- rows on disk instead of hashing them in memory.
create statistics if not exists core.baris_unit_ikm_sebaran (ndistinct)
on tahun, kode_kabkota, skala, (left(kbli, 2)) from core.baris_unit_ikm;

-- Statistics for the planner (a correction touches ten units, the first national load
-- millions, and autovacuum has not seen tonight's rows yet), and memory to sort them in.
-- The small tables count too: with no statistics on the submissions and the scopes in force
-- the planner expects one row of each and checks every affected unit against every other
-- (60,000 units took 80 s instead of 2 s). Nothing queued, nothing to plan: an unchanged
-- re-run does not sample the millions of kept rows again (a second at the national scale).
do $$
begin
    if exists (select 1 from nib_terdampak) then
        analyze nib_terdampak;
        analyze core.baris_unit_ikm;
        analyze core.cakupan_berlaku;
        analyze audit.submission;
    end if;
end
$$;
set local work_mem = '256MB'

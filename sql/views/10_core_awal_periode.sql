-- First day of a period written as YYYY or YYYY-MM; null for anything else.
create or replace function core.awal_periode(periode text) returns date
language sql immutable parallel safe
return case
    when periode ~ '^[0-9]{4}$' then make_date(periode::integer, 1, 1)
    when periode ~ '^[0-9]{4}-(0[1-9]|1[0-2])$'
        then make_date(left(periode, 4)::integer, right(periode, 2)::integer, 1)
end;

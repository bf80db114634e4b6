-- Roll-up triggers (docs/STATS.md "Roll-ups"). GENERATED from server/stats/rollups/metrics.ts by
-- rollupTriggerMigration(); tests/unit/rollup-metrics.test.ts checks this file equals it.
-- Statement-level AFTER triggers with transition tables: each statement adds, per (day, area,
-- metric), the contribution of its new rows minus that of its old rows to daily_stats, in one
-- grouped upsert. Dropping a check-in partition (retention) fires nothing: the figures stay.
create or replace function rollup_checkins() returns trigger language plpgsql as $rollup$
begin
  if TG_OP = 'INSERT' then
    with k0 as (select (c.checked_in_at at time zone 'Asia/Ho_Chi_Minh')::date as day, c.province_code as province_code, coalesce(v.commune_code::text, '') as commune_code, c.person_id as key0, c.venue_id as key1 from new_rows c left join venues v on v.id = c.venue_id and v.province_code = c.province_code where c.checked_in_at is not null),
    k as (select distinct * from k0),
      added0 as (
        insert into daily_visitors as t (day, province_code, commune_code, person_id)
        select * from (select day, province_code, commune_code, key0 as key from k where commune_code <> '' union select day, province_code, '', key0 from k) r order by 1, 2, 3, 4
        on conflict do nothing returning t.day, t.province_code, t.commune_code),
      added1 as (
        insert into daily_active_venues as t (day, province_code, commune_code, venue_id)
        select * from (select distinct day, province_code, commune_code, key1 as key from k) r order by 1, 2, 3, 4
        on conflict do nothing returning t.day, t.province_code, t.commune_code)
    insert into daily_stats as s (day, province_code, commune_code, metric, value)
      select day, province_code, commune_code, metric, sum(n) from (
        select day, province_code, commune_code, 'checkins' as metric, 1 as n from k0
        union all
        select day, province_code, commune_code, 'visitors' as metric, 1 as n from added0
        union all
        select day, province_code, commune_code, 'venues_active' as metric, 1 as n from added1 where commune_code <> ''
        union all
        select day, province_code, '', 'venues_active' as metric, 1 as n from added1
      ) x group by day, province_code, commune_code, metric having sum(n) <> 0 order by 1, 2, 3, 4
      on conflict (day, province_code, commune_code, metric) do update set value = s.value + excluded.value;
  elsif TG_OP = 'UPDATE' then
    if exists (select 1 from (select distinct (c.checked_in_at at time zone 'Asia/Ho_Chi_Minh')::date as day, c.province_code as province_code, coalesce(v.commune_code::text, '') as commune_code, c.person_id as key0, c.venue_id as key1 from old_rows c left join venues v on v.id = c.venue_id and v.province_code = c.province_code where c.checked_in_at is not null
        except
        select distinct (c.checked_in_at at time zone 'Asia/Ho_Chi_Minh')::date as day, c.province_code as province_code, coalesce(v.commune_code::text, '') as commune_code, c.person_id as key0, c.venue_id as key1 from new_rows c left join venues v on v.id = c.venue_id and v.province_code = c.province_code where c.checked_in_at is not null) k) then
      lock table daily_visitors, daily_active_venues in share row exclusive mode;
    end if;
    insert into daily_stats as s (day, province_code, commune_code, metric, value)
      select day, province_code, commune_code, metric, sum(n) from (
        select (c.checked_in_at at time zone 'Asia/Ho_Chi_Minh')::date as day, c.province_code as province_code, coalesce(v.commune_code::text, '') as commune_code, 'checkins' as metric, 1 as n from new_rows c left join venues v on v.id = c.venue_id and v.province_code = c.province_code where c.checked_in_at is not null
        union all
        select (c.checked_in_at at time zone 'Asia/Ho_Chi_Minh')::date as day, c.province_code as province_code, coalesce(v.commune_code::text, '') as commune_code, 'checkins' as metric, -1 as n from old_rows c left join venues v on v.id = c.venue_id and v.province_code = c.province_code where c.checked_in_at is not null
      ) x group by day, province_code, commune_code, metric having sum(n) <> 0 order by 1, 2, 3, 4
      on conflict (day, province_code, commune_code, metric) do update set value = s.value + excluded.value;
    with k as (select distinct (c.checked_in_at at time zone 'Asia/Ho_Chi_Minh')::date as day, c.province_code as province_code, coalesce(v.commune_code::text, '') as commune_code, c.person_id as key0, c.venue_id as key1 from old_rows c left join venues v on v.id = c.venue_id and v.province_code = c.province_code where c.checked_in_at is not null
        except
        select distinct (c.checked_in_at at time zone 'Asia/Ho_Chi_Minh')::date as day, c.province_code as province_code, coalesce(v.commune_code::text, '') as commune_code, c.person_id as key0, c.venue_id as key1 from new_rows c left join venues v on v.id = c.venue_id and v.province_code = c.province_code where c.checked_in_at is not null),
      removed0 as (
        delete from daily_visitors t using (select day, province_code, commune_code, key0 as key from k where commune_code <> '' union select day, province_code, '', key0 from k) r
        where t.day = r.day and t.province_code = r.province_code and t.commune_code = r.commune_code and t.person_id = r.key
          and not exists (select 1 from checkins c left join venues v on v.id = c.venue_id and v.province_code = c.province_code where c.person_id = r.key and c.checked_in_at >= (r.day::timestamp at time zone 'Asia/Ho_Chi_Minh') and c.checked_in_at < ((r.day + 1)::timestamp at time zone 'Asia/Ho_Chi_Minh') and c.province_code = r.province_code and (r.commune_code = '' or coalesce(v.commune_code::text, '') = r.commune_code))
        returning t.day, t.province_code, t.commune_code),
      removed1 as (
        delete from daily_active_venues t using (select distinct day, province_code, commune_code, key1 as key from k) r
        where t.day = r.day and t.province_code = r.province_code and t.commune_code = r.commune_code and t.venue_id = r.key
          and not exists (select 1 from checkins c left join venues v on v.id = c.venue_id and v.province_code = c.province_code where c.venue_id = r.key and c.checked_in_at >= (r.day::timestamp at time zone 'Asia/Ho_Chi_Minh') and c.checked_in_at < ((r.day + 1)::timestamp at time zone 'Asia/Ho_Chi_Minh') and c.province_code = r.province_code and coalesce(v.commune_code::text, '') = r.commune_code)
        returning t.day, t.province_code, t.commune_code)
    insert into daily_stats as s (day, province_code, commune_code, metric, value)
      select day, province_code, commune_code, metric, sum(n) from (
        select day, province_code, commune_code, 'visitors' as metric, -1 as n from removed0
        union all
        select day, province_code, commune_code, 'venues_active' as metric, -1 as n from removed1 where commune_code <> ''
        union all
        select day, province_code, '', 'venues_active' as metric, -1 as n from removed1
      ) x group by day, province_code, commune_code, metric having sum(n) <> 0 order by 1, 2, 3, 4
      on conflict (day, province_code, commune_code, metric) do update set value = s.value + excluded.value;
    with k as (select distinct (c.checked_in_at at time zone 'Asia/Ho_Chi_Minh')::date as day, c.province_code as province_code, coalesce(v.commune_code::text, '') as commune_code, c.person_id as key0, c.venue_id as key1 from new_rows c left join venues v on v.id = c.venue_id and v.province_code = c.province_code where c.checked_in_at is not null
        except
        select distinct (c.checked_in_at at time zone 'Asia/Ho_Chi_Minh')::date as day, c.province_code as province_code, coalesce(v.commune_code::text, '') as commune_code, c.person_id as key0, c.venue_id as key1 from old_rows c left join venues v on v.id = c.venue_id and v.province_code = c.province_code where c.checked_in_at is not null),
      added0 as (
        insert into daily_visitors as t (day, province_code, commune_code, person_id)
        select * from (select day, province_code, commune_code, key0 as key from k where commune_code <> '' union select day, province_code, '', key0 from k) r order by 1, 2, 3, 4
        on conflict do nothing returning t.day, t.province_code, t.commune_code),
      added1 as (
        insert into daily_active_venues as t (day, province_code, commune_code, venue_id)
        select * from (select distinct day, province_code, commune_code, key1 as key from k) r order by 1, 2, 3, 4
        on conflict do nothing returning t.day, t.province_code, t.commune_code)
    insert into daily_stats as s (day, province_code, commune_code, metric, value)
      select day, province_code, commune_code, metric, sum(n) from (
        select day, province_code, commune_code, 'visitors' as metric, 1 as n from added0
        union all
        select day, province_code, commune_code, 'venues_active' as metric, 1 as n from added1 where commune_code <> ''
        union all
        select day, province_code, '', 'venues_active' as metric, 1 as n from added1
      ) x group by day, province_code, commune_code, metric having sum(n) <> 0 order by 1, 2, 3, 4
      on conflict (day, province_code, commune_code, metric) do update set value = s.value + excluded.value;
  else
    if exists (select 1 from (select distinct (c.checked_in_at at time zone 'Asia/Ho_Chi_Minh')::date as day, c.province_code as province_code, coalesce(v.commune_code::text, '') as commune_code, c.person_id as key0, c.venue_id as key1 from old_rows c left join venues v on v.id = c.venue_id and v.province_code = c.province_code where c.checked_in_at is not null) k) then
      lock table daily_visitors, daily_active_venues in share row exclusive mode;
    end if;
    insert into daily_stats as s (day, province_code, commune_code, metric, value)
      select day, province_code, commune_code, metric, sum(n) from (
        select (c.checked_in_at at time zone 'Asia/Ho_Chi_Minh')::date as day, c.province_code as province_code, coalesce(v.commune_code::text, '') as commune_code, 'checkins' as metric, -1 as n from old_rows c left join venues v on v.id = c.venue_id and v.province_code = c.province_code where c.checked_in_at is not null
      ) x group by day, province_code, commune_code, metric having sum(n) <> 0 order by 1, 2, 3, 4
      on conflict (day, province_code, commune_code, metric) do update set value = s.value + excluded.value;
    with k as (select distinct (c.checked_in_at at time zone 'Asia/Ho_Chi_Minh')::date as day, c.province_code as province_code, coalesce(v.commune_code::text, '') as commune_code, c.person_id as key0, c.venue_id as key1 from old_rows c left join venues v on v.id = c.venue_id and v.province_code = c.province_code where c.checked_in_at is not null),
      removed0 as (
        delete from daily_visitors t using (select day, province_code, commune_code, key0 as key from k where commune_code <> '' union select day, province_code, '', key0 from k) r
        where t.day = r.day and t.province_code = r.province_code and t.commune_code = r.commune_code and t.person_id = r.key
          and not exists (select 1 from checkins c left join venues v on v.id = c.venue_id and v.province_code = c.province_code where c.person_id = r.key and c.checked_in_at >= (r.day::timestamp at time zone 'Asia/Ho_Chi_Minh') and c.checked_in_at < ((r.day + 1)::timestamp at time zone 'Asia/Ho_Chi_Minh') and c.province_code = r.province_code and (r.commune_code = '' or coalesce(v.commune_code::text, '') = r.commune_code))
        returning t.day, t.province_code, t.commune_code),
      removed1 as (
        delete from daily_active_venues t using (select distinct day, province_code, commune_code, key1 as key from k) r
        where t.day = r.day and t.province_code = r.province_code and t.commune_code = r.commune_code and t.venue_id = r.key
          and not exists (select 1 from checkins c left join venues v on v.id = c.venue_id and v.province_code = c.province_code where c.venue_id = r.key and c.checked_in_at >= (r.day::timestamp at time zone 'Asia/Ho_Chi_Minh') and c.checked_in_at < ((r.day + 1)::timestamp at time zone 'Asia/Ho_Chi_Minh') and c.province_code = r.province_code and coalesce(v.commune_code::text, '') = r.commune_code)
        returning t.day, t.province_code, t.commune_code)
    insert into daily_stats as s (day, province_code, commune_code, metric, value)
      select day, province_code, commune_code, metric, sum(n) from (
        select day, province_code, commune_code, 'visitors' as metric, -1 as n from removed0
        union all
        select day, province_code, commune_code, 'venues_active' as metric, -1 as n from removed1 where commune_code <> ''
        union all
        select day, province_code, '', 'venues_active' as metric, -1 as n from removed1
      ) x group by day, province_code, commune_code, metric having sum(n) <> 0 order by 1, 2, 3, 4
      on conflict (day, province_code, commune_code, metric) do update set value = s.value + excluded.value;
  end if;
  return null;
end
$rollup$;
--> statement-breakpoint
drop trigger if exists rollup_checkins_insert on checkins;
--> statement-breakpoint
create trigger rollup_checkins_insert after insert on checkins referencing new table as new_rows for each statement execute function rollup_checkins();
--> statement-breakpoint
drop trigger if exists rollup_checkins_update on checkins;
--> statement-breakpoint
create trigger rollup_checkins_update after update on checkins referencing old table as old_rows new table as new_rows for each statement execute function rollup_checkins();
--> statement-breakpoint
drop trigger if exists rollup_checkins_delete on checkins;
--> statement-breakpoint
create trigger rollup_checkins_delete after delete on checkins referencing old table as old_rows for each statement execute function rollup_checkins();
--> statement-breakpoint
create or replace function rollup_declarations() returns trigger language plpgsql as $rollup$
begin
  if TG_OP = 'INSERT' then
    insert into daily_stats as s (day, province_code, commune_code, metric, value)
      select day, province_code, commune_code, metric, sum(n) from (
        select d.day as day, d.province_code as province_code, coalesce(d.commune_code::text, '') as commune_code, 'declarations' as metric, 1 as n from new_rows d where d.day is not null
        union all
        select d.day as day, d.province_code as province_code, coalesce(d.commune_code::text, '') as commune_code, 'declarations_risky' as metric, 1 as n from new_rows d where (d.risk = 'follow_up') and d.day is not null
      ) x group by day, province_code, commune_code, metric having sum(n) <> 0 order by 1, 2, 3, 4
      on conflict (day, province_code, commune_code, metric) do update set value = s.value + excluded.value;
  elsif TG_OP = 'UPDATE' then
    insert into daily_stats as s (day, province_code, commune_code, metric, value)
      select day, province_code, commune_code, metric, sum(n) from (
        select d.day as day, d.province_code as province_code, coalesce(d.commune_code::text, '') as commune_code, 'declarations' as metric, 1 as n from new_rows d where d.day is not null
        union all
        select d.day as day, d.province_code as province_code, coalesce(d.commune_code::text, '') as commune_code, 'declarations_risky' as metric, 1 as n from new_rows d where (d.risk = 'follow_up') and d.day is not null
        union all
        select d.day as day, d.province_code as province_code, coalesce(d.commune_code::text, '') as commune_code, 'declarations' as metric, -1 as n from old_rows d where d.day is not null
        union all
        select d.day as day, d.province_code as province_code, coalesce(d.commune_code::text, '') as commune_code, 'declarations_risky' as metric, -1 as n from old_rows d where (d.risk = 'follow_up') and d.day is not null
      ) x group by day, province_code, commune_code, metric having sum(n) <> 0 order by 1, 2, 3, 4
      on conflict (day, province_code, commune_code, metric) do update set value = s.value + excluded.value;
  else
    insert into daily_stats as s (day, province_code, commune_code, metric, value)
      select day, province_code, commune_code, metric, sum(n) from (
        select d.day as day, d.province_code as province_code, coalesce(d.commune_code::text, '') as commune_code, 'declarations' as metric, -1 as n from old_rows d where d.day is not null
        union all
        select d.day as day, d.province_code as province_code, coalesce(d.commune_code::text, '') as commune_code, 'declarations_risky' as metric, -1 as n from old_rows d where (d.risk = 'follow_up') and d.day is not null
      ) x group by day, province_code, commune_code, metric having sum(n) <> 0 order by 1, 2, 3, 4
      on conflict (day, province_code, commune_code, metric) do update set value = s.value + excluded.value;
  end if;
  return null;
end
$rollup$;
--> statement-breakpoint
drop trigger if exists rollup_declarations_insert on declarations;
--> statement-breakpoint
create trigger rollup_declarations_insert after insert on declarations referencing new table as new_rows for each statement execute function rollup_declarations();
--> statement-breakpoint
drop trigger if exists rollup_declarations_update on declarations;
--> statement-breakpoint
create trigger rollup_declarations_update after update on declarations referencing old table as old_rows new table as new_rows for each statement execute function rollup_declarations();
--> statement-breakpoint
drop trigger if exists rollup_declarations_delete on declarations;
--> statement-breakpoint
create trigger rollup_declarations_delete after delete on declarations referencing old table as old_rows for each statement execute function rollup_declarations();
--> statement-breakpoint
create or replace function rollup_test_samples() returns trigger language plpgsql as $rollup$
begin
  if TG_OP = 'INSERT' then
    insert into daily_stats as s (day, province_code, commune_code, metric, value)
      select day, province_code, commune_code, metric, sum(n) from (
        select (s.taken_at at time zone 'Asia/Ho_Chi_Minh')::date as day, s.province_code as province_code, coalesce(s.commune_code::text, '') as commune_code, 'samples' as metric, 1 as n from new_rows s where s.taken_at is not null
        union all
        select (s.result_at at time zone 'Asia/Ho_Chi_Minh')::date as day, s.province_code as province_code, coalesce(s.commune_code::text, '') as commune_code, 'results_negative' as metric, 1 as n from new_rows s where (s.result = 'negative') and s.result_at is not null
        union all
        select (p.result_at at time zone 'Asia/Ho_Chi_Minh')::date as day, s.province_code as province_code, coalesce(s.commune_code::text, '') as commune_code, 'results_negative' as metric, 1 as n from new_rows s join test_pools p on p.id = s.pool_id where (s.result is null and p.result = 'negative') and p.result_at is not null
        union all
        select (s.result_at at time zone 'Asia/Ho_Chi_Minh')::date as day, s.province_code as province_code, coalesce(s.commune_code::text, '') as commune_code, 'results_positive' as metric, 1 as n from new_rows s where (s.result = 'positive') and s.result_at is not null
        union all
        select (s.result_at at time zone 'Asia/Ho_Chi_Minh')::date as day, s.province_code as province_code, coalesce(s.commune_code::text, '') as commune_code, 'results_invalid' as metric, 1 as n from new_rows s where (s.result = 'invalid') and s.result_at is not null
      ) x group by day, province_code, commune_code, metric having sum(n) <> 0 order by 1, 2, 3, 4
      on conflict (day, province_code, commune_code, metric) do update set value = s.value + excluded.value;
  elsif TG_OP = 'UPDATE' then
    insert into daily_stats as s (day, province_code, commune_code, metric, value)
      select day, province_code, commune_code, metric, sum(n) from (
        select (s.taken_at at time zone 'Asia/Ho_Chi_Minh')::date as day, s.province_code as province_code, coalesce(s.commune_code::text, '') as commune_code, 'samples' as metric, 1 as n from new_rows s where s.taken_at is not null
        union all
        select (s.result_at at time zone 'Asia/Ho_Chi_Minh')::date as day, s.province_code as province_code, coalesce(s.commune_code::text, '') as commune_code, 'results_negative' as metric, 1 as n from new_rows s where (s.result = 'negative') and s.result_at is not null
        union all
        select (p.result_at at time zone 'Asia/Ho_Chi_Minh')::date as day, s.province_code as province_code, coalesce(s.commune_code::text, '') as commune_code, 'results_negative' as metric, 1 as n from new_rows s join test_pools p on p.id = s.pool_id where (s.result is null and p.result = 'negative') and p.result_at is not null
        union all
        select (s.result_at at time zone 'Asia/Ho_Chi_Minh')::date as day, s.province_code as province_code, coalesce(s.commune_code::text, '') as commune_code, 'results_positive' as metric, 1 as n from new_rows s where (s.result = 'positive') and s.result_at is not null
        union all
        select (s.result_at at time zone 'Asia/Ho_Chi_Minh')::date as day, s.province_code as province_code, coalesce(s.commune_code::text, '') as commune_code, 'results_invalid' as metric, 1 as n from new_rows s where (s.result = 'invalid') and s.result_at is not null
        union all
        select (s.taken_at at time zone 'Asia/Ho_Chi_Minh')::date as day, s.province_code as province_code, coalesce(s.commune_code::text, '') as commune_code, 'samples' as metric, -1 as n from old_rows s where s.taken_at is not null
        union all
        select (s.result_at at time zone 'Asia/Ho_Chi_Minh')::date as day, s.province_code as province_code, coalesce(s.commune_code::text, '') as commune_code, 'results_negative' as metric, -1 as n from old_rows s where (s.result = 'negative') and s.result_at is not null
        union all
        select (p.result_at at time zone 'Asia/Ho_Chi_Minh')::date as day, s.province_code as province_code, coalesce(s.commune_code::text, '') as commune_code, 'results_negative' as metric, -1 as n from old_rows s join test_pools p on p.id = s.pool_id where (s.result is null and p.result = 'negative') and p.result_at is not null
        union all
        select (s.result_at at time zone 'Asia/Ho_Chi_Minh')::date as day, s.province_code as province_code, coalesce(s.commune_code::text, '') as commune_code, 'results_positive' as metric, -1 as n from old_rows s where (s.result = 'positive') and s.result_at is not null
        union all
        select (s.result_at at time zone 'Asia/Ho_Chi_Minh')::date as day, s.province_code as province_code, coalesce(s.commune_code::text, '') as commune_code, 'results_invalid' as metric, -1 as n from old_rows s where (s.result = 'invalid') and s.result_at is not null
      ) x group by day, province_code, commune_code, metric having sum(n) <> 0 order by 1, 2, 3, 4
      on conflict (day, province_code, commune_code, metric) do update set value = s.value + excluded.value;
  else
    insert into daily_stats as s (day, province_code, commune_code, metric, value)
      select day, province_code, commune_code, metric, sum(n) from (
        select (s.taken_at at time zone 'Asia/Ho_Chi_Minh')::date as day, s.province_code as province_code, coalesce(s.commune_code::text, '') as commune_code, 'samples' as metric, -1 as n from old_rows s where s.taken_at is not null
        union all
        select (s.result_at at time zone 'Asia/Ho_Chi_Minh')::date as day, s.province_code as province_code, coalesce(s.commune_code::text, '') as commune_code, 'results_negative' as metric, -1 as n from old_rows s where (s.result = 'negative') and s.result_at is not null
        union all
        select (p.result_at at time zone 'Asia/Ho_Chi_Minh')::date as day, s.province_code as province_code, coalesce(s.commune_code::text, '') as commune_code, 'results_negative' as metric, -1 as n from old_rows s join test_pools p on p.id = s.pool_id where (s.result is null and p.result = 'negative') and p.result_at is not null
        union all
        select (s.result_at at time zone 'Asia/Ho_Chi_Minh')::date as day, s.province_code as province_code, coalesce(s.commune_code::text, '') as commune_code, 'results_positive' as metric, -1 as n from old_rows s where (s.result = 'positive') and s.result_at is not null
        union all
        select (s.result_at at time zone 'Asia/Ho_Chi_Minh')::date as day, s.province_code as province_code, coalesce(s.commune_code::text, '') as commune_code, 'results_invalid' as metric, -1 as n from old_rows s where (s.result = 'invalid') and s.result_at is not null
      ) x group by day, province_code, commune_code, metric having sum(n) <> 0 order by 1, 2, 3, 4
      on conflict (day, province_code, commune_code, metric) do update set value = s.value + excluded.value;
  end if;
  return null;
end
$rollup$;
--> statement-breakpoint
drop trigger if exists rollup_test_samples_insert on test_samples;
--> statement-breakpoint
create trigger rollup_test_samples_insert after insert on test_samples referencing new table as new_rows for each statement execute function rollup_test_samples();
--> statement-breakpoint
drop trigger if exists rollup_test_samples_update on test_samples;
--> statement-breakpoint
create trigger rollup_test_samples_update after update on test_samples referencing old table as old_rows new table as new_rows for each statement execute function rollup_test_samples();
--> statement-breakpoint
drop trigger if exists rollup_test_samples_delete on test_samples;
--> statement-breakpoint
create trigger rollup_test_samples_delete after delete on test_samples referencing old table as old_rows for each statement execute function rollup_test_samples();
--> statement-breakpoint
create or replace function rollup_test_pools() returns trigger language plpgsql as $rollup$
begin
  if TG_OP = 'INSERT' then
    insert into daily_stats as s (day, province_code, commune_code, metric, value)
      select day, province_code, commune_code, metric, sum(n) from (
        select (p.result_at at time zone 'Asia/Ho_Chi_Minh')::date as day, s.province_code as province_code, coalesce(s.commune_code::text, '') as commune_code, 'results_negative' as metric, 1 as n from test_samples s join new_rows p on p.id = s.pool_id where (s.result is null and p.result = 'negative') and p.result_at is not null
        union all
        select (p.result_at at time zone 'Asia/Ho_Chi_Minh')::date as day, p.province_code as province_code, coalesce(p.commune_code::text, '') as commune_code, 'pools_resulted' as metric, 1 as n from new_rows p where (p.result is not null) and p.result_at is not null
        union all
        select (p.result_at at time zone 'Asia/Ho_Chi_Minh')::date as day, p.province_code as province_code, coalesce(p.commune_code::text, '') as commune_code, 'pools_positive' as metric, 1 as n from new_rows p where (p.result = 'positive') and p.result_at is not null
      ) x group by day, province_code, commune_code, metric having sum(n) <> 0 order by 1, 2, 3, 4
      on conflict (day, province_code, commune_code, metric) do update set value = s.value + excluded.value;
  elsif TG_OP = 'UPDATE' then
    insert into daily_stats as s (day, province_code, commune_code, metric, value)
      select day, province_code, commune_code, metric, sum(n) from (
        select (p.result_at at time zone 'Asia/Ho_Chi_Minh')::date as day, s.province_code as province_code, coalesce(s.commune_code::text, '') as commune_code, 'results_negative' as metric, 1 as n from test_samples s join new_rows p on p.id = s.pool_id where (s.result is null and p.result = 'negative') and p.result_at is not null
        union all
        select (p.result_at at time zone 'Asia/Ho_Chi_Minh')::date as day, p.province_code as province_code, coalesce(p.commune_code::text, '') as commune_code, 'pools_resulted' as metric, 1 as n from new_rows p where (p.result is not null) and p.result_at is not null
        union all
        select (p.result_at at time zone 'Asia/Ho_Chi_Minh')::date as day, p.province_code as province_code, coalesce(p.commune_code::text, '') as commune_code, 'pools_positive' as metric, 1 as n from new_rows p where (p.result = 'positive') and p.result_at is not null
        union all
        select (p.result_at at time zone 'Asia/Ho_Chi_Minh')::date as day, s.province_code as province_code, coalesce(s.commune_code::text, '') as commune_code, 'results_negative' as metric, -1 as n from test_samples s join old_rows p on p.id = s.pool_id where (s.result is null and p.result = 'negative') and p.result_at is not null
        union all
        select (p.result_at at time zone 'Asia/Ho_Chi_Minh')::date as day, p.province_code as province_code, coalesce(p.commune_code::text, '') as commune_code, 'pools_resulted' as metric, -1 as n from old_rows p where (p.result is not null) and p.result_at is not null
        union all
        select (p.result_at at time zone 'Asia/Ho_Chi_Minh')::date as day, p.province_code as province_code, coalesce(p.commune_code::text, '') as commune_code, 'pools_positive' as metric, -1 as n from old_rows p where (p.result = 'positive') and p.result_at is not null
      ) x group by day, province_code, commune_code, metric having sum(n) <> 0 order by 1, 2, 3, 4
      on conflict (day, province_code, commune_code, metric) do update set value = s.value + excluded.value;
  else
    insert into daily_stats as s (day, province_code, commune_code, metric, value)
      select day, province_code, commune_code, metric, sum(n) from (
        select (p.result_at at time zone 'Asia/Ho_Chi_Minh')::date as day, s.province_code as province_code, coalesce(s.commune_code::text, '') as commune_code, 'results_negative' as metric, -1 as n from test_samples s join old_rows p on p.id = s.pool_id where (s.result is null and p.result = 'negative') and p.result_at is not null
        union all
        select (p.result_at at time zone 'Asia/Ho_Chi_Minh')::date as day, p.province_code as province_code, coalesce(p.commune_code::text, '') as commune_code, 'pools_resulted' as metric, -1 as n from old_rows p where (p.result is not null) and p.result_at is not null
        union all
        select (p.result_at at time zone 'Asia/Ho_Chi_Minh')::date as day, p.province_code as province_code, coalesce(p.commune_code::text, '') as commune_code, 'pools_positive' as metric, -1 as n from old_rows p where (p.result = 'positive') and p.result_at is not null
      ) x group by day, province_code, commune_code, metric having sum(n) <> 0 order by 1, 2, 3, 4
      on conflict (day, province_code, commune_code, metric) do update set value = s.value + excluded.value;
  end if;
  return null;
end
$rollup$;
--> statement-breakpoint
drop trigger if exists rollup_test_pools_insert on test_pools;
--> statement-breakpoint
create trigger rollup_test_pools_insert after insert on test_pools referencing new table as new_rows for each statement execute function rollup_test_pools();
--> statement-breakpoint
drop trigger if exists rollup_test_pools_update on test_pools;
--> statement-breakpoint
create trigger rollup_test_pools_update after update on test_pools referencing old table as old_rows new table as new_rows for each statement execute function rollup_test_pools();
--> statement-breakpoint
drop trigger if exists rollup_test_pools_delete on test_pools;
--> statement-breakpoint
create trigger rollup_test_pools_delete after delete on test_pools referencing old table as old_rows for each statement execute function rollup_test_pools();
--> statement-breakpoint
create or replace function rollup_vaccinations() returns trigger language plpgsql as $rollup$
begin
  if TG_OP = 'INSERT' then
    insert into daily_stats as s (day, province_code, commune_code, metric, value)
      select day, province_code, commune_code, metric, sum(n) from (
        select v.given_on as day, v.province_code as province_code, coalesce(v.commune_code::text, '') as commune_code, 'doses_1' as metric, 1 as n from new_rows v where (v.dose_number = 1) and v.given_on is not null
        union all
        select v.given_on as day, v.province_code as province_code, coalesce(v.commune_code::text, '') as commune_code, 'doses_2' as metric, 1 as n from new_rows v where (v.dose_number = 2) and v.given_on is not null
        union all
        select v.given_on as day, v.province_code as province_code, coalesce(v.commune_code::text, '') as commune_code, 'doses_3' as metric, 1 as n from new_rows v where (v.dose_number >= 3) and v.given_on is not null
      ) x group by day, province_code, commune_code, metric having sum(n) <> 0 order by 1, 2, 3, 4
      on conflict (day, province_code, commune_code, metric) do update set value = s.value + excluded.value;
  elsif TG_OP = 'UPDATE' then
    insert into daily_stats as s (day, province_code, commune_code, metric, value)
      select day, province_code, commune_code, metric, sum(n) from (
        select v.given_on as day, v.province_code as province_code, coalesce(v.commune_code::text, '') as commune_code, 'doses_1' as metric, 1 as n from new_rows v where (v.dose_number = 1) and v.given_on is not null
        union all
        select v.given_on as day, v.province_code as province_code, coalesce(v.commune_code::text, '') as commune_code, 'doses_2' as metric, 1 as n from new_rows v where (v.dose_number = 2) and v.given_on is not null
        union all
        select v.given_on as day, v.province_code as province_code, coalesce(v.commune_code::text, '') as commune_code, 'doses_3' as metric, 1 as n from new_rows v where (v.dose_number >= 3) and v.given_on is not null
        union all
        select v.given_on as day, v.province_code as province_code, coalesce(v.commune_code::text, '') as commune_code, 'doses_1' as metric, -1 as n from old_rows v where (v.dose_number = 1) and v.given_on is not null
        union all
        select v.given_on as day, v.province_code as province_code, coalesce(v.commune_code::text, '') as commune_code, 'doses_2' as metric, -1 as n from old_rows v where (v.dose_number = 2) and v.given_on is not null
        union all
        select v.given_on as day, v.province_code as province_code, coalesce(v.commune_code::text, '') as commune_code, 'doses_3' as metric, -1 as n from old_rows v where (v.dose_number >= 3) and v.given_on is not null
      ) x group by day, province_code, commune_code, metric having sum(n) <> 0 order by 1, 2, 3, 4
      on conflict (day, province_code, commune_code, metric) do update set value = s.value + excluded.value;
  else
    insert into daily_stats as s (day, province_code, commune_code, metric, value)
      select day, province_code, commune_code, metric, sum(n) from (
        select v.given_on as day, v.province_code as province_code, coalesce(v.commune_code::text, '') as commune_code, 'doses_1' as metric, -1 as n from old_rows v where (v.dose_number = 1) and v.given_on is not null
        union all
        select v.given_on as day, v.province_code as province_code, coalesce(v.commune_code::text, '') as commune_code, 'doses_2' as metric, -1 as n from old_rows v where (v.dose_number = 2) and v.given_on is not null
        union all
        select v.given_on as day, v.province_code as province_code, coalesce(v.commune_code::text, '') as commune_code, 'doses_3' as metric, -1 as n from old_rows v where (v.dose_number >= 3) and v.given_on is not null
      ) x group by day, province_code, commune_code, metric having sum(n) <> 0 order by 1, 2, 3, 4
      on conflict (day, province_code, commune_code, metric) do update set value = s.value + excluded.value;
  end if;
  return null;
end
$rollup$;
--> statement-breakpoint
drop trigger if exists rollup_vaccinations_insert on vaccinations;
--> statement-breakpoint
create trigger rollup_vaccinations_insert after insert on vaccinations referencing new table as new_rows for each statement execute function rollup_vaccinations();
--> statement-breakpoint
drop trigger if exists rollup_vaccinations_update on vaccinations;
--> statement-breakpoint
create trigger rollup_vaccinations_update after update on vaccinations referencing old table as old_rows new table as new_rows for each statement execute function rollup_vaccinations();
--> statement-breakpoint
drop trigger if exists rollup_vaccinations_delete on vaccinations;
--> statement-breakpoint
create trigger rollup_vaccinations_delete after delete on vaccinations referencing old table as old_rows for each statement execute function rollup_vaccinations();
--> statement-breakpoint
create or replace function rollup_cases() returns trigger language plpgsql as $rollup$
begin
  if TG_OP = 'INSERT' then
    insert into daily_stats as s (day, province_code, commune_code, metric, value)
      select day, province_code, commune_code, metric, sum(n) from (
        select k.confirmed_on as day, k.province_code as province_code, coalesce(k.commune_code::text, '') as commune_code, 'cases_new' as metric, 1 as n from new_rows k where k.confirmed_on is not null
        union all
        select k.confirmed_on as day, k.province_code as province_code, coalesce(k.commune_code::text, '') as commune_code, 'cases_active' as metric, 1 as n from new_rows k where (k.status = 'active') and k.confirmed_on is not null
        union all
        select k.confirmed_on as day, k.province_code as province_code, coalesce(k.commune_code::text, '') as commune_code, 'cases_recovered' as metric, 1 as n from new_rows k where (k.status = 'recovered') and k.confirmed_on is not null
        union all
        select k.confirmed_on as day, k.province_code as province_code, coalesce(k.commune_code::text, '') as commune_code, 'cases_died' as metric, 1 as n from new_rows k where (k.status = 'died') and k.confirmed_on is not null
      ) x group by day, province_code, commune_code, metric having sum(n) <> 0 order by 1, 2, 3, 4
      on conflict (day, province_code, commune_code, metric) do update set value = s.value + excluded.value;
  elsif TG_OP = 'UPDATE' then
    insert into daily_stats as s (day, province_code, commune_code, metric, value)
      select day, province_code, commune_code, metric, sum(n) from (
        select k.confirmed_on as day, k.province_code as province_code, coalesce(k.commune_code::text, '') as commune_code, 'cases_new' as metric, 1 as n from new_rows k where k.confirmed_on is not null
        union all
        select k.confirmed_on as day, k.province_code as province_code, coalesce(k.commune_code::text, '') as commune_code, 'cases_active' as metric, 1 as n from new_rows k where (k.status = 'active') and k.confirmed_on is not null
        union all
        select k.confirmed_on as day, k.province_code as province_code, coalesce(k.commune_code::text, '') as commune_code, 'cases_recovered' as metric, 1 as n from new_rows k where (k.status = 'recovered') and k.confirmed_on is not null
        union all
        select k.confirmed_on as day, k.province_code as province_code, coalesce(k.commune_code::text, '') as commune_code, 'cases_died' as metric, 1 as n from new_rows k where (k.status = 'died') and k.confirmed_on is not null
        union all
        select k.confirmed_on as day, k.province_code as province_code, coalesce(k.commune_code::text, '') as commune_code, 'cases_new' as metric, -1 as n from old_rows k where k.confirmed_on is not null
        union all
        select k.confirmed_on as day, k.province_code as province_code, coalesce(k.commune_code::text, '') as commune_code, 'cases_active' as metric, -1 as n from old_rows k where (k.status = 'active') and k.confirmed_on is not null
        union all
        select k.confirmed_on as day, k.province_code as province_code, coalesce(k.commune_code::text, '') as commune_code, 'cases_recovered' as metric, -1 as n from old_rows k where (k.status = 'recovered') and k.confirmed_on is not null
        union all
        select k.confirmed_on as day, k.province_code as province_code, coalesce(k.commune_code::text, '') as commune_code, 'cases_died' as metric, -1 as n from old_rows k where (k.status = 'died') and k.confirmed_on is not null
      ) x group by day, province_code, commune_code, metric having sum(n) <> 0 order by 1, 2, 3, 4
      on conflict (day, province_code, commune_code, metric) do update set value = s.value + excluded.value;
  else
    insert into daily_stats as s (day, province_code, commune_code, metric, value)
      select day, province_code, commune_code, metric, sum(n) from (
        select k.confirmed_on as day, k.province_code as province_code, coalesce(k.commune_code::text, '') as commune_code, 'cases_new' as metric, -1 as n from old_rows k where k.confirmed_on is not null
        union all
        select k.confirmed_on as day, k.province_code as province_code, coalesce(k.commune_code::text, '') as commune_code, 'cases_active' as metric, -1 as n from old_rows k where (k.status = 'active') and k.confirmed_on is not null
        union all
        select k.confirmed_on as day, k.province_code as province_code, coalesce(k.commune_code::text, '') as commune_code, 'cases_recovered' as metric, -1 as n from old_rows k where (k.status = 'recovered') and k.confirmed_on is not null
        union all
        select k.confirmed_on as day, k.province_code as province_code, coalesce(k.commune_code::text, '') as commune_code, 'cases_died' as metric, -1 as n from old_rows k where (k.status = 'died') and k.confirmed_on is not null
      ) x group by day, province_code, commune_code, metric having sum(n) <> 0 order by 1, 2, 3, 4
      on conflict (day, province_code, commune_code, metric) do update set value = s.value + excluded.value;
  end if;
  return null;
end
$rollup$;
--> statement-breakpoint
drop trigger if exists rollup_cases_insert on cases;
--> statement-breakpoint
create trigger rollup_cases_insert after insert on cases referencing new table as new_rows for each statement execute function rollup_cases();
--> statement-breakpoint
drop trigger if exists rollup_cases_update on cases;
--> statement-breakpoint
create trigger rollup_cases_update after update on cases referencing old table as old_rows new table as new_rows for each statement execute function rollup_cases();
--> statement-breakpoint
drop trigger if exists rollup_cases_delete on cases;
--> statement-breakpoint
create trigger rollup_cases_delete after delete on cases referencing old table as old_rows for each statement execute function rollup_cases();
--> statement-breakpoint
create or replace function rollup_contacts() returns trigger language plpgsql as $rollup$
begin
  if TG_OP = 'INSERT' then
    insert into daily_stats as s (day, province_code, commune_code, metric, value)
      select day, province_code, commune_code, metric, sum(n) from (
        select (t.created_at at time zone 'Asia/Ho_Chi_Minh')::date as day, t.province_code as province_code, coalesce(t.commune_code::text, '') as commune_code, 'f1_identified' as metric, 1 as n from new_rows t where (t.degree = 1) and t.created_at is not null
        union all
        select (t.created_at at time zone 'Asia/Ho_Chi_Minh')::date as day, t.province_code as province_code, coalesce(t.commune_code::text, '') as commune_code, 'f2_identified' as metric, 1 as n from new_rows t where (t.degree = 2) and t.created_at is not null
        union all
        select (t.created_at at time zone 'Asia/Ho_Chi_Minh')::date as day, t.province_code as province_code, coalesce(t.commune_code::text, '') as commune_code, 'contacts_quarantined' as metric, 1 as n from new_rows t where (t.status = 'quarantined') and t.created_at is not null
      ) x group by day, province_code, commune_code, metric having sum(n) <> 0 order by 1, 2, 3, 4
      on conflict (day, province_code, commune_code, metric) do update set value = s.value + excluded.value;
  elsif TG_OP = 'UPDATE' then
    insert into daily_stats as s (day, province_code, commune_code, metric, value)
      select day, province_code, commune_code, metric, sum(n) from (
        select (t.created_at at time zone 'Asia/Ho_Chi_Minh')::date as day, t.province_code as province_code, coalesce(t.commune_code::text, '') as commune_code, 'f1_identified' as metric, 1 as n from new_rows t where (t.degree = 1) and t.created_at is not null
        union all
        select (t.created_at at time zone 'Asia/Ho_Chi_Minh')::date as day, t.province_code as province_code, coalesce(t.commune_code::text, '') as commune_code, 'f2_identified' as metric, 1 as n from new_rows t where (t.degree = 2) and t.created_at is not null
        union all
        select (t.created_at at time zone 'Asia/Ho_Chi_Minh')::date as day, t.province_code as province_code, coalesce(t.commune_code::text, '') as commune_code, 'contacts_quarantined' as metric, 1 as n from new_rows t where (t.status = 'quarantined') and t.created_at is not null
        union all
        select (t.created_at at time zone 'Asia/Ho_Chi_Minh')::date as day, t.province_code as province_code, coalesce(t.commune_code::text, '') as commune_code, 'f1_identified' as metric, -1 as n from old_rows t where (t.degree = 1) and t.created_at is not null
        union all
        select (t.created_at at time zone 'Asia/Ho_Chi_Minh')::date as day, t.province_code as province_code, coalesce(t.commune_code::text, '') as commune_code, 'f2_identified' as metric, -1 as n from old_rows t where (t.degree = 2) and t.created_at is not null
        union all
        select (t.created_at at time zone 'Asia/Ho_Chi_Minh')::date as day, t.province_code as province_code, coalesce(t.commune_code::text, '') as commune_code, 'contacts_quarantined' as metric, -1 as n from old_rows t where (t.status = 'quarantined') and t.created_at is not null
      ) x group by day, province_code, commune_code, metric having sum(n) <> 0 order by 1, 2, 3, 4
      on conflict (day, province_code, commune_code, metric) do update set value = s.value + excluded.value;
  else
    insert into daily_stats as s (day, province_code, commune_code, metric, value)
      select day, province_code, commune_code, metric, sum(n) from (
        select (t.created_at at time zone 'Asia/Ho_Chi_Minh')::date as day, t.province_code as province_code, coalesce(t.commune_code::text, '') as commune_code, 'f1_identified' as metric, -1 as n from old_rows t where (t.degree = 1) and t.created_at is not null
        union all
        select (t.created_at at time zone 'Asia/Ho_Chi_Minh')::date as day, t.province_code as province_code, coalesce(t.commune_code::text, '') as commune_code, 'f2_identified' as metric, -1 as n from old_rows t where (t.degree = 2) and t.created_at is not null
        union all
        select (t.created_at at time zone 'Asia/Ho_Chi_Minh')::date as day, t.province_code as province_code, coalesce(t.commune_code::text, '') as commune_code, 'contacts_quarantined' as metric, -1 as n from old_rows t where (t.status = 'quarantined') and t.created_at is not null
      ) x group by day, province_code, commune_code, metric having sum(n) <> 0 order by 1, 2, 3, 4
      on conflict (day, province_code, commune_code, metric) do update set value = s.value + excluded.value;
  end if;
  return null;
end
$rollup$;
--> statement-breakpoint
drop trigger if exists rollup_contacts_insert on contacts;
--> statement-breakpoint
create trigger rollup_contacts_insert after insert on contacts referencing new table as new_rows for each statement execute function rollup_contacts();
--> statement-breakpoint
drop trigger if exists rollup_contacts_update on contacts;
--> statement-breakpoint
create trigger rollup_contacts_update after update on contacts referencing old table as old_rows new table as new_rows for each statement execute function rollup_contacts();
--> statement-breakpoint
drop trigger if exists rollup_contacts_delete on contacts;
--> statement-breakpoint
create trigger rollup_contacts_delete after delete on contacts referencing old table as old_rows for each statement execute function rollup_contacts();
--> statement-breakpoint
create or replace function rollup_follow_ups() returns trigger language plpgsql as $rollup$
begin
  if TG_OP = 'INSERT' then
    insert into daily_stats as s (day, province_code, commune_code, metric, value)
      select day, province_code, commune_code, metric, sum(n) from (
        select f.day as day, f.province_code as province_code, coalesce(f.commune_code::text, '') as commune_code, 'follow_ups' as metric, 1 as n from new_rows f where f.day is not null
        union all
        select f.day as day, f.province_code as province_code, coalesce(f.commune_code::text, '') as commune_code, 'follow_ups_reached' as metric, 1 as n from new_rows f where (f.reached) and f.day is not null
      ) x group by day, province_code, commune_code, metric having sum(n) <> 0 order by 1, 2, 3, 4
      on conflict (day, province_code, commune_code, metric) do update set value = s.value + excluded.value;
  elsif TG_OP = 'UPDATE' then
    insert into daily_stats as s (day, province_code, commune_code, metric, value)
      select day, province_code, commune_code, metric, sum(n) from (
        select f.day as day, f.province_code as province_code, coalesce(f.commune_code::text, '') as commune_code, 'follow_ups' as metric, 1 as n from new_rows f where f.day is not null
        union all
        select f.day as day, f.province_code as province_code, coalesce(f.commune_code::text, '') as commune_code, 'follow_ups_reached' as metric, 1 as n from new_rows f where (f.reached) and f.day is not null
        union all
        select f.day as day, f.province_code as province_code, coalesce(f.commune_code::text, '') as commune_code, 'follow_ups' as metric, -1 as n from old_rows f where f.day is not null
        union all
        select f.day as day, f.province_code as province_code, coalesce(f.commune_code::text, '') as commune_code, 'follow_ups_reached' as metric, -1 as n from old_rows f where (f.reached) and f.day is not null
      ) x group by day, province_code, commune_code, metric having sum(n) <> 0 order by 1, 2, 3, 4
      on conflict (day, province_code, commune_code, metric) do update set value = s.value + excluded.value;
  else
    insert into daily_stats as s (day, province_code, commune_code, metric, value)
      select day, province_code, commune_code, metric, sum(n) from (
        select f.day as day, f.province_code as province_code, coalesce(f.commune_code::text, '') as commune_code, 'follow_ups' as metric, -1 as n from old_rows f where f.day is not null
        union all
        select f.day as day, f.province_code as province_code, coalesce(f.commune_code::text, '') as commune_code, 'follow_ups_reached' as metric, -1 as n from old_rows f where (f.reached) and f.day is not null
      ) x group by day, province_code, commune_code, metric having sum(n) <> 0 order by 1, 2, 3, 4
      on conflict (day, province_code, commune_code, metric) do update set value = s.value + excluded.value;
  end if;
  return null;
end
$rollup$;
--> statement-breakpoint
drop trigger if exists rollup_follow_ups_insert on follow_ups;
--> statement-breakpoint
create trigger rollup_follow_ups_insert after insert on follow_ups referencing new table as new_rows for each statement execute function rollup_follow_ups();
--> statement-breakpoint
drop trigger if exists rollup_follow_ups_update on follow_ups;
--> statement-breakpoint
create trigger rollup_follow_ups_update after update on follow_ups referencing old table as old_rows new table as new_rows for each statement execute function rollup_follow_ups();
--> statement-breakpoint
drop trigger if exists rollup_follow_ups_delete on follow_ups;
--> statement-breakpoint
create trigger rollup_follow_ups_delete after delete on follow_ups referencing old table as old_rows for each statement execute function rollup_follow_ups();

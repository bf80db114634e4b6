-- Roll-up triggers (docs/STATS.md): filled in by the roll-up work of issue 8.
select 1;

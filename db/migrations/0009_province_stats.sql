CREATE TABLE "daily_province_stats" (
	"day" date NOT NULL,
	"province_code" char(2) NOT NULL,
	"metric" text NOT NULL,
	"value" bigint DEFAULT 0 NOT NULL,
	CONSTRAINT "daily_province_stats_day_province_code_metric_pk" PRIMARY KEY("day","province_code","metric")
);
--> statement-breakpoint
CREATE INDEX "daily_province_stats_metric_idx" ON "daily_province_stats" USING btree ("metric","day");--> statement-breakpoint
-- Province totals follow every change of daily_stats (the roll-up triggers' upserts included):
-- the rows a statement added minus the rows it removed, grouped, one upsert per statement.
CREATE FUNCTION daily_stats_province_apply() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'INSERT' THEN
    INSERT INTO daily_province_stats AS p (day, province_code, metric, value)
    SELECT day, province_code, metric, sum(value) FROM new_rows
    WHERE metric NOT IN ('visitors', 'venues_active') OR commune_code = ''
    GROUP BY 1, 2, 3
    ON CONFLICT (day, province_code, metric) DO UPDATE SET value = p.value + excluded.value;
  ELSIF TG_OP = 'UPDATE' THEN
    INSERT INTO daily_province_stats AS p (day, province_code, metric, value)
    SELECT day, province_code, metric, sum(value) FROM (
      SELECT day, province_code, commune_code, metric, value FROM new_rows
      UNION ALL
      SELECT day, province_code, commune_code, metric, -value FROM old_rows
    ) d
    WHERE metric NOT IN ('visitors', 'venues_active') OR commune_code = ''
    GROUP BY 1, 2, 3
    HAVING sum(value) <> 0
    ON CONFLICT (day, province_code, metric) DO UPDATE SET value = p.value + excluded.value;
  ELSE
    INSERT INTO daily_province_stats AS p (day, province_code, metric, value)
    SELECT day, province_code, metric, -sum(value) FROM old_rows
    WHERE metric NOT IN ('visitors', 'venues_active') OR commune_code = ''
    GROUP BY 1, 2, 3
    ON CONFLICT (day, province_code, metric) DO UPDATE SET value = p.value + excluded.value;
  END IF;
  RETURN NULL;
END $$;
--> statement-breakpoint
CREATE TRIGGER daily_stats_province_insert AFTER INSERT ON daily_stats REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION daily_stats_province_apply();
--> statement-breakpoint
CREATE TRIGGER daily_stats_province_update AFTER UPDATE ON daily_stats REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION daily_stats_province_apply();
--> statement-breakpoint
CREATE TRIGGER daily_stats_province_delete AFTER DELETE ON daily_stats REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION daily_stats_province_apply();
--> statement-breakpoint
CREATE FUNCTION daily_stats_province_truncate() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  TRUNCATE daily_province_stats;
  RETURN NULL;
END $$;
--> statement-breakpoint
CREATE TRIGGER daily_stats_province_truncate AFTER TRUNCATE ON daily_stats FOR EACH STATEMENT EXECUTE FUNCTION daily_stats_province_truncate();
--> statement-breakpoint
INSERT INTO daily_province_stats (day, province_code, metric, value)
SELECT day, province_code, metric, sum(value) FROM daily_stats
WHERE metric NOT IN ('visitors', 'venues_active') OR commune_code = ''
GROUP BY 1, 2, 3;

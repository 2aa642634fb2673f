-- The scheduler's memory: the cron occurrence it last fired per feed, advanced with a compare-and-set so only
-- one scheduler fires an occurrence even if two believe they lead for a moment.
ALTER TABLE feeds ADD COLUMN last_scheduled_at timestamptz;

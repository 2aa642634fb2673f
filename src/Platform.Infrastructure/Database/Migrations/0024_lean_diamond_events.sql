-- Change events kept to what writing them needs (ADR 0043). A first load writes one 'created' event per stone, and
-- each cost a heap row, three index entries, an identity value and a foreign-key check that locked the new catalog
-- row and logged the lock: 2.2 of a 10-second consolidation at 200 000 stones. What stays: the row, and one key that
-- both identifies the event and keeps a repeated step from writing it twice.

-- The key is (diamond, run, type); the surrogate id and its sequence go. Nothing reads events by organization and
-- time yet; the reader that does brings its index.
DROP INDEX diamond_events_org_idx;
ALTER TABLE diamond_events DROP CONSTRAINT diamond_events_pkey;
ALTER TABLE diamond_events DROP COLUMN id;
ALTER TABLE diamond_events DROP CONSTRAINT diamond_events_diamond_id_run_id_type_key;
ALTER TABLE diamond_events ADD CONSTRAINT diamond_events_pkey PRIMARY KEY (diamond_id, run_id, type);

-- Events go with their stone, as the foreign key's cascade did, once per deleting statement instead of one check per
-- event. Stones are deleted only with their feed or organization; every event is written in the statement that
-- inserts or locks its stone, under the feed's key-share lock that the stone's own foreign key takes, so no event
-- can be written for a stone that is being deleted.
ALTER TABLE diamond_events DROP CONSTRAINT diamond_events_diamond_id_fkey;

CREATE FUNCTION delete_events_of_deleted_diamonds() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    DELETE FROM diamond_events e USING deleted_diamonds d WHERE e.diamond_id = d.id;
    RETURN NULL;
END $$;

CREATE TRIGGER diamonds_delete_events AFTER DELETE ON diamonds
    REFERENCING OLD TABLE AS deleted_diamonds
    FOR EACH STATEMENT EXECUTE FUNCTION delete_events_of_deleted_diamonds();

-- How many conversations a counsellor takes at once; a supervisor sets it.
ALTER TABLE staff_account ADD COLUMN capacity INTEGER NOT NULL DEFAULT 3 CHECK (capacity BETWEEN 1 AND 20);

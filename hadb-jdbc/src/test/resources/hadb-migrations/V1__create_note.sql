-- the table; a semicolon in a comment; does not split
CREATE TABLE note(id INTEGER PRIMARY KEY, body TEXT NOT NULL, edits INTEGER NOT NULL DEFAULT 0);

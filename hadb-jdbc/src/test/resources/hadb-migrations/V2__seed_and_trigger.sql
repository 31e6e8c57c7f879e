INSERT INTO note(body) VALUES ('first; with a semicolon');
CREATE TRIGGER note_edit AFTER UPDATE OF body ON note BEGIN
  UPDATE note SET edits = edits + 1 WHERE id = NEW.id;
END;

package io.hadb.api.engine;

import java.util.List;

/**
 * A replicated table that remembers which schema scripts ran, by the SHA-256 of their text, so a
 * script runs once per database whatever the number of nodes and failovers. The statements of
 * {@link #record} run in the same atomic batch as the script itself: the record and the schema
 * reach the chain together or not at all, and a second run fails on the record's key.
 */
public interface SchemaRecord {

  /** Whether a script with this hash ran on the database {@code executor} reads. */
  boolean contains(Executor executor, String scriptHash);

  /** Statements that create the record if needed and insert {@code scriptHash}, to run first in the batch. */
  List<SqlStatement> record(String scriptHash, int statementCount);
}

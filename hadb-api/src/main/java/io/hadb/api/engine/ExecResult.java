package io.hadb.api.engine;

/**
 * What a mutation did.
 *
 * @param rowsAffected rows inserted, updated or deleted
 * @param lastInsertId the engine's last insert row id after the statement (0 when none)
 */
public record ExecResult(long rowsAffected, long lastInsertId) {}

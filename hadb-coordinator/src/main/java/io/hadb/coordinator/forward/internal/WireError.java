package io.hadb.coordinator.forward.internal;

import io.hadb.api.ErrorCode;

/**
 * An error answer from the leader.
 *
 * @param code the {@link ErrorCode} the leader's executor raised (or NOT_LEADER, UNAVAILABLE, …)
 * @param statementIndex the 0-based index of the failing statement, or -1 when not known
 * @param message the engine's message (never the parameters)
 */
public record WireError(ErrorCode code, int statementIndex, String message) {}

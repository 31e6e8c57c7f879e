package io.hadb.cli.http;

import io.hadb.api.ErrorCode;
import io.hadb.api.HadbException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * How a failed call is answered on the wire, following the error contract of DESIGN §6.4: the
 * status says who must act (400: fix the request, never retried; 503: retry, with a
 * {@code Retry-After}), and the body says whether the write applied: {@code "applied": false}
 * for a definite failure, {@code "unknown"} for UNKNOWN_OUTCOME (retry with the same
 * idempotency key, and it applies at most once).
 */
final class ErrorReply {
  private ErrorReply() {}

  /** Seconds a client waits before retrying a 503: about a poll interval, short against a takeover. */
  static final int RETRY_AFTER_SECONDS = 1;

  static int status(ErrorCode code) {
    return switch (code) {
      case SQL_ERROR, INVALID_ARGUMENT, UNSUPPORTED -> 400;
      case NOT_FOUND -> 404;
      case NOT_LEADER, UNAVAILABLE, TIMEOUT, UNKNOWN_OUTCOME, CLOSED -> 503;
      case FENCED, CORRUPT, INTERNAL -> 500;
    };
  }

  /** A refusal before anything ran: {@code {"error":…,"code":…,"applied":false}}, in that order. */
  static Map<String, Object> refused(String code, String message) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("error", message);
    m.put("code", code);
    m.put("applied", false);
    return m;
  }

  static Map<String, Object> body(HadbException e) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("error", e.getMessage());
    m.put("code", e.code().name());
    m.put("applied", switch (e.code()) {
      case UNKNOWN_OUTCOME -> "unknown";
      case FENCED, CORRUPT, INTERNAL -> "unknown";
      default -> false;
    });
    if (e.code() == ErrorCode.UNKNOWN_OUTCOME) {
      m.put("retry", "send the same request again with the same Idempotency-Key: it applies at most once");
    } else if (status(e.code()) == 503) {
      m.put("retry", "no leader answered; retry after " + RETRY_AFTER_SECONDS + " s (nothing applied)");
    }
    return m;
  }
}

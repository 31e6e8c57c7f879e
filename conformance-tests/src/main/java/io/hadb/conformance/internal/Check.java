package io.hadb.conformance.internal;

import io.hadb.api.CasResult;
import io.hadb.api.ErrorCode;
import io.hadb.api.HadbException;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Objects;
import java.util.function.Supplier;
import org.opentest4j.AssertionFailedError;

/**
 * Assertions that name the rule they prove and say what to look at, so a failing run of the kit
 * against a third-party store explains itself without reading the kit's source.
 */
public final class Check {
  private Check() {}

  /** A call under test; may throw anything. */
  @FunctionalInterface
  public interface Call {
    void run() throws Exception;
  }

  public static AssertionFailedError failure(String rule, String what, String check) {
    return new AssertionFailedError(message(rule, what, check));
  }

  public static AssertionFailedError failure(String rule, String what, String check, Throwable cause) {
    return new AssertionFailedError(message(rule, what, check), cause);
  }

  public static String message(String rule, String what, String check) {
    return "[" + rule + "] " + what + "\n  check: " + check
        + "\n  (rule " + rule + " in conformance-tests/SPEC.md)";
  }

  public static void that(boolean condition, String rule, Supplier<String> what, String check) {
    if (!condition) {
      throw failure(rule, what.get(), check);
    }
  }

  /** A compare-and-set that must win; returns the version it wrote. */
  public static long won(CasResult r, String rule, String call, String check) {
    that(r != null && r.isWon(), rule, () -> call + " returned " + r + "; expected a win", check);
    return r.version();
  }

  /** A compare-and-set that must lose. */
  public static void lost(CasResult r, String rule, String call, String check) {
    that(r != null && !r.isWon(), rule, () -> call + " returned " + r + "; expected lost", check);
  }

  public static void equal(Object expected, Object actual, String rule, String what, String check) {
    if (!Objects.equals(expected, actual)) {
      throw new AssertionFailedError(
          message(rule, what + ": expected " + expected + " but was " + actual, check), expected, actual);
    }
  }

  /**
   * Runs {@code call}, which must throw a {@link HadbException} with {@code code} whose message
   * mentions one of {@code mentions} (case-insensitive), so a user learns what was wrong.
   */
  public static HadbException rejects(
      ErrorCode code, String rule, String call, Call body, String check, String... mentions) {
    Throwable thrown = null;
    try {
      body.run();
    } catch (Throwable t) {
      thrown = t;
    }
    if (thrown == null) {
      throw failure(rule, call + " returned normally; it must throw HadbException(" + code + ")", check);
    }
    if (!(thrown instanceof HadbException e)) {
      throw failure(rule, call + " threw " + thrown + "; it must throw HadbException(" + code + ")",
          check, thrown);
    }
    if (e.code() != code) {
      throw failure(rule, call + " threw HadbException with code " + e.code() + "; expected " + code
          + " (message: " + e.getMessage() + ")", check, e);
    }
    if (mentions.length > 0) {
      String msg = String.valueOf(e.getMessage()).toLowerCase(Locale.ROOT);
      boolean named = false;
      for (String m : mentions) {
        named |= msg.contains(m.toLowerCase(Locale.ROOT));
      }
      if (!named) {
        throw failure(rule, call + " threw " + code + " but its message does not name the problem"
            + " (expected it to mention one of " + String.join(", ", mentions) + "): " + e.getMessage(),
            "exception messages must say what was wrong, e.g. by using io.hadb.api.Keys,"
                + " LeaseStore.checkValue/checkVersion and StorageBackend.checkLimit", e);
      }
    }
    return e;
  }

  /** Runs a call that must not throw; an exception fails the rule with the call named. */
  public static <T> T noThrow(String rule, String call, Supplier<T> body, String check) {
    try {
      return body.get();
    } catch (RuntimeException e) {
      throw failure(rule, call + " threw " + e, check, e);
    }
  }

  /** A short, printable form of some bytes. */
  public static String bytes(byte[] b) {
    if (b == null) {
      return "null";
    }
    int n = Math.min(b.length, 16);
    return b.length + " bytes [" + HexFormat.of().formatHex(b, 0, n) + (b.length > n ? "…" : "") + "]";
  }
}

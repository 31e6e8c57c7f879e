package io.hadb.conformance.internal;

import java.security.SecureRandom;
import java.util.Locale;

/**
 * Knobs of the kit, read from system properties so a subclass against a slow real server can
 * turn them down (and a soak run up) without code changes.
 */
public final class Kit {
  /** Number of generated action sequences per model-based rule. */
  public static final String TRIES = "hadb.conformance.tries";
  /** Threads per race (at least 16 unless lowered here on purpose). */
  public static final String RACE_THREADS = "hadb.conformance.raceThreads";
  /** How many times each race is repeated, on fresh keys. */
  public static final String RACE_ROUNDS = "hadb.conformance.raceRounds";
  /** Size of the object of the streaming rule, in MiB. */
  public static final String LARGE_OBJECT_MIB = "hadb.conformance.largeObjectMiB";
  /** Seconds a single store call may take before the kit calls it hung. */
  public static final String CALL_TIMEOUT_SECONDS = "hadb.conformance.callTimeoutSeconds";

  /** Seconds the optional watch rules wait for a callback that must come. */
  public static final String WATCH_SECONDS = "hadb.conformance.watchSeconds";
  /**
   * Extra client URIs of the namespace under test, one per line, for the contracts the probe runs
   * (a subclass overrides {@code clientUris()} instead).
   */
  public static final String CLIENT_URIS = "hadb.conformance.clientUris";

  private static final SecureRandom RANDOM = new SecureRandom();

  private Kit() {}

  public static int tries() {
    return intProperty(TRIES, 60, 1);
  }

  public static int raceThreads() {
    return intProperty(RACE_THREADS, 16, 2);
  }

  public static int raceRounds() {
    return intProperty(RACE_ROUNDS, 6, 1);
  }

  public static long largeObjectBytes() {
    return intProperty(LARGE_OBJECT_MIB, 12, 1) * 1024L * 1024L;
  }

  public static int watchSeconds() {
    return intProperty(WATCH_SECONDS, 10, 1);
  }

  public static int callTimeoutSeconds() {
    return intProperty(CALL_TIMEOUT_SECONDS, 60, 1);
  }

  /**
   * A fresh key prefix ("kit-" + random + "/"), so every test has its own keys and many tests and
   * re-runs share one namespace without cleaning up.
   */
  public static String newPrefix() {
    return "kit-" + Long.toString(RANDOM.nextLong() & Long.MAX_VALUE, 36).toLowerCase(Locale.ROOT) + "/";
  }

  private static int intProperty(String name, int defaultValue, int min) {
    String v = System.getProperty(name);
    if (v == null || v.isBlank()) {
      return defaultValue;
    }
    try {
      return Math.max(min, Integer.parseInt(v.strip()));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("system property " + name + " must be a whole number, was '" + v + "'", e);
    }
  }
}

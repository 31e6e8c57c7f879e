package io.hadb.cli;

import java.time.Duration;
import java.util.Optional;

/** Durations as users write them: {@code 500ms}, {@code 2s}, {@code 1.5s}, {@code 1m}, or bare milliseconds. */
public final class Durations {
  private Durations() {}

  /** The duration {@code s} names, or empty when it is not one. */
  public static Optional<Duration> parse(String s) {
    try {
      if (s.endsWith("ms")) {
        return Optional.of(Duration.ofMillis(Long.parseLong(s.substring(0, s.length() - 2))));
      }
      if (s.endsWith("s")) {
        return Optional.of(Duration.ofMillis(Math.round(Double.parseDouble(s.substring(0, s.length() - 1)) * 1000)));
      }
      if (s.endsWith("m")) {
        return Optional.of(Duration.ofMinutes(Long.parseLong(s.substring(0, s.length() - 1))));
      }
      if (s.endsWith("h")) {
        return Optional.of(Duration.ofHours(Long.parseLong(s.substring(0, s.length() - 1))));
      }
      return Optional.of(Duration.ofMillis(Long.parseLong(s)));
    } catch (NumberFormatException e) {
      return Optional.empty();
    }
  }
}

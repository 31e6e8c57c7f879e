package io.hadb.api;

/**
 * What every plug-in provider has: the URI scheme it serves, a priority for when two providers
 * claim one scheme, and whether it can run here. Providers are found with
 * {@link java.util.ServiceLoader}; they have a public no-argument constructor that never throws
 * and does no I/O (work happens in {@code open}).
 */
public interface Provider {

  /** The URI scheme, lower case, without ':' — {@code mem}, {@code file}, {@code s3}, … */
  String scheme();

  /** When two providers serve one scheme the highest priority wins, with a warning. */
  default int priority() {
    return 0;
  }

  /** False when a required native library or class is missing; such a provider is skipped. */
  default boolean isAvailable() {
    return true;
  }

  /** The Maven artifact that holds this provider, for messages. */
  default String artifact() {
    return getClass().getName();
  }
}

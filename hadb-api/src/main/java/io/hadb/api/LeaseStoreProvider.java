package io.hadb.api;

/** Opens {@link LeaseStore}s for one URI scheme. Registered with {@code @AutoService}. */
public interface LeaseStoreProvider extends Provider {

  /**
   * Opens a client for {@code uri}. Two stores opened from equal URIs share one namespace: what
   * one writes the other reads. Invalid URIs throw {@link ErrorCode#INVALID_ARGUMENT} naming the
   * offending part; an unreachable server throws {@link ErrorCode#UNAVAILABLE}.
   */
  LeaseStore open(HadbUri uri);
}

package io.hadb.api;

/** Opens {@link StorageBackend}s for one URI scheme. Registered with {@code @AutoService}. */
public interface StorageBackendProvider extends Provider {

  /**
   * Opens a client for {@code uri}. Two backends opened from equal URIs see the same objects.
   * Invalid URIs throw {@link ErrorCode#INVALID_ARGUMENT} naming the offending part.
   */
  StorageBackend open(HadbUri uri);
}

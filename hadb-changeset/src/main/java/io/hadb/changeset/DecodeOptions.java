package io.hadb.changeset;

import io.hadb.api.HadbException;
import java.util.Optional;

/**
 * What a reader may use and allocate.
 *
 * @param key the key for encrypted bodies; without it a reader still verifies the checksum and
 *     the chain, but cannot hand out pages or entries
 * @param maxChunkSize the largest frame a reader accepts (and so the most it allocates for one
 *     decompressed or decrypted frame); at most {@value Limits#MAX_CHUNK_SIZE}
 * @param maxEntrySize the largest journal entry payload a reader accepts; at most
 *     {@value Limits#MAX_ENTRY_SIZE}
 */
public record DecodeOptions(Optional<EncryptionKey> key, int maxChunkSize, int maxEntrySize) {

  public DecodeOptions {
    HadbException.requireArg(key, "key");
    if (maxChunkSize < Limits.MIN_CHUNK_SIZE || maxChunkSize > Limits.MAX_CHUNK_SIZE) {
      throw HadbException.invalidArgument(
          "maxChunkSize must be " + Limits.MIN_CHUNK_SIZE + ".." + Limits.MAX_CHUNK_SIZE
              + ", was " + maxChunkSize);
    }
    if (maxEntrySize < 0 || maxEntrySize > Limits.MAX_ENTRY_SIZE) {
      throw HadbException.invalidArgument(
          "maxEntrySize must be 0.." + Limits.MAX_ENTRY_SIZE + ", was " + maxEntrySize);
    }
  }

  /** No key, the format's limits. */
  public static DecodeOptions defaults() {
    return new DecodeOptions(Optional.empty(), Limits.MAX_CHUNK_SIZE, Limits.MAX_ENTRY_SIZE);
  }

  public static DecodeOptions withKey(EncryptionKey key) {
    return defaults().key(key);
  }

  public DecodeOptions key(EncryptionKey k) {
    return new DecodeOptions(
        Optional.of(HadbException.requireArg(k, "key")), maxChunkSize, maxEntrySize);
  }

  public DecodeOptions withMaxChunkSize(int n) {
    return new DecodeOptions(key, n, maxEntrySize);
  }

  public DecodeOptions withMaxEntrySize(int n) {
    return new DecodeOptions(key, maxChunkSize, n);
  }
}

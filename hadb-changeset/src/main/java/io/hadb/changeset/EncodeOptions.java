package io.hadb.changeset;

import io.hadb.api.HadbException;
import java.util.Optional;

/**
 * How a writer stores a body: compression, encryption, frame size.
 *
 * @param compression {@link Compression#NONE} or {@link Compression#ZSTD}
 * @param zstdLevel zstd level 1–19 (used only with ZSTD)
 * @param key the AES-256-GCM key, or empty for no encryption
 * @param chunkSize plaintext bytes per frame of a compressed or encrypted body, a power of two
 *     from {@value Limits#MIN_CHUNK_SIZE} to {@value Limits#MAX_CHUNK_SIZE}; a plain body has
 *     no frames and stores 0
 * @param nonces where the base nonce of an encrypted body comes from
 */
public record EncodeOptions(
    Compression compression,
    int zstdLevel,
    Optional<EncryptionKey> key,
    int chunkSize,
    NonceSource nonces) {

  public static final int DEFAULT_CHUNK_SIZE = 1 << 20;
  public static final int DEFAULT_ZSTD_LEVEL = 3;

  public EncodeOptions {
    HadbException.requireArg(compression, "compression");
    HadbException.requireArg(key, "key");
    HadbException.requireArg(nonces, "nonces");
    if (zstdLevel < 1 || zstdLevel > 19) {
      throw HadbException.invalidArgument("zstdLevel must be 1..19, was " + zstdLevel);
    }
    if (!Limits.isValidChunkSize(chunkSize)) {
      throw HadbException.invalidArgument(
          "chunkSize must be a power of two from " + Limits.MIN_CHUNK_SIZE + " to "
              + Limits.MAX_CHUNK_SIZE + ", was " + chunkSize);
    }
  }

  /** No compression, no encryption: the body is the page stream itself. */
  public static EncodeOptions plain() {
    return new EncodeOptions(
        Compression.NONE, DEFAULT_ZSTD_LEVEL, Optional.empty(), DEFAULT_CHUNK_SIZE,
        NonceSource.secureRandom());
  }

  public EncodeOptions withZstd() {
    return withCompression(Compression.ZSTD);
  }

  public EncodeOptions withCompression(Compression c) {
    return new EncodeOptions(c, zstdLevel, key, chunkSize, nonces);
  }

  public EncodeOptions withZstdLevel(int level) {
    return new EncodeOptions(compression, level, key, chunkSize, nonces);
  }

  public EncodeOptions withEncryption(EncryptionKey k) {
    return new EncodeOptions(
        compression, zstdLevel, Optional.of(HadbException.requireArg(k, "key")), chunkSize,
        nonces);
  }

  public EncodeOptions withoutEncryption() {
    return new EncodeOptions(compression, zstdLevel, Optional.empty(), chunkSize, nonces);
  }

  public EncodeOptions withChunkSize(int size) {
    return new EncodeOptions(compression, zstdLevel, key, size, nonces);
  }

  public EncodeOptions withNonces(NonceSource source) {
    return new EncodeOptions(compression, zstdLevel, key, chunkSize, source);
  }

  /** Whether the body is framed (compressed or encrypted) rather than stored as is. */
  public boolean framed() {
    return compression != Compression.NONE || key.isPresent();
  }
}

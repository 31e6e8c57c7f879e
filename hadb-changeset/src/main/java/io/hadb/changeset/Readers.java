package io.hadb.changeset;

import io.hadb.api.HadbException;
import io.hadb.changeset.internal.ObjectReader;
import java.io.InputStream;

/** Opens the shared object reader with the caller's key, if any. */
final class Readers {
  private Readers() {}

  static ObjectReader open(
      String name, InputStream in, long length, DecodeOptions options, Format expected) {
    HadbException.requireArg(in, "in");
    HadbException.requireArg(options, "options");
    if (length < -1) {
      throw HadbException.invalidArgument("length must be -1 (unknown) or >= 0, was " + length);
    }
    EncryptionKey key = options.key().orElse(null);
    return ObjectReader.open(name, in, length, options, expected,
        key == null ? null : key.secretKey(), key == null ? 0 : key.keyId());
  }
}

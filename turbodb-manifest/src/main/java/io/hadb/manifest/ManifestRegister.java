package io.hadb.manifest;

import io.hadb.api.HadbException;
import io.hadb.api.Versioned;
import io.hadb.api.manifest.Manifest;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.zip.CRC32C;

/**
 * The bytes of a manifest's lease register: magic {@code HDBM}, format 1, the writer's epoch,
 * the document's length, the document, and a CRC-32C of everything before it. The epoch sits
 * in the register beside the document so the fence needs no knowledge of the document, and the
 * CRC tells a damaged register from a manifest (a damaged one fails {@code CORRUPT} naming its
 * key and version, never reads as an older epoch).
 */
final class ManifestRegister {
  private static final byte[] MAGIC = "HDBM".getBytes(StandardCharsets.US_ASCII);
  private static final byte FORMAT = 1;
  private static final int FIXED = MAGIC.length + 1 + 8 + 4 + 4;

  private ManifestRegister() {}

  static byte[] encode(long epoch, byte[] document) {
    ByteBuffer b = ByteBuffer.allocate(FIXED + document.length);
    b.put(MAGIC).put(FORMAT).putLong(epoch).putInt(document.length).put(document);
    CRC32C crc = new CRC32C();
    crc.update(b.array(), 0, b.position());
    b.putInt((int) crc.getValue());
    return b.array();
  }

  static Manifest decode(String key, Versioned v) {
    byte[] raw = v.value();
    String where = "manifest register " + key + " (version " + v.version() + ")";
    if (raw.length < FIXED) {
      throw HadbException.corrupt(where + " is " + raw.length + " bytes, shorter than any manifest;"
          + " rebuild the manifest from storage (DESIGN §10)");
    }
    ByteBuffer b = ByteBuffer.wrap(raw);
    byte[] magic = new byte[MAGIC.length];
    b.get(magic);
    if (!java.util.Arrays.equals(magic, MAGIC)) {
      throw HadbException.corrupt(where + " does not start with HDBM: not a manifest; rebuild it from"
          + " storage (DESIGN §10)");
    }
    byte format = b.get();
    if (format != FORMAT) {
      throw HadbException.corrupt(where + " has format " + format + "; this library reads format " + FORMAT);
    }
    long epoch = b.getLong();
    int length = b.getInt();
    if (length < 0 || length != raw.length - FIXED) {
      throw HadbException.corrupt(where + " says its document is " + length + " bytes but holds "
          + (raw.length - FIXED) + "; rebuild the manifest from storage (DESIGN §10)");
    }
    byte[] document = new byte[length];
    b.get(document);
    CRC32C crc = new CRC32C();
    crc.update(raw, 0, b.position());
    int stored = b.getInt();
    if (stored != (int) crc.getValue()) {
      throw HadbException.corrupt(where + " fails its CRC-32C check; rebuild the manifest from storage"
          + " (DESIGN §10)");
    }
    if (epoch < 1) {
      throw HadbException.corrupt(where + " carries epoch " + epoch + "; epochs start at 1");
    }
    return new Manifest(document, epoch, v.version());
  }
}

package io.hadb.lease.storage.internal;

import io.hadb.api.HadbException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.zip.CRC32C;

/**
 * One immutable version of a register, as stored in one object (format 1, big-endian):
 *
 * <pre>
 * offset  size  field
 *      0     4  magic "HDBL"
 *      4     1  format, 1
 *      5     1  flags: bit 0 = tombstone (the key was deleted at this version); others must be 0
 *      6     2  reserved, 0
 *      8     8  version (equals the version in the object's name)
 *     16    16  nonce: random, unique to this write
 *     32     1  h, the number of history entries (0-32)
 *     33  16*h  history: the nonces of the versions before this one, newest first
 *                (entry i is version - 1 - i), copied from the record this write replaced
 *  33+16h    2  key length k (UTF-8 bytes)
 *      …     k  key
 *      …     4  value length n
 *      …     n  value
 *      …     4  CRC-32C of every byte before it
 * </pre>
 *
 * <p>The nonce makes every write's bytes unique, so a backend resolving an ambiguous
 * put-if-absent by comparing bytes can only ever match the caller's own write. The history lets
 * a writer learn, from the newest version alone, which write really holds each of the 32
 * versions below it (see the README's proof).
 */
public record LeaseRecord(
    long version, boolean tombstone, byte[] nonce, List<byte[]> history, String key, byte[] value) {
  public static final int NONCE_BYTES = 16;
  /** How many earlier nonces a record carries. */
  public static final int HISTORY = 32;
  private static final byte[] MAGIC = {'H', 'D', 'B', 'L'};
  private static final byte FORMAT = 1;
  private static final int FLAG_TOMBSTONE = 1;
  private static final int FIXED = 4 + 1 + 1 + 2 + 8 + NONCE_BYTES + 1 + 2 + 4 + 4;
  private static final SecureRandom RANDOM = new SecureRandom();

  public LeaseRecord {
    nonce = nonce.clone();
    if (nonce.length != NONCE_BYTES || history.size() > HISTORY) {
      throw new IllegalArgumentException("bad nonce or history size");
    }
    List<byte[]> h = new ArrayList<>(history.size());
    for (byte[] n : history) {
      if (n.length != NONCE_BYTES) {
        throw new IllegalArgumentException("bad history nonce");
      }
      h.add(n.clone());
    }
    history = Collections.unmodifiableList(h);
    value = value.clone();
  }

  /** The record of version {@code version} written over {@code predecessor} (none for a first). */
  public static LeaseRecord next(
      Optional<LeaseRecord> predecessor, long version, boolean tombstone, String key, byte[] value) {
    List<byte[]> history = new ArrayList<>();
    predecessor.ifPresent(p -> {
      history.add(p.nonce);
      history.addAll(p.history.subList(0, Math.min(p.history.size(), HISTORY - 1)));
    });
    byte[] nonce = new byte[NONCE_BYTES];
    RANDOM.nextBytes(nonce);
    return new LeaseRecord(version, tombstone, nonce, history, key, value);
  }

  @Override
  public byte[] nonce() {
    return nonce.clone();
  }

  @Override
  public byte[] value() {
    return value.clone();
  }

  public boolean hasNonce(byte[] n) {
    return Arrays.equals(nonce, n);
  }

  /**
   * The nonce this record says version {@code v} (below its own) was written with, or empty when
   * {@code v} is beyond its history.
   */
  public Optional<byte[]> nonceOf(long v) {
    long back = version - 1 - v;
    if (v < 1 || back < 0 || back >= history.size()) {
      return Optional.empty();
    }
    return Optional.of(history.get((int) back).clone());
  }

  public byte[] encode() {
    byte[] k = key.getBytes(StandardCharsets.UTF_8);
    ByteBuffer b = ByteBuffer.allocate(FIXED + NONCE_BYTES * history.size() + k.length + value.length);
    b.put(MAGIC).put(FORMAT).put((byte) (tombstone ? FLAG_TOMBSTONE : 0)).putShort((short) 0)
        .putLong(version).put(nonce).put((byte) history.size());
    history.forEach(b::put);
    b.putShort((short) k.length).put(k).putInt(value.length).put(value);
    CRC32C crc = new CRC32C();
    crc.update(b.array(), 0, b.position());
    b.putInt((int) crc.getValue());
    return b.array();
  }

  /**
   * Decodes and checks the object named for {@code expectedKey} at {@code expectedVersion}; any
   * mismatch is {@link io.hadb.api.ErrorCode#CORRUPT}, naming the object. No length read from
   * the bytes is trusted before it is checked against the bytes present.
   */
  public static LeaseRecord decode(byte[] bytes, String expectedKey, long expectedVersion, String objectName) {
    if (bytes.length < FIXED) {
      throw corrupt(objectName, "is " + bytes.length + " bytes, shorter than any lease record");
    }
    ByteBuffer b = ByteBuffer.wrap(bytes);
    byte[] magic = new byte[4];
    b.get(magic);
    if (!Arrays.equals(magic, MAGIC)) {
      throw corrupt(objectName, "does not start with the lease record magic 'HDBL'");
    }
    CRC32C crc = new CRC32C();
    crc.update(bytes, 0, bytes.length - 4);
    if ((int) crc.getValue() != ByteBuffer.wrap(bytes, bytes.length - 4, 4).getInt()) {
      throw corrupt(objectName, "fails its CRC-32C check");
    }
    byte format = b.get();
    if (format != FORMAT) {
      throw corrupt(objectName, "has lease record format " + format + ", this version reads " + FORMAT);
    }
    int flags = b.get() & 0xff;
    if ((flags & ~FLAG_TOMBSTONE) != 0 || b.getShort() != 0) {
      throw corrupt(objectName, "has unknown flags " + Integer.toBinaryString(flags));
    }
    long version = b.getLong();
    if (version != expectedVersion) {
      throw corrupt(objectName, "holds version " + version + " but its name says " + expectedVersion);
    }
    byte[] nonce = new byte[NONCE_BYTES];
    b.get(nonce);
    int count = b.get() & 0xff;
    if (count > HISTORY || count > version - 1 || (long) count * NONCE_BYTES > b.remaining() - 10) {
      throw corrupt(objectName, "declares " + count + " history entries, which it cannot hold");
    }
    List<byte[]> history = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      byte[] n = new byte[NONCE_BYTES];
      b.get(n);
      history.add(n);
    }
    int keyLength = b.getShort() & 0xffff;
    if (keyLength > b.remaining() - 8) {
      throw corrupt(objectName, "declares a " + keyLength + "-byte key that the object does not hold");
    }
    byte[] k = new byte[keyLength];
    b.get(k);
    String key = new String(k, StandardCharsets.UTF_8);
    if (!key.equals(expectedKey)) {
      throw corrupt(objectName, "belongs to key '" + abbreviate(key) + "', not '" + abbreviate(expectedKey) + "'");
    }
    int valueLength = b.getInt();
    if (valueLength < 0 || valueLength != b.remaining() - 4) {
      throw corrupt(objectName, "declares a " + valueLength + "-byte value but holds "
          + (b.remaining() - 4) + " bytes");
    }
    byte[] value = new byte[valueLength];
    b.get(value);
    return new LeaseRecord(version, (flags & FLAG_TOMBSTONE) != 0, nonce, history, key, value);
  }

  private static String abbreviate(String s) {
    return s.length() <= 80 ? s : s.substring(0, 80) + "…";
  }

  private static HadbException corrupt(String objectName, String what) {
    return HadbException.corrupt("lease object '" + objectName + "' " + what);
  }

  @Override
  public boolean equals(Object o) {
    if (!(o instanceof LeaseRecord r) || r.version != version || r.tombstone != tombstone
        || !Arrays.equals(r.nonce, nonce) || !r.key.equals(key) || !Arrays.equals(r.value, value)
        || r.history.size() != history.size()) {
      return false;
    }
    for (int i = 0; i < history.size(); i++) {
      if (!Arrays.equals(r.history.get(i), history.get(i))) {
        return false;
      }
    }
    return true;
  }

  @Override
  public int hashCode() {
    return Long.hashCode(version) * 31 + Arrays.hashCode(nonce);
  }

  @Override
  public String toString() {
    return "LeaseRecord[" + abbreviate(key) + " v" + version + (tombstone ? " tombstone" : "") + ", nonce "
        + HexFormat.of().formatHex(nonce, 0, 4) + "…, " + history.size() + " history, "
        + value.length + " bytes]";
  }
}

package io.hadb.coordinator.lease;

import io.hadb.api.HadbException;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.zip.CRC32C;

/**
 * The lease record's bytes, big-endian:
 *
 * <pre>
 * magic "HL" (2) | format 1 or 2 (1) | flags (1, bit 0 = released; other bits must be 0)
 * ttl millis (u32) | claim epoch (i64) | instance (i64) | write seq (i64) | wall millis (i64)
 * format 2 only: session (i64, &gt; 0)
 * holder length (u8, ≥ 1) | holder UTF-8 | address length (u16, ≤ 1024) | address UTF-8
 * CRC-32C of all bytes before it (u32)
 * </pre>
 *
 * 47 bytes plus the two strings; format 2, a database's record bound to its holder's node lease
 * session (DESIGN §9), 8 more. A reader of format 1 only rejects format 2 as corrupt, so every
 * node of a database must run a version that reads it. Decoding checks the length before every read and the checksum
 * before trusting any field, and rejects unknown formats and flags: a record another version or a
 * bit flip produced must never be taken for a valid lease.
 */
public final class LeaseRecordCodec {
  public static final int FORMAT = 1;
  /** A record bound to a node lease session ({@link LeaseRecord#boundToSession()}). */
  public static final int FORMAT_SESSION = 2;
  static final byte MAGIC_0 = 'H';
  static final byte MAGIC_1 = 'L';
  static final int FLAG_RELEASED = 1;
  static final int MAX_HOLDER_BYTES = 255;
  public static final int MAX_ADDRESS_BYTES = 1024;
  static final int FIXED_BYTES = 2 + 1 + 1 + 4 + 8 + 8 + 8 + 8 + 1 + 2 + 4;

  private LeaseRecordCodec() {}

  public static byte[] encode(LeaseRecord r) {
    byte[] holder = r.holder().getBytes(StandardCharsets.UTF_8);
    byte[] address = r.address().getBytes(StandardCharsets.UTF_8);
    if (holder.length > MAX_HOLDER_BYTES) {
      throw HadbException.invalidArgument(
          "lease holder id is " + holder.length + " UTF-8 bytes, the limit is " + MAX_HOLDER_BYTES);
    }
    if (address.length > MAX_ADDRESS_BYTES) {
      throw HadbException.invalidArgument(
          "lease address is " + address.length + " UTF-8 bytes, the limit is " + MAX_ADDRESS_BYTES);
    }
    long ttlMillis = r.ttl().toMillis();
    if (ttlMillis <= 0 || ttlMillis > 0xFFFF_FFFFL) {
      throw HadbException.invalidArgument("lease ttl must be 1 ms to 2^32-1 ms, was " + r.ttl());
    }
    boolean bound = r.boundToSession();
    ByteBuffer b = ByteBuffer.allocate(FIXED_BYTES + (bound ? 8 : 0) + holder.length + address.length);
    b.put(MAGIC_0).put(MAGIC_1).put((byte) (bound ? FORMAT_SESSION : FORMAT))
        .put((byte) (r.released() ? FLAG_RELEASED : 0));
    b.putInt((int) ttlMillis);
    b.putLong(r.claimEpoch()).putLong(r.instance()).putLong(r.writeSeq()).putLong(r.wallMillis());
    if (bound) {
      b.putLong(r.session());
    }
    b.put((byte) holder.length).put(holder);
    b.putShort((short) address.length).put(address);
    CRC32C crc = new CRC32C();
    crc.update(b.array(), 0, b.position());
    b.putInt((int) crc.getValue());
    return b.array();
  }

  /**
   * Decodes the value of the lease register at {@code key}.
   *
   * @throws HadbException {@link io.hadb.api.ErrorCode#CORRUPT} naming the key and version and
   *     what is wrong
   */
  public static LeaseRecord decode(String key, long version, byte[] bytes) {
    String where = "lease record at key '" + key + "' (version " + version + ")";
    if (bytes.length < FIXED_BYTES) {
      throw HadbException.corrupt(where + " is " + bytes.length + " bytes, shorter than the "
          + FIXED_BYTES + " bytes of an empty record");
    }
    if (bytes[0] != MAGIC_0 || bytes[1] != MAGIC_1) {
      throw HadbException.corrupt(where + " does not start with the magic 'HL'; it is not a hadb lease record");
    }
    int stored = ByteBuffer.wrap(bytes, bytes.length - 4, 4).getInt();
    CRC32C crc = new CRC32C();
    crc.update(bytes, 0, bytes.length - 4);
    if ((int) crc.getValue() != stored) {
      throw HadbException.corrupt(where + " fails its CRC-32C: stored 0x" + Integer.toHexString(stored)
          + ", computed 0x" + Integer.toHexString((int) crc.getValue()));
    }
    try {
      return fields(where, ByteBuffer.wrap(bytes, 0, bytes.length - 4));
    } catch (BufferUnderflowException e) {
      throw HadbException.corrupt(where + " is truncated: a length field points past the end");
    }
  }

  private static LeaseRecord fields(String where, ByteBuffer b) {
    b.position(2);
    int format = b.get() & 0xFF;
    if (format != FORMAT && format != FORMAT_SESSION) {
      throw HadbException.corrupt(where + " has format " + format + "; this version reads formats " + FORMAT
          + " and " + FORMAT_SESSION);
    }
    int flags = b.get() & 0xFF;
    if ((flags & ~FLAG_RELEASED) != 0) {
      throw HadbException.corrupt(where + " has unknown flags 0x" + Integer.toHexString(flags));
    }
    long ttlMillis = b.getInt() & 0xFFFF_FFFFL;
    long claimEpoch = b.getLong();
    long instance = b.getLong();
    long writeSeq = b.getLong();
    long wallMillis = b.getLong();
    long session = format == FORMAT_SESSION ? b.getLong() : 0;
    if (format == FORMAT_SESSION && session <= 0) {
      throw HadbException.corrupt(where + " has format " + FORMAT_SESSION + " but session " + session
          + " (it must be > 0)");
    }
    String holder = utf8(where, "holder", b, b.get() & 0xFF);
    String address = utf8(where, "address", b, b.getShort() & 0xFFFF);
    if (b.hasRemaining()) {
      throw HadbException.corrupt(where + " has " + b.remaining() + " unexpected bytes after the address");
    }
    if (ttlMillis == 0) {
      throw HadbException.corrupt(where + " has a ttl of 0 ms");
    }
    if (holder.isEmpty()) {
      throw HadbException.corrupt(where + " has an empty holder id");
    }
    if (address.getBytes(StandardCharsets.UTF_8).length > MAX_ADDRESS_BYTES) {
      throw HadbException.corrupt(where + " has an address longer than " + MAX_ADDRESS_BYTES + " bytes");
    }
    if (claimEpoch < 0) {
      throw HadbException.corrupt(where + " has a negative claim epoch " + claimEpoch);
    }
    return new LeaseRecord(holder, address, Duration.ofMillis(ttlMillis), (flags & FLAG_RELEASED) != 0,
        claimEpoch, instance, writeSeq, wallMillis, session);
  }

  private static String utf8(String where, String field, ByteBuffer b, int length) {
    if (length > b.remaining()) {
      throw HadbException.corrupt(where + ": its " + field + " length " + length + " exceeds the "
          + b.remaining() + " bytes left");
    }
    ByteBuffer slice = b.slice();
    slice.limit(length);
    b.position(b.position() + length);
    try {
      CharBuffer chars = StandardCharsets.UTF_8.newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(slice);
      return chars.toString();
    } catch (CharacterCodingException e) {
      throw HadbException.corrupt(where + ": its " + field + " is not valid UTF-8");
    }
  }
}

package io.hadb.changeset.internal;

import io.hadb.changeset.BodyEncoding;
import io.hadb.changeset.ChainLink;
import io.hadb.changeset.ChangesetFormatException.Problem;
import io.hadb.changeset.ChangesetHeader;
import io.hadb.changeset.ChangesetKeyException;
import io.hadb.changeset.Checksum;
import io.hadb.changeset.Compression;
import io.hadb.changeset.DecodeOptions;
import io.hadb.changeset.Format;
import io.hadb.changeset.JournalHeader;
import io.hadb.changeset.Limits;
import io.hadb.changeset.PhysicalHeader;
import java.io.InputStream;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.OptionalLong;
import javax.crypto.SecretKey;

/**
 * The part of reading both formats share: header, body source, trailer. The format readers
 * consume the body through {@link #plain()}; {@link #finish} checks the trailer and the end.
 */
public final class ObjectReader implements AutoCloseable {

  /** Whether the body can be decoded, or only walked and hashed. */
  public enum Mode {
    DECODE,
    /** Encrypted and no key given: verifiable, not readable. */
    NO_KEY,
    /** Encrypted under another key: verifiable, and reported as a wrong key once intact. */
    WRONG_KEY
  }

  private final String name;
  private final HashingInput in;
  private final byte[] headerBytes;
  private final ChangesetHeader header;
  private final BodyEncoding encoding;
  private final Mode mode;
  private final FrameReader frames;
  private final DecodeOptions options;
  private final OptionalLong givenKeyId;

  private ObjectReader(
      String name,
      HashingInput in,
      byte[] headerBytes,
      HeaderCodec.Parsed parsed,
      Mode mode,
      FrameReader frames,
      DecodeOptions options,
      OptionalLong givenKeyId) {
    this.name = name;
    this.in = in;
    this.headerBytes = headerBytes;
    this.header = parsed.header();
    this.encoding = parsed.encoding();
    this.mode = mode;
    this.frames = frames;
    this.options = options;
    this.givenKeyId = givenKeyId;
  }

  /**
   * Reads and validates the header.
   *
   * @param length the object's exact size when known, or -1
   * @param expected the format the caller wants, or null for either
   * @param key the AES key matching {@code keyId}, or null
   */
  public static ObjectReader open(
      String name,
      InputStream stream,
      long length,
      DecodeOptions options,
      Format expected,
      SecretKey key,
      long keyId) {
    int minimum = Limits.HEADER_LENGTH + Limits.TRAILER_LENGTH;
    if (length >= 0 && length < minimum) {
      throw Errors.format(Problem.TRUNCATED, name, 0, "the object is " + length
          + " bytes; the smallest changeset (header and trailer) is " + minimum);
    }
    HashingInput in = new HashingInput(stream, length, name);
    byte[] headerBytes = new byte[Limits.HEADER_LENGTH];
    in.readFully(headerBytes, 0, headerBytes.length, "the header");
    HeaderCodec.Parsed parsed = HeaderCodec.decode(headerBytes, name, options);
    ChangesetHeader h = parsed.header();
    if (expected != null && h.format() != expected) {
      throw Errors.format(Problem.BAD_MAGIC, name, 0,
          "expected a " + expected + " object, found " + h.format());
    }
    BodyEncoding enc = parsed.encoding();
    checkLengthAgainstHeader(name, length, h, enc);
    Mode mode = Mode.DECODE;
    OptionalLong given = key == null ? OptionalLong.empty() : OptionalLong.of(keyId);
    if (enc.encrypted()) {
      if (key == null) {
        mode = Mode.NO_KEY;
      } else if (keyId != enc.keyId()) {
        mode = Mode.WRONG_KEY;
      }
    }
    FrameReader frames = null;
    if (enc.framed()) {
      long totalPlain = h instanceof PhysicalHeader p ? p.plainBodyLength() : -1;
      frames = new FrameReader(in, enc, totalPlain, mode == Mode.DECODE ? key : null,
          headerBytes, mode == Mode.DECODE);
    }
    return new ObjectReader(name, in, headerBytes, parsed, mode, frames, options, given);
  }

  /**
   * Rejects, before reading the body, an object too short for what its header declares: the
   * exact size for a plain HADBP body, a lower bound otherwise.
   */
  private static void checkLengthAgainstHeader(
      String name, long length, ChangesetHeader h, BodyEncoding enc) {
    if (length < 0) {
      return;
    }
    long overhead = Limits.HEADER_LENGTH + Limits.TRAILER_LENGTH;
    long available = length - overhead;
    if (h instanceof PhysicalHeader p) {
      long body = p.plainBodyLength();
      if (!enc.framed()) {
        if (body != available) {
          throw Errors.format(body > available ? Problem.TRUNCATED : Problem.TRAILING_BYTES,
              name, Limits.HEADER_LENGTH, "the header declares " + p.pageCount() + " pages of "
                  + p.pageSize() + " bytes (a " + body + "-byte body) but the object holds "
                  + available + " body bytes");
        }
        return;
      }
      long frameCount = (body + enc.chunkSize() - 1) / enc.chunkSize();
      if (enc.encrypted() && enc.compression() == Compression.NONE) {
        long exact = body + frameCount * (4 + Gcm.TAG_LENGTH);
        if (exact != available) {
          throw Errors.format(exact > available ? Problem.TRUNCATED : Problem.TRAILING_BYTES,
              name, Limits.HEADER_LENGTH, "the header implies a " + exact + "-byte sealed body ("
                  + frameCount + " frames) but the object holds " + available + " body bytes");
        }
        return;
      }
      long minFrame = 4 + (enc.encrypted() ? 17 : 1);
      if (frameCount > available / minFrame) {
        throw Errors.format(Problem.TRUNCATED, name, Limits.HEADER_LENGTH, "the header implies "
            + frameCount + " frames but the object holds only " + available + " body bytes");
      }
    } else {
      JournalHeader j = (JournalHeader) h;
      long minEntry = 8 + 4 + 4 + Checksum.LENGTH;
      long min = enc.framed() ? (j.entryCount() > 0 ? 5 : 0) : j.entryCount() * minEntry;
      if (min > available) {
        throw Errors.format(Problem.TRUNCATED, name, Limits.HEADER_LENGTH, "the header declares "
            + j.entryCount() + " entries, needing at least " + min + " body bytes, but the object"
            + " holds " + available);
      }
    }
  }

  public String name() {
    return name;
  }

  public ChangesetHeader header() {
    return header;
  }

  public BodyEncoding encoding() {
    return encoding;
  }

  public Mode mode() {
    return mode;
  }

  public DecodeOptions options() {
    return options;
  }

  /** A copy of the 104 stored header bytes. */
  public byte[] headerBytes() {
    return headerBytes.clone();
  }

  /** The body's plaintext, in decode mode only. */
  public PlainSource plain() {
    if (mode != Mode.DECODE) {
      throw new IllegalStateException("body not decodable in mode " + mode);
    }
    return frames != null ? frames : in;
  }

  /** Remaining bytes of the object if its size is known, else -1. */
  public long remaining() {
    return in.remaining();
  }

  /**
   * Completes verification: in decode mode the caller has consumed every page or entry; in walk
   * mode the remaining frames are read and hashed. Then the trailer must equal the SHA-256 of all
   * bytes before it and the object must end there.
   *
   * @param bodyEmpty whether the header declares no pages or entries (then there are no frames)
   * @throws ChangesetKeyException in {@link Mode#WRONG_KEY}, once the object proved intact
   */
  public ChainLink finish(boolean bodyEmpty) {
    if (frames != null) {
      if (mode == Mode.DECODE) {
        frames.expectPlainEnd();
      } else {
        frames.walkToEnd(bodyEmpty);
      }
    }
    long trailerAt = in.position();
    byte[] computed = in.digest();
    byte[] stored = new byte[Limits.TRAILER_LENGTH];
    in.readFully(stored, 0, stored.length, "the trailer");
    if (!MessageDigest.isEqual(computed, stored)) {
      HexFormat hex = HexFormat.of();
      throw Errors.format(Problem.CHECKSUM_MISMATCH, name, trailerAt,
          "the trailer says " + hex.formatHex(stored) + " but the header and body hash to "
              + hex.formatHex(computed) + " (the object is corrupt or truncated)");
    }
    in.expectEnd();
    if (mode == Mode.WRONG_KEY) {
      throw keyException();
    }
    return new ChainLink(header, encoding, Checksum.of(computed));
  }

  /** The key problem of a walk-mode reader asked for content. */
  public ChangesetKeyException keyException() {
    return new ChangesetKeyException(name, encoding.keyId(), givenKeyId);
  }

  @Override
  public void close() {
    if (frames != null) {
      frames.close();
    }
  }
}

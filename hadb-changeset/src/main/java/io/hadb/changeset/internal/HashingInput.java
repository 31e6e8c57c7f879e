package io.hadb.changeset.internal;

import io.hadb.api.HadbException;
import io.hadb.changeset.ChangesetFormatException;
import io.hadb.changeset.ChangesetFormatException.Problem;
import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import java.util.Arrays;

/**
 * The reader's byte source: everything consumed before the trailer goes through one SHA-256.
 * Hashing is lazy ({@code [hashedTo, pos)} is hashed when the buffer is refilled or the body
 * ends) so a page read costs one copy and no extra digest call. When the object's length is
 * known, every declared length is checked against the bytes left before anything is allocated.
 */
public final class HashingInput implements PlainSource {
  private static final int STREAM_BUFFER = 64 * 1024;
  private static final int MAX_BUFFER = 128 * 1024;
  /** First allocation for a declared length when the input's size is unknown. */
  private static final int GROW_START = 64 * 1024;

  private final InputStream in;
  private final long length;
  private final String name;
  private final MessageDigest md = Sha256.newDigest();
  private final byte[] buf;
  private int pos;
  private int lim;
  private int hashedTo;
  private long bufStart;
  private boolean eof;
  private boolean hashing = true;

  /**
   * @param length the object's exact length when known (a stored object's size), or -1
   */
  public HashingInput(InputStream in, long length, String name) {
    this.in = in;
    this.length = length;
    this.name = name;
    this.buf = new byte[length >= 0 ? (int) Math.max(512, Math.min(length, MAX_BUFFER))
        : STREAM_BUFFER];
  }

  public String name() {
    return name;
  }

  @Override
  public long position() {
    return bufStart + pos;
  }

  /** Bytes left in the object when its length is known, else -1. */
  public long remaining() {
    return length < 0 ? -1 : length - position();
  }

  public long length() {
    return length;
  }

  private void hashPending() {
    if (pos > hashedTo) {
      if (hashing) {
        md.update(buf, hashedTo, pos - hashedTo);
      }
      hashedTo = pos;
    }
  }

  /** Makes at least one byte available; false at end of input. */
  private boolean fill() {
    if (pos < lim) {
      return true;
    }
    if (eof) {
      return false;
    }
    hashPending();
    bufStart += lim;
    pos = 0;
    lim = 0;
    hashedTo = 0;
    int r = read(buf, 0, buf.length);
    if (r <= 0) {
      eof = true;
      return false;
    }
    lim = r;
    return true;
  }

  /**
   * Reads into {@code b}: for the shared buffer whatever one call returns (at least one byte),
   * for a caller's array until {@code len} bytes or the end of input.
   */
  private int read(byte[] b, int off, int len) {
    boolean fully = b != buf;
    try {
      int total = 0;
      while (total < len) {
        int r = in.read(b, off + total, len - total);
        if (r < 0) {
          eof = true;
          break;
        }
        total += r;
        if (!fully && total > 0) {
          break;
        }
      }
      return total;
    } catch (IOException e) {
      throw HadbException.unavailable("reading " + displayName() + " failed: " + e.getMessage(), e);
    }
  }

  private String displayName() {
    return name == null ? "changeset" : name;
  }

  @Override
  public void readFully(byte[] dst, int off, int len, String what) {
    int needed = len;
    while (len > 0) {
      if (pos < lim) {
        int k = Math.min(len, lim - pos);
        System.arraycopy(buf, pos, dst, off, k);
        pos += k;
        off += k;
        len -= k;
      } else if (len >= buf.length && !eof) {
        // Large reads skip the buffer; the pending buffered bytes are hashed first to keep order.
        hashPending();
        bufStart += lim;
        pos = 0;
        lim = 0;
        hashedTo = 0;
        int r = read(dst, off, len);
        if (hashing && r > 0) {
          md.update(dst, off, r);
        }
        bufStart += r;
        off += r;
        len -= r;
        if (len > 0) {
          throw truncated(what, needed, len);
        }
      } else if (!fill()) {
        throw truncated(what, needed, len);
      }
    }
  }

  private ChangesetFormatException truncated(String what, int needed, int missing) {
    return Errors.format(Problem.TRUNCATED, name, position(),
        "the object ends inside " + what + " (" + needed + " bytes needed, " + missing
            + " missing)");
  }

  @Override
  public Slice slice(int len, byte[] fallback, String what) {
    if (pos == lim) {
      fill();
    }
    if (lim - pos >= len) {
      // [pos, pos + len) is hashed lazily, before the next fill overwrites the buffer.
      Slice s = new Slice(buf, pos);
      pos += len;
      return s;
    }
    readFully(fallback, 0, len, what);
    return new Slice(fallback, 0);
  }

  @Override
  public int readInt(String what) {
    if (lim - pos >= 4) {
      int v = Be.getInt(buf, pos);
      pos += 4;
      return v;
    }
    byte[] b = new byte[4];
    readFully(b, 0, 4, what);
    return Be.getInt(b, 0);
  }

  @Override
  public long readLong(String what) {
    if (lim - pos >= 8) {
      long v = Be.getLong(buf, pos);
      pos += 8;
      return v;
    }
    byte[] b = new byte[8];
    readFully(b, 0, 8, what);
    return Be.getLong(b, 0);
  }

  @Override
  public byte[] readDeclared(int len, String what) {
    long rem = remaining();
    if (rem >= 0) {
      if (len > rem) {
        throw Errors.format(Problem.TRUNCATED, name, position(),
            what + " declares " + len + " bytes but only " + rem + " remain in the object");
      }
      byte[] out = new byte[len];
      readFully(out, 0, len, what);
      return out;
    }
    return readGrowing(this, len, what);
  }

  /** Reads a declared length from a source of unknown size, allocating only as bytes arrive. */
  static byte[] readGrowing(PlainSource src, int len, String what) {
    byte[] out = new byte[Math.min(len, GROW_START)];
    int filled = 0;
    while (filled < len) {
      if (filled == out.length) {
        out = Arrays.copyOf(out, (int) Math.min(len, 2L * out.length));
      }
      int k = out.length - filled;
      src.readFully(out, filled, k, what);
      filled += k;
    }
    return out;
  }

  /** Checks that at least {@code n} bytes can remain (when the length is known). */
  public void requireRemaining(long n, String what) {
    long rem = remaining();
    if (rem >= 0 && n > rem) {
      throw Errors.format(Problem.TRUNCATED, name, position(),
          what + " needs " + n + " more bytes but only " + rem + " remain in the object");
    }
  }

  /** Ends the hashed part and returns its SHA-256. */
  public byte[] digest() {
    hashPending();
    hashing = false;
    return md.digest();
  }

  /** After the trailer: the object must end here. */
  public void expectEnd() {
    if (pos < lim) {
      throw Errors.format(Problem.TRAILING_BYTES, name, position(),
          "bytes follow the trailer (" + (lim - pos) + " or more)");
    }
    if (!eof) {
      byte[] one = new byte[1];
      if (read(one, 0, 1) > 0) {
        throw Errors.format(Problem.TRAILING_BYTES, name, position(), "bytes follow the trailer");
      }
    }
    if (length >= 0 && position() != length) {
      throw Errors.format(Problem.TRUNCATED, name, position(),
          "the stream ended after " + position() + " bytes but the object is " + length);
    }
  }
}

package io.hadb.changeset.internal;

import com.github.luben.zstd.Zstd;
import com.github.luben.zstd.ZstdDecompressCtx;
import com.github.luben.zstd.ZstdException;
import io.hadb.changeset.BodyEncoding;
import io.hadb.changeset.ChangesetFormatException.Problem;
import io.hadb.changeset.Compression;
import io.hadb.changeset.Limits;
import java.security.GeneralSecurityException;
import java.util.Arrays;
import javax.crypto.SecretKey;

/**
 * Reads the frames of a compressed or encrypted body (FORMAT.md §5). In decode mode it opens and
 * decompresses each frame and serves the plaintext; in walk mode (no key, or the wrong one) it
 * only reads and hashes the stored frames, so the checksum and chain verify without a key.
 *
 * <p>Every frame length is checked against the format's bound for the chunk size and, when the
 * object's length is known, against the bytes left, before a buffer is sized for it.
 */
public final class FrameReader implements PlainSource, AutoCloseable {
  private static final int FRAME_HEADER = 4;

  private final HashingInput in;
  private final String name;
  private final boolean compressed;
  private final boolean encrypted;
  private final int chunkSize;
  private final long totalPlain;
  private final long frameCount;
  private final int maxStored;
  private final Gcm gcm;
  private final ZstdDecompressCtx zstd;
  private final boolean decode;
  private final byte[] scratch = new byte[8];
  private byte[] stored = new byte[0];
  private byte[] opened = new byte[0];
  private byte[] plain = new byte[0];
  private byte[] plainView;
  private int plainPos;
  private int plainLim;
  private long index;
  private boolean lastSeen;

  /**
   * @param totalPlain the plaintext length when the header fixes it (HADBP), or -1 (HADBJ)
   * @param key the key in decode mode, or null to walk without decoding
   */
  public FrameReader(
      HashingInput in, BodyEncoding enc, long totalPlain, SecretKey key, byte[] header,
      boolean decode) {
    this.in = in;
    this.name = in.name();
    this.compressed = enc.compression() == Compression.ZSTD;
    this.encrypted = enc.encrypted();
    this.chunkSize = enc.chunkSize();
    this.totalPlain = totalPlain;
    this.frameCount = totalPlain < 0 ? -1 : (totalPlain + chunkSize - 1) / chunkSize;
    long bound = compressed ? Zstd.compressBound(chunkSize) : chunkSize;
    this.maxStored = (int) (bound + (encrypted ? Gcm.TAG_LENGTH : 0));
    this.gcm = decode && encrypted ? new Gcm(key, enc.nonce(), header) : null;
    this.zstd = decode && compressed ? new ZstdDecompressCtx() : null;
    this.decode = decode;
  }

  /** Frames the header implies for a HADBP body, or -1 when the body ends at the last marker. */
  public long frameCount() {
    return frameCount;
  }

  @Override
  public long position() {
    return in.position();
  }

  /** Reads, hashes and (in decode mode) opens the next frame. */
  private void nextFrame(String what) {
    if (lastSeen || (frameCount >= 0 && index >= frameCount)) {
      throw Errors.format(Problem.BAD_FRAME, name, in.position(),
          "the body's last frame ends inside " + what);
    }
    if (index >= Limits.MAX_FRAMES) {
      throw Errors.format(Problem.BAD_FRAME, name, in.position(), "more than "
          + Limits.MAX_FRAMES + " frames");
    }
    long frameStart = in.position();
    int word = in.readInt("frame " + index + " header");
    boolean last = word < 0;
    int len = word & 0x7FFF_FFFF;
    long expectedPlain = -1;
    if (frameCount >= 0) {
      boolean shouldBeLast = index == frameCount - 1;
      if (last != shouldBeLast) {
        throw Errors.format(Problem.BAD_FRAME, name, frameStart, "frame " + index
            + (last ? " is marked last but the header implies " + frameCount + " frames"
                : " is not marked last but the header implies " + frameCount + " frames"));
      }
      expectedPlain = last ? totalPlain - (frameCount - 1) * chunkSize : chunkSize;
    } else if (!last) {
      expectedPlain = chunkSize;
    }
    int minStored = encrypted ? Gcm.TAG_LENGTH + 1 : 1;
    if (len < minStored || len > maxStored) {
      throw Errors.format(Problem.BAD_FRAME, name, frameStart, "frame " + index + " declares "
          + len + " stored bytes; allowed " + minStored + ".." + maxStored + " for chunk size "
          + chunkSize);
    }
    if (encrypted && !compressed && expectedPlain >= 0 && len != expectedPlain + Gcm.TAG_LENGTH) {
      throw Errors.format(Problem.BAD_FRAME, name, frameStart, "frame " + index + " declares "
          + len + " stored bytes; a sealed frame of " + expectedPlain + " bytes is "
          + (expectedPlain + Gcm.TAG_LENGTH));
    }
    long rem = in.remaining();
    if (rem >= 0 && (long) len + Limits.TRAILER_LENGTH > rem) {
      throw Errors.format(Problem.TRUNCATED, name, frameStart, "frame " + index + " declares "
          + len + " bytes but only " + rem + " remain (trailer included)");
    }
    if (rem >= 0 || len <= stored.length) {
      if (stored.length < len) {
        stored = new byte[len];
      }
      in.readFully(stored, 0, len, "frame " + index);
    } else {
      stored = HashingInput.readGrowing(in, len, "frame " + index);
    }
    lastSeen = last;
    long frameIndex = index++;
    if (!decode) {
      return;
    }
    byte[] data = stored;
    int dataLen = len;
    if (encrypted) {
      if (opened.length < len) {
        opened = new byte[len];
      }
      try {
        dataLen = gcm.open(frameIndex, last, stored, len, opened);
      } catch (GeneralSecurityException e) {
        throw Errors.format(Problem.DECRYPT_FAILED, name, frameStart, "frame " + frameIndex
            + " failed AES-GCM authentication (the object was altered)", e);
      }
      data = opened;
    }
    if (compressed) {
      long size = Zstd.getFrameContentSize(data, 0, dataLen);
      if (size < 1 || size > chunkSize || (expectedPlain >= 0 && size != expectedPlain)) {
        throw Errors.format(Problem.DECOMPRESS_FAILED, name, frameStart, "frame " + frameIndex
            + " declares " + size + " decompressed bytes; expected "
            + (expectedPlain >= 0 ? String.valueOf(expectedPlain) : "1.." + chunkSize));
      }
      if (plain.length < size) {
        plain = new byte[(int) size];
      }
      int got;
      try {
        got = zstd.decompressByteArray(plain, 0, (int) size, data, 0, dataLen);
      } catch (ZstdException e) {
        throw Errors.format(Problem.DECOMPRESS_FAILED, name, frameStart, "frame " + frameIndex
            + " is not a valid zstd frame: " + e.getMessage(), e);
      }
      if (got != size) {
        throw Errors.format(Problem.DECOMPRESS_FAILED, name, frameStart, "frame " + frameIndex
            + " decompressed to " + got + " bytes, its zstd header says " + size);
      }
      plainView = plain;
      plainLim = got;
    } else {
      if (expectedPlain >= 0 && dataLen != expectedPlain) {
        throw Errors.format(Problem.BAD_FRAME, name, frameStart, "frame " + frameIndex
            + " holds " + dataLen + " bytes; expected " + expectedPlain);
      }
      plainView = data;
      plainLim = dataLen;
    }
    plainPos = 0;
  }

  @Override
  public void readFully(byte[] dst, int off, int len, String what) {
    while (len > 0) {
      if (plainPos == plainLim) {
        nextFrame(what);
        continue;
      }
      int k = Math.min(len, plainLim - plainPos);
      System.arraycopy(plainView, plainPos, dst, off, k);
      plainPos += k;
      off += k;
      len -= k;
    }
  }

  @Override
  public Slice slice(int len, byte[] fallback, String what) {
    if (plainPos == plainLim && len > 0) {
      nextFrame(what);
    }
    if (plainLim - plainPos >= len) {
      // The frame's plaintext buffer is reused only when the next frame is read.
      Slice s = new Slice(plainView, plainPos);
      plainPos += len;
      return s;
    }
    readFully(fallback, 0, len, what);
    return new Slice(fallback, 0);
  }

  @Override
  public int readInt(String what) {
    readFully(scratch, 0, 4, what);
    return Be.getInt(scratch, 0);
  }

  @Override
  public long readLong(String what) {
    readFully(scratch, 0, 8, what);
    return Be.getLong(scratch, 0);
  }

  @Override
  public byte[] readDeclared(int len, String what) {
    return HashingInput.readGrowing(this, len, what);
  }

  /**
   * Decode mode, after the last page or entry: the plaintext must end exactly here, in the frame
   * marked last.
   */
  public void expectPlainEnd() {
    if (plainPos != plainLim) {
      throw Errors.format(Problem.TRAILING_BYTES, name, in.position(), (plainLim - plainPos)
          + " plaintext bytes follow the last page or entry in frame " + (index - 1));
    }
    if (index > 0 && !lastSeen) {
      throw Errors.format(Problem.BAD_FRAME, name, in.position(), "frame " + (index - 1)
          + " ends the body but is not marked last");
    }
  }

  /** Walk mode: reads every remaining frame up to the one marked last. */
  public void walkToEnd(boolean bodyEmpty) {
    if (bodyEmpty) {
      return;
    }
    while (!lastSeen) {
      nextFrame("the body");
    }
  }

  @Override
  public void close() {
    if (zstd != null) {
      zstd.close();
    }
    Arrays.fill(opened, (byte) 0);
    if (plainView == opened) {
      plainView = null;
    }
  }
}

package io.hadb.coordinator.lease;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hadb.api.ErrorCode;
import io.hadb.api.HadbException;
import io.hadb.conformance.gen.Gen;
import io.hadb.conformance.gen.Property;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Arrays;
import java.util.zip.CRC32C;
import org.junit.jupiter.api.Test;

class LeaseRecordCodecTest {
  static final String KEY = "orders/lease";

  static LeaseRecord sample() {
    return new LeaseRecord("node-1", "http://10.0.0.5:8095", Duration.ofSeconds(5), false, 42, 0x1234_5678_9abc_def0L,
        7, 1_764_144_000_000L);
  }

  /** Any characters, multi-byte and supplementary ones included, as holders and addresses may carry. */
  private static final String TEXT = "abcXYZ09 -_./:@é漢\u0000\uD83D\uDE00";

  @Test
  void roundTrips() {
    Property.named("lease records round trip").tries(300).check(c -> {
      LeaseRecord r = new LeaseRecord(c.draw(Gen.strings(TEXT, 1, 60)), c.draw(Gen.strings(TEXT, 0, 200)),
          Duration.ofMillis(c.draw(Gen.longs(1, 3_600_000))), c.draw(Gen.booleans()),
          c.draw(Gen.longs(0, Long.MAX_VALUE)), c.draw(Gen.longs()), c.draw(Gen.longs()), c.draw(Gen.longs()),
          c.draw(Gen.oneOf(Gen.constant(0L), Gen.longs(1, Long.MAX_VALUE))));
      assertEquals(r, LeaseRecordCodec.decode(KEY, 3, LeaseRecordCodec.encode(r)));
    });
  }

  @Test
  void isCompact() {
    byte[] b = LeaseRecordCodec.encode(sample());
    assertEquals(47 + "node-1".length() + "http://10.0.0.5:8095".length(), b.length);
  }

  @Test
  void everySingleBitFlipIsRejectedNamingTheKey() {
    Property.named("every single bit flip is rejected naming the key").tries(200).check(c -> {
      int bytePos = c.draw(Gen.ints(0, 72));
      int bit = c.draw(Gen.ints(0, 7));
      byte[] b = LeaseRecordCodec.encode(sample());
      b[bytePos % b.length] ^= (byte) (1 << bit);
      HadbException e = assertThrows(HadbException.class, () -> LeaseRecordCodec.decode(KEY, 9, b));
      assertEquals(ErrorCode.CORRUPT, e.code());
      assertTrue(e.getMessage().contains("'" + KEY + "'") && e.getMessage().contains("version 9"), e.getMessage());
    });
  }

  /** A database record bound to a node lease session (DESIGN §9) is format 2, eight bytes longer. */
  @Test
  void aSessionBoundRecordIsFormatTwoAndASessionOfZeroThereIsRejected() {
    LeaseRecord bound = new LeaseRecord("node-1", "http://10.0.0.5:8095", Duration.ofSeconds(5), false, 0, 7, 1, 0, 99);
    byte[] b = LeaseRecordCodec.encode(bound);
    assertEquals(LeaseRecordCodec.FORMAT_SESSION, b[2]);
    assertEquals(LeaseRecordCodec.encode(sample()).length - sample().address().length() + bound.address().length() + 8,
        b.length);
    assertEquals(99, LeaseRecordCodec.decode(KEY, 4, b).session());
    ByteBuffer.wrap(b, 4 + 4 + 8 * 4, 8).putLong(0);
    assertMessage(reseal(b), "session 0");
  }

  @Test
  void everyTruncationIsRejected() {
    byte[] full = LeaseRecordCodec.encode(sample());
    for (int len = 0; len < full.length; len++) {
      byte[] cut = Arrays.copyOf(full, len);
      HadbException e = assertThrows(HadbException.class, () -> LeaseRecordCodec.decode(KEY, 1, cut), "length " + len);
      assertEquals(ErrorCode.CORRUPT, e.code());
    }
  }

  /** Fields are checked even when the checksum is right: a writer bug must not pass as a lease. */
  @Test
  void structurallyInvalidRecordsWithValidChecksumsAreRejectedSayingWhy() {
    assertMessage(withField(3, (byte) 0x02), "unknown flags 0x2");
    assertMessage(withField(2, (byte) 3), "format 3");
    assertMessage(withField(4, (byte) 0, (byte) 0, (byte) 0, (byte) 0), "ttl of 0 ms");
    byte[] b = LeaseRecordCodec.encode(sample());
    int holderLenPos = 4 + 4 + 8 * 4;
    assertMessage(withField(holderLenPos, (byte) 200), "holder length 200 exceeds");
    assertMessage(withField(holderLenPos + 1, (byte) 0xC3, (byte) 0x28), "holder is not valid UTF-8");
    byte[] extra = Arrays.copyOf(b, b.length + 1);
    System.arraycopy(b, b.length - 4, extra, extra.length - 4, 4);
    assertMessage(reseal(extra), "unexpected bytes");
    byte[] badMagic = b.clone();
    badMagic[0] = 'X';
    assertMessage(badMagic, "magic");
  }

  @Test
  void encodingRefusesOversizedFields() {
    LeaseRecord longHolder = new LeaseRecord("h".repeat(256), "", Duration.ofSeconds(1), false, 0, 1, 1, 0);
    assertEquals(ErrorCode.INVALID_ARGUMENT,
        assertThrows(HadbException.class, () -> LeaseRecordCodec.encode(longHolder)).code());
    LeaseRecord longAddress = new LeaseRecord("h", "a".repeat(1025), Duration.ofSeconds(1), false, 0, 1, 1, 0);
    assertEquals(ErrorCode.INVALID_ARGUMENT,
        assertThrows(HadbException.class, () -> LeaseRecordCodec.encode(longAddress)).code());
  }

  @Test
  void epochOfAClaimWriteIsItsVersionAndOfARenewalTheClaimEpoch() {
    LeaseRecord claim = new LeaseRecord("a", "", Duration.ofSeconds(5), false, 0, 1, 1, 0);
    assertEquals(17, claim.epochAt(17));
    assertEquals(42, sample().epochAt(99));
  }

  private static byte[] withField(int pos, byte... bytes) {
    byte[] b = LeaseRecordCodec.encode(sample());
    System.arraycopy(bytes, 0, b, pos, bytes.length);
    return reseal(b);
  }

  private static byte[] reseal(byte[] b) {
    CRC32C crc = new CRC32C();
    crc.update(b, 0, b.length - 4);
    ByteBuffer.wrap(b, b.length - 4, 4).putInt((int) crc.getValue());
    return b;
  }

  private static void assertMessage(byte[] b, String expected) {
    HadbException e = assertThrows(HadbException.class, () -> LeaseRecordCodec.decode(KEY, 5, b));
    assertEquals(ErrorCode.CORRUPT, e.code());
    assertTrue(e.getMessage().contains(expected) && e.getMessage().contains(KEY), e.getMessage());
  }
}

package io.hadb.lease.storage;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hadb.api.ErrorCode;
import io.hadb.api.HadbException;
import io.hadb.conformance.gen.Gen;
import io.hadb.conformance.gen.Property;
import io.hadb.lease.storage.internal.LeaseRecord;
import java.util.Arrays;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class LeaseRecordTest {

  private static LeaseRecord chain(int length, byte[] value) {
    LeaseRecord r = LeaseRecord.next(Optional.empty(), 1, false, "k/ey", value);
    for (int v = 2; v <= length; v++) {
      r = LeaseRecord.next(Optional.of(r), v, v % 5 == 0, "k/ey", value);
    }
    return r;
  }

  @Test
  void encodeDecodeRoundTrips() {
    Property.named("encode then decode round trips").tries(150).check(c ->
        roundTrips(c.draw(Gen.ints(1, 60)), c.draw(Gen.bytes(0, 300))));
  }

  private static void roundTrips(int length, byte[] value) {
    LeaseRecord r = chain(length, value);
    LeaseRecord back = LeaseRecord.decode(r.encode(), "k/ey", length, "obj");
    assertEquals(r, back);
    assertArrayEquals(value, back.value());
    assertEquals(Math.min(length - 1, LeaseRecord.HISTORY), back.history().size());
  }

  @Test
  void everyFlippedByteOrTruncationIsCorrupt() {
    Property.named("every flipped byte or truncation is corrupt").tries(150).check(c -> flippedOrCut(
        c.draw(Gen.ints(1, 40)), c.draw(Gen.bytes(0, 64)), c.draw(Gen.ints(0, 100_000)), c.draw(Gen.ints(1, 255))));
  }

  private static void flippedOrCut(int length, byte[] value, int where, int flip) {
    byte[] bytes = chain(length, value).encode();
    byte[] flipped = bytes.clone();
    flipped[where % bytes.length] ^= (byte) flip;
    assertEquals(ErrorCode.CORRUPT, assertThrows(HadbException.class,
        () -> LeaseRecord.decode(flipped, "k/ey", length, "obj")).code());
    byte[] cut = Arrays.copyOf(bytes, where % bytes.length);
    assertEquals(ErrorCode.CORRUPT, assertThrows(HadbException.class,
        () -> LeaseRecord.decode(cut, "k/ey", length, "obj")).code());
  }

  @Test
  void aRecordMustBeReadUnderItsOwnKeyAndVersion() {
    byte[] bytes = chain(3, new byte[] {1}).encode();
    HadbException wrongKey = assertThrows(HadbException.class, () -> LeaseRecord.decode(bytes, "other", 3, "o1"));
    assertTrue(wrongKey.getMessage().contains("o1") && wrongKey.getMessage().contains("k/ey"), wrongKey.getMessage());
    HadbException wrongVersion = assertThrows(HadbException.class, () -> LeaseRecord.decode(bytes, "k/ey", 4, "o2"));
    assertTrue(wrongVersion.getMessage().contains("version 3"), wrongVersion.getMessage());
  }

  @Test
  void historyNamesTheWritesBelowUpTo32Back() {
    LeaseRecord[] all = new LeaseRecord[60];
    all[0] = LeaseRecord.next(Optional.empty(), 1, false, "h", new byte[0]);
    for (int v = 2; v <= 60; v++) {
      all[v - 1] = LeaseRecord.next(Optional.of(all[v - 2]), v, false, "h", new byte[0]);
    }
    LeaseRecord top = all[59];
    for (int v = 1; v < 60; v++) {
      Optional<byte[]> n = top.nonceOf(v);
      if (60 - v <= LeaseRecord.HISTORY) {
        assertArrayEquals(all[v - 1].nonce(), n.orElseThrow(), "version " + v);
      } else {
        assertTrue(n.isEmpty(), "version " + v + " is beyond the history");
      }
    }
    assertTrue(top.nonceOf(60).isEmpty());
    assertTrue(top.nonceOf(0).isEmpty());
  }
}

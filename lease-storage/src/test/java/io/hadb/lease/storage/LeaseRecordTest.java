package io.hadb.lease.storage;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hadb.api.ErrorCode;
import io.hadb.api.HadbException;
import io.hadb.lease.storage.internal.LeaseRecord;
import java.util.Arrays;
import java.util.Optional;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

class LeaseRecordTest {

  private static LeaseRecord chain(int length, byte[] value) {
    LeaseRecord r = LeaseRecord.next(Optional.empty(), 1, false, "k/ey", value);
    for (int v = 2; v <= length; v++) {
      r = LeaseRecord.next(Optional.of(r), v, v % 5 == 0, "k/ey", value);
    }
    return r;
  }

  @Property(tries = 150)
  void encodeDecodeRoundTrips(@ForAll @IntRange(min = 1, max = 60) int length,
      @ForAll @Size(max = 300) byte[] value) {
    LeaseRecord r = chain(length, value);
    LeaseRecord back = LeaseRecord.decode(r.encode(), "k/ey", length, "obj");
    assertEquals(r, back);
    assertArrayEquals(value, back.value());
    assertEquals(Math.min(length - 1, LeaseRecord.HISTORY), back.history().size());
  }

  @Property(tries = 150)
  void everyFlippedByteOrTruncationIsCorrupt(@ForAll @IntRange(min = 1, max = 40) int length,
      @ForAll @Size(max = 64) byte[] value, @ForAll @IntRange(min = 0, max = 100_000) int where,
      @ForAll @IntRange(min = 1, max = 255) int flip) {
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

package io.hadb.api.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hadb.api.ErrorCode;
import io.hadb.api.HadbException;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * The default policy's counts hold up to 64 MiB of database and grow with a larger one, so a
 * snapshot (the whole database read and uploaded) waits for changesets worth a share of it; the
 * interval does not grow.
 */
class SnapshotPolicyTest {
  static final long MIB = 1L << 20;
  final SnapshotPolicy defaults = SnapshotPolicy.defaults();

  @Test
  void aSmallDatabaseSnapshotsAtTheCountsAsGiven() {
    for (long size : new long[] {0, MIB, 64 * MIB}) {
      assertFalse(defaults.isDue(499, 0, Duration.ZERO, size), size + " bytes, 499 changesets");
      assertTrue(defaults.isDue(500, 0, Duration.ZERO, size), size + " bytes, 500 changesets");
      assertTrue(defaults.isDue(1, 16 * MIB, Duration.ZERO, size), size + " bytes, 16 MiB of changesets");
    }
  }

  @Test
  void aLargeDatabaseWaitsInProportionToItsSize() {
    long gib = 1024 * MIB; // 16 times the 64 MiB the counts are given for
    assertFalse(defaults.isDue(7_999, 0, Duration.ZERO, gib));
    assertTrue(defaults.isDue(8_000, 0, Duration.ZERO, gib));
    assertFalse(defaults.isDue(1, 256 * MIB - 1, Duration.ZERO, gib));
    assertTrue(defaults.isDue(1, 256 * MIB, Duration.ZERO, gib));
    assertTrue(defaults.isDue(1, 0, Duration.ofDays(1), gib), "the interval does not scale");
    assertTrue(defaults.isDue(500, 0, Duration.ZERO), "the size-less form is the unscaled answer");
  }

  @Test
  void countsGivenWithoutAScaleNeverScale() {
    SnapshotPolicy fixed = new SnapshotPolicy(500, 16 * MIB, Duration.ofDays(1), RetentionPolicy.defaults());
    assertEquals(0, fixed.scaleAboveBytes());
    assertTrue(fixed.isDue(500, 0, Duration.ZERO, 1024 * MIB));
    HadbException e = assertThrows(HadbException.class,
        () -> new SnapshotPolicy(500, 0, Duration.ZERO, RetentionPolicy.defaults(), -1));
    assertEquals(ErrorCode.INVALID_ARGUMENT, e.code());
    assertTrue(e.getMessage().contains("scaleAboveBytes"), e.getMessage());
  }
}

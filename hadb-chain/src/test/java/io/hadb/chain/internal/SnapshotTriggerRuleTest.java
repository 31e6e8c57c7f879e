package io.hadb.chain.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hadb.api.engine.RetentionPolicy;
import io.hadb.api.engine.SnapshotPolicy;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** When the trigger fires: every n changesets, never again before the last trigger's snapshot ended. */
class SnapshotTriggerRuleTest {
  private final SnapshotTrigger trigger =
      new SnapshotTrigger(new SnapshotPolicy(3, 0, Duration.ZERO, RetentionPolicy.keepAll()), () -> 0);

  private void ship(int n) {
    for (int i = 0; i < n; i++) {
      trigger.shipped(100);
    }
  }

  @Test
  void firesEveryNChangesetsOnceItsSnapshotEnded() {
    ship(2);
    assertFalse(trigger.fire(false, false), "2 of 3 changesets");
    ship(1);
    assertTrue(trigger.fire(false, false), "3 of 3");
    trigger.ended();
    ship(3);
    assertTrue(trigger.fire(false, false), "3 more after the snapshot ended");
  }

  @Test
  void aBurstWhileTheSnapshotHasNotEndedQueuesNoSecondOne() {
    ship(3);
    assertTrue(trigger.fire(false, false));
    ship(9); // the snapshot thread has not run yet: three more periods' worth
    assertFalse(trigger.fire(false, false), "no second copy queued behind the first");
    trigger.ended();
    assertTrue(trigger.fire(false, false), "the changesets shipped meanwhile count toward the next");
    trigger.ended();
    assertFalse(trigger.fire(false, false), "counted once");
  }

  @Test
  void aLargeDatabaseWaitsForScaledCountsAndIsMeasuredOnlyWhenTheyMightBeReached() {
    long[] size = {400};
    int[] measured = {0};
    SnapshotTrigger scaled = new SnapshotTrigger(new SnapshotPolicy(3, 0, Duration.ZERO, RetentionPolicy.keepAll(),
        100), () -> {
          measured[0]++;
          return size[0];
        });
    for (int i = 0; i < 2; i++) {
      scaled.shipped(10);
      assertFalse(scaled.fire(false, false));
    }
    assertEquals(0, measured[0], "below the unscaled count the size is not asked");
    for (int i = 3; i < 12; i++) {
      scaled.shipped(10);
      assertFalse(scaled.fire(false, false), i + " of 3 x 400/100 changesets");
    }
    scaled.shipped(10);
    assertTrue(scaled.fire(false, false), "12 changesets for a database 4 times the scale");
    assertEquals(10, measured[0]);
  }

  @Test
  void busyHoldsTheTriggerBack() {
    ship(3);
    assertFalse(trigger.fire(true, false));
    assertTrue(trigger.fire(false, false));
  }
}

package io.hadb.coordinator.lease;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hadb.api.LeaseStore;
import io.hadb.api.LeaseStores;
import io.hadb.api.Versioned;
import io.hadb.coordinator.metrics.CoordinatorMetrics;
import java.time.Duration;
import java.time.InstantSource;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The runner on lease-mem: watch notices drive takeover and demotion without any clock moving,
 * and the watchdog fences a leader whose renew hangs. Waits are liveness bounds, not timings.
 */
@Timeout(60)
class LeaseElectorTest {
  static final Duration BOUND = Duration.ofSeconds(10);
  /** With time frozen and polls an hour apart, only a watch notice can make anything happen. */
  static final LeaseTimings FROZEN = new LeaseTimings(
      Duration.ofHours(1), Duration.ofMinutes(6), Duration.ofMinutes(20), Duration.ofMinutes(6));

  final String db = "elector-" + UUID.randomUUID();
  final LeaseStore storeA = LeaseStores.open("mem://" + SimNode.NAMESPACE);
  final LeaseStore storeB = LeaseStores.open("mem://" + SimNode.NAMESPACE);
  final MonotonicClock frozen = () -> 42L;

  @AfterEach
  void close() {
    storeA.close();
    storeB.close();
  }

  LeaseElector start(LeaseStore store, String id, LeaseTimings t, MonotonicClock clock, RecordingListener l) {
    CoordinatorConfig cfg = CoordinatorConfig.candidate(db, id, "http://" + id + ":1").withTimings(t);
    return LeaseElector.start(cfg, store, clock, InstantSource.system(), new CoordinatorMetrics(), l);
  }

  @Test
  void gracefulCloseHandsOverAtOnceThroughTheWatch() throws Exception {
    RecordingListener la = new RecordingListener();
    RecordingListener lb = new RecordingListener();
    LeaseElector a = start(storeA, "a", FROZEN, frozen, la);
    Term ta = la.awaitLeader(BOUND).term();
    try (LeaseElector b = start(storeB, "b", FROZEN, frozen, lb)) {
      awaitObserved(b, "a");
      a.close();
      Term tb = lb.awaitLeader(BOUND).term();
      assertEquals(ClaimReason.RELEASED, tb.claimedBecause(), "taken over because released, not expired");
      assertTrue(tb.epoch() > ta.epoch());
      assertTrue(b.isLeader());
      assertFalse(a.isLeader());
      assertEquals(2, la.events.size());
      assertEquals(DemotionReason.RELEASED, la.events.get(1).reason());
    }
  }

  @Test
  void leaderDemotesAtOnceWhenTheWatchShowsAnotherWriter() throws Exception {
    RecordingListener la = new RecordingListener();
    try (LeaseElector a = start(storeA, "a", FROZEN, frozen, la)) {
      la.awaitLeader(BOUND);
      Versioned v = storeB.read(db + "/lease").orElseThrow();
      assertTrue(storeB.compareAndSet(db + "/lease", v.version(), "someone else".getBytes()).isWon());
      la.awaitDemotion(DemotionReason.SUPERSEDED, BOUND);
      assertFalse(a.isLeader());
      assertEquals(1, a.lease().metrics().snapshot().demotions());
    }
  }

  @Test
  void watchdogFencesTheLeaderWhileItsRenewHangs() throws Exception {
    FaultyLeaseStore faulty = new FaultyLeaseStore(storeA);
    RecordingListener la = new RecordingListener();
    LeaseTimings t = LeaseTimings.ofTtl(Duration.ofMillis(600));
    CountDownLatch unblock = new CountDownLatch(1);
    CountDownLatch blocked = new CountDownLatch(1);
    try (LeaseElector a = start(faulty, "a", t, MonotonicClock.system(), la)) {
      la.awaitLeader(BOUND);
      faulty.beforeEffect(() -> {
        blocked.countDown();
        try {
          unblock.await(BOUND.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      });
      assertTrue(blocked.await(BOUND.toMillis(), TimeUnit.MILLISECONDS), "a renew starts");
      la.awaitDemotion(DemotionReason.FENCED, BOUND);
      assertEquals(1, unblock.getCount(), "fenced while the renew was still hanging");
      assertFalse(a.isLeader());
      assertEquals(1, a.lease().metrics().snapshot().fenced());
      faulty.beforeEffect(() -> {});
      unblock.countDown();
      // Once the store answers again the node claims anew (its own record), with a new epoch.
      RecordingListener.Event again = la.await(e -> e.leader() && e.term().claimedBecause() == ClaimReason.OWN_RECORD,
          BOUND, "a new term");
      assertTrue(again.term().epoch() > la.events.get(0).term().epoch());
    }
  }

  @Test
  void aWatchThatFailedAtStartIsEstablishedOnceTheStoreIsBack() throws Exception {
    FaultyLeaseStore faulty = new FaultyLeaseStore(storeB);
    faulty.mode(FaultyLeaseStore.Mode.DOWN);
    LeaseTimings t = LeaseTimings.ofTtl(Duration.ofMillis(500));
    try (LeaseElector b = start(faulty, "b", t, frozen, new RecordingListener())) {
      Thread.sleep(100);
      assertFalse(b.watching());
      faulty.mode(FaultyLeaseStore.Mode.UP);
      long deadline = System.nanoTime() + BOUND.toNanos();
      while (!b.watching()) {
        assertTrue(System.nanoTime() < deadline, "watch never re-established");
        Thread.sleep(10);
      }
    }
  }

  static void awaitObserved(LeaseElector e, String holder) throws InterruptedException {
    long deadline = System.nanoTime() + BOUND.toNanos();
    while (e.lease().observed().map(o -> !o.record().holder().equals(holder)).orElse(true)) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("never observed " + holder + " as holder");
      }
      Thread.sleep(5);
    }
  }
}

package io.hadb.coordinator.lease;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hadb.api.LeaseStore;
import io.hadb.api.LeaseStores;
import io.hadb.coordinator.metrics.CoordinatorMetrics;
import io.hadb.testservers.NatsServer;
import java.time.Duration;
import java.time.InstantSource;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The lease protocol on a real nats-server (lease-nats, JetStream KV): claim, graceful release
 * with takeover through the KV watch, and a server frozen with SIGSTOP under a live leader. Waits
 * are liveness bounds; the one timing property checked (the fence within the ttl) follows from
 * the leader's clock arithmetic, not from how fast this machine is.
 */
@Timeout(120)
class NatsLeaseElectorTest {
  static final LeaseTimings T = LeaseTimings.ofTtl(Duration.ofSeconds(2)); // margin 200 ms, renew 666 ms
  static final Duration BOUND = Duration.ofSeconds(15);
  static final String TIMEOUTS = "requestTimeout=300ms&resolveTimeout=300ms";

  static LeaseElector start(LeaseStore store, String db, String id, RecordingListener l) {
    CoordinatorConfig cfg = CoordinatorConfig.candidate(db, id, "http://127.0.0.1:1/" + id).withTimings(T);
    return LeaseElector.start(cfg, store, MonotonicClock.system(), InstantSource.system(), new CoordinatorMetrics(), l);
  }

  @Test
  void claimThenGracefulReleaseIsTakenOverThroughTheWatch() throws Exception {
    NatsServer server = NatsServer.shared();
    try (LeaseStore sa = LeaseStores.open(server.leaseUri("coordinator", TIMEOUTS));
        LeaseStore sb = LeaseStores.open(server.leaseUri("coordinator", TIMEOUTS))) {
      String db = "release-" + System.nanoTime();
      RecordingListener la = new RecordingListener();
      RecordingListener lb = new RecordingListener();
      LeaseElector a = start(sa, db, "a", la);
      Term ta = la.awaitLeader(BOUND).term();
      assertEquals(ClaimReason.ABSENT, ta.claimedBecause());
      try (LeaseElector b = start(sb, db, "b", lb)) {
          LeaseElectorTest.awaitObserved(b, "a");
          assertEquals(ta.epoch(), b.lease().observed().orElseThrow().epoch(), "followers learn the epoch");
          assertEquals("http://127.0.0.1:1/a", b.lease().observed().orElseThrow().record().address());
          a.close();
          Term tb = lb.awaitLeader(BOUND).term();
          assertEquals(ClaimReason.RELEASED, tb.claimedBecause(), "taken over because released, not expired");
          assertTrue(tb.epoch() > ta.epoch());
          assertFalse(a.isLeader());
          assertEquals(DemotionReason.RELEASED, la.events.get(la.events.size() - 1).reason());
          System.out.printf("nats graceful handoff: %.1f ms from release to the new leader's callback%n",
              (lb.events.get(0).atNanos() - la.events.get(1).atNanos()) / 1e6);
        }
      }
    }

    @Test
    void pausedServerMakesTheLeaderFenceItselfWithinTheTtlThenExactlyOneLeads() throws Exception {
      try (NatsServer server = NatsServer.start();
          LeaseStore sa = LeaseStores.open(server.leaseUri("coordinator", TIMEOUTS));
          LeaseStore sb = LeaseStores.open(server.leaseUri("coordinator", TIMEOUTS))) {
        String db = "pause";
        RecordingListener la = new RecordingListener();
        RecordingListener lb = new RecordingListener();
        try (LeaseElector a = start(sa, db, "a", la)) {
          la.awaitLeader(BOUND); // b starts only now, so a is the leader the test pauses under
          try (LeaseElector b = start(sb, db, "b", lb)) {
          LeaseElectorTest.awaitObserved(b, "a");
          Thread.sleep(T.ttl().toMillis()); // a few renewals on a healthy server
          assertTrue(a.isLeader());
          server.pause(); // returns once the kernel reports the server stopped
          long pausedAt = System.nanoTime(); // not before pause(): a busy machine may take a while to stop it
          try {
            // No renew can start and succeed after pausedAt, so a's deadline is at most pausedAt + ttl - margin.
            long fenceBy = pausedAt + T.fenceAfter().toNanos();
            while (System.nanoTime() - fenceBy < 0) {
              Thread.sleep(10);
            }
            assertFalse(a.isLeader(), "still leader ttl - margin after the store froze");
            assertFalse(b.isLeader(), "no claim can succeed on a frozen store");
            RecordingListener.Event fenced = la.awaitDemotion(DemotionReason.FENCED, BOUND);
            System.out.printf("nats paused: fence callback %.0f ms after SIGSTOP (ttl %d ms)%n",
                (fenced.atNanos() - pausedAt) / 1e6, T.ttl().toMillis());
            assertEquals(1, a.lease().metrics().snapshot().fenced());
            assertTrue(a.lease().metrics().snapshot().renewFailures() > 0);
          } finally {
            server.resume();
          }
          awaitExactlyOneLeader(List.of(a, b));
          // And it stays that way through several renew rounds.
          long until = System.nanoTime() + 2 * T.ttl().toNanos();
          while (System.nanoTime() - until < 0) {
            assertTrue(leaders(List.of(a, b)) <= 1, "two leaders after resume");
            Thread.sleep(5);
          }
          assertEquals(1, leaders(List.of(a, b)));
        }
      }
    }
  }

  static long leaders(List<LeaseElector> es) {
    return es.stream().filter(LeaseElector::isLeader).count();
  }

  static void awaitExactlyOneLeader(List<LeaseElector> es) throws InterruptedException {
    long deadline = System.nanoTime() + BOUND.toNanos();
    while (leaders(es) != 1) {
      assertTrue(leaders(es) <= 1, "two leaders");
      if (System.nanoTime() > deadline) {
        throw new AssertionError("no leader within " + BOUND + ": " + es);
      }
      Thread.sleep(10);
    }
  }
}

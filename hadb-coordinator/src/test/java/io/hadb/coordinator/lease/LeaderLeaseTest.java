package io.hadb.coordinator.lease;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hadb.api.ErrorCode;
import io.hadb.api.HadbException;
import io.hadb.api.LeaseStore;
import io.hadb.api.LeaseStores;
import io.hadb.api.Versioned;
import io.hadb.coordinator.Role;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The lease protocol of DESIGN §6.1, driven step by step on lease-mem with simulated clocks: every
 * instant below is exact, nothing sleeps.
 */
class LeaderLeaseTest {
  static final LeaseTimings T = LeaseTimings.defaults(); // ttl 5 s, margin 500 ms, renew 1666 ms, poll 500 ms
  static final long TTL_MS = T.ttl().toMillis();
  static final long MARGIN_MS = T.margin().toMillis();
  static final long EXPIRY_MS = TTL_MS + MARGIN_MS;

  final SimTime time = new SimTime();
  final String db = "db-" + UUID.randomUUID();
  final List<SimNode> nodes = new ArrayList<>();
  final LeaseStore raw = LeaseStores.open("mem://" + SimNode.NAMESPACE);

  SimNode node(String id) {
    return node(id, time.node());
  }

  SimNode node(String id, SimTime.NodeClock clock) {
    SimNode n = SimNode.candidate(time, db, id, T, clock);
    nodes.add(n);
    return n;
  }

  @AfterEach
  void close() {
    nodes.forEach(SimNode::close);
    raw.close();
  }

  Versioned record() {
    return raw.read(db + "/lease").orElseThrow();
  }

  @Test
  void firstNodeClaimsAnAbsentLeaseWithTheClaimVersionAsEpoch() {
    SimNode a = node("a");
    a.step();
    assertTrue(a.isLeader());
    Versioned v = record();
    assertEquals(v.version(), a.epoch(), "epoch = the version the claim wrote");
    assertEquals(ClaimReason.ABSENT, a.lease.term().orElseThrow().claimedBecause());
    assertEquals(Role.LEADER, a.metrics.snapshot().role());
    assertEquals(1, a.metrics.snapshot().claims());
    assertEquals(a.epoch(), a.metrics.snapshot().epoch());
    assertEquals(1, a.events.size());
    assertTrue(a.events.get(0).leader());
  }

  @Test
  void leaderRenewsEveryThirdOfTheTtlAndEachRenewMovesItsDeadline() {
    SimNode a = node("a");
    a.step();
    long claimVersion = record().version();
    long renewMs = T.renewInterval().toMillis();
    assertEquals(TTL_MS / 3, renewMs);
    assertEquals(T.fenceAfter().toNanos(), a.fenceDeadlineTrue(), "deadline = claim start + ttl - margin");

    time.advance(T.renewInterval().minusNanos(1));
    a.step();
    assertEquals(claimVersion, record().version(), "no renew before ttl/3");

    time.advance(Duration.ofNanos(1));
    long renewStart = time.now();
    a.step();
    long renewed = record().version();
    assertTrue(renewed > claimVersion, "renewed by compare-and-set");
    assertEquals(claimVersion, a.epoch(), "a renew keeps the epoch");
    assertEquals(renewStart + T.fenceAfter().toNanos(), a.fenceDeadlineTrue());
    assertEquals(1, a.metrics.snapshot().renewals());

    for (int i = 0; i < 30; i++) { // a minute of renewals
      time.advanceMillis(2000);
      a.step();
      assertTrue(a.isLeader());
    }
    assertEquals(claimVersion, a.epoch());
    assertEquals(0, a.metrics.snapshot().renewFailures());
  }

  @Test
  void followerClaimsOnlyAfterTtlPlusMarginOfUnchangedVersionOnItsOwnClock() {
    SimNode a = node("a");
    a.step();
    long oldEpoch = a.epoch();
    // a crashes right after its claim: it never steps again. b starts 10 s later, so the record
    // is already "old" by any wall clock; b still counts from its own first sight of the version.
    time.advanceMillis(10_000);
    SimNode b = node("b", time.node(123_456_789L, 0, Duration.ZERO));
    b.step();
    long seen = time.now();
    assertFalse(b.isLeader());
    assertTrue(b.lease.observed().isPresent());
    assertEquals("a", b.lease.observed().get().record().holder());
    assertEquals(oldEpoch, b.lease.observed().get().epoch());
    while (time.now() + 100_000_000L < seen + EXPIRY_MS * 1_000_000L) {
      time.advanceMillis(100);
      b.step();
      assertFalse(b.isLeader(), "claimed " + (time.now() - seen) / 1_000_000 + " ms after first sight");
    }
    time.advance(Duration.ofNanos(seen + EXPIRY_MS * 1_000_000L - time.now()));
    b.step();
    assertTrue(b.isLeader(), "claims exactly at ttl + margin");
    assertEquals(ClaimReason.EXPIRED, b.lease.term().orElseThrow().claimedBecause());
    assertTrue(b.epoch() > oldEpoch);
  }

  @Test
  void aVersionChangeRestartsTheFollowersCount() {
    SimNode a = node("a");
    SimNode b = node("b");
    a.step();
    b.step();
    // a renews every ttl/3, so b, stepping every poll interval, never sees one version for long.
    for (int i = 0; i < 200; i++) {
      time.advance(T.pollInterval());
      a.step();
      b.step();
      assertTrue(a.isLeader());
      assertFalse(b.isLeader());
    }
  }

  /**
   * A follower whose wall clock is an hour ahead (or behind) of the leader's claims at exactly the
   * same instant as one with the leader's clock: only the unchanged version on its monotonic
   * clock counts, never the record's wall time.
   */
  @ParameterizedTest
  @ValueSource(longs = {-3600, 0, 3600})
  void wallClockOffsetOfAnHourChangesNothing(long offsetSeconds) {
    SimNode a = node("a");
    a.step();
    time.advanceMillis(1000); // a writes its wall time into the record once more, then crashes
    a.step();
    time.advanceMillis(1000);
    a.step();
    SimNode b = node("b", time.node(-987_654_321L, 0, Duration.ofSeconds(offsetSeconds)));
    b.step();
    long seen = time.now();
    long claimedAt = -1;
    for (int i = 0; i < 200 && claimedAt < 0; i++) {
      time.advanceMillis(50);
      b.step();
      if (b.isLeader()) {
        claimedAt = time.now();
      }
    }
    assertEquals(EXPIRY_MS, (claimedAt - seen) / 1_000_000,
        "wall clock offset " + offsetSeconds + " s must not move the takeover");
  }

  @Test
  void leaderFencesItselfBeforeAnyFollowerCanClaim() {
    // Monotonic clocks that run at different rates (1% apart each way) are the worst case the
    // margin must absorb: the leader's runs slow (its deadline comes late in true time), the
    // followers' run fast (their wait ends early).
    SimNode a = node("a", time.node(5_000_000_000L, -10_000, Duration.ofHours(-1)));
    SimNode b = node("b", time.node(-7_000_000_000L, 10_000, Duration.ofHours(1)));
    SimNode c = node("c", time.node(Long.MAX_VALUE - 2_000_000_000L, 10_000, Duration.ZERO));
    a.step();
    for (int i = 0; i < 20; i++) {
      time.advanceMillis(100);
      a.step();
      b.step();
      c.step();
    }
    a.store.mode(FaultyLeaseStore.Mode.DOWN); // a is cut off from the store; b and c are not
    long fenceAt = a.fenceDeadlineTrue();
    long firstClaim = -1;
    long lastLeaderTick = -1;
    for (int i = 0; i < 2000 && firstClaim < 0; i++) {
      time.advanceMillis(5);
      a.step();
      b.step();
      c.step();
      if (a.isLeader()) {
        lastLeaderTick = time.now();
      }
      if (b.isLeader() || c.isLeader()) {
        firstClaim = time.now();
      }
      assertFalse(a.isLeader() && (b.isLeader() || c.isLeader()), "two leaders at " + time.now());
    }
    assertTrue(firstClaim > 0, "a follower takes over");
    assertTrue(lastLeaderTick < fenceAt, "a believed it led after its deadline");
    assertTrue(fenceAt < firstClaim, "fence " + fenceAt + " must precede the earliest claim " + firstClaim);
    assertTrue(firstClaim - fenceAt >= T.margin().toNanos(),
        "the gap " + (firstClaim - fenceAt) / 1e6 + " ms is below one margin");
    assertEquals(1, a.metrics.snapshot().fenced());
    assertTrue(a.metrics.snapshot().renewFailures() > 0);
    SimNode.Event last = a.events.get(a.events.size() - 1);
    assertEquals(DemotionReason.FENCED, last.reason());
  }

  @Test
  void aRenewThatHangsPastTheDeadlineNeverOverlapsTheNextLeader() {
    SimNode a = node("a");
    SimNode b = node("b");
    a.step();
    b.step();
    time.advance(T.renewInterval());
    List<String> overlaps = new ArrayList<>();
    boolean[] hung = {false};
    a.store.beforeEffect(() -> {
      if (hung[0]) {
        return;
      }
      hung[0] = true; // the renew's request sits in the network for 2 ttl while b keeps polling
      for (int i = 0; i < 2 * TTL_MS / 10; i++) {
        time.advanceMillis(10);
        b.step();
        if (a.isLeader() && b.isLeader()) {
          overlaps.add("both lead at " + time.now());
        }
      }
    });
    a.step();
    assertTrue(overlaps.isEmpty(), overlaps.toString());
    assertTrue(b.isLeader(), "b took over while a's renew hung");
    assertFalse(a.isLeader());
    assertEquals(0, a.lease.checkFence());
    // The late request lost its compare-and-set against b's claim.
    assertEquals("b", b.lease.config().nodeId());
    assertNotEquals(a.lease.fenceDeadlineNanos(), b.lease.fenceDeadlineNanos());
    assertTrue(a.events.stream().anyMatch(e -> !e.leader()));
  }

  @Test
  void lostCompareAndSetDemotesAtOnceBeforeTheDeadline() {
    SimNode a = node("a");
    a.step();
    long epoch = a.epoch();
    Versioned v = record();
    // Another writer (a misbehaving node) replaces the record.
    assertTrue(raw.compareAndSet(db + "/lease", v.version(), new byte[] {1, 2, 3}).isWon());
    time.advance(T.renewInterval());
    a.step();
    assertFalse(a.isLeader(), "demoted by the lost CAS, long before its deadline");
    SimNode.Event last = a.events.get(a.events.size() - 1);
    assertEquals(DemotionReason.LOST_CAS, last.reason());
    assertEquals(epoch, last.term().epoch());
    assertEquals(0, a.metrics.snapshot().fenced());
    assertEquals(1, a.metrics.snapshot().demotions());
    assertEquals(Role.FOLLOWER, a.metrics.snapshot().role());
  }

  @Test
  void gracefulReleaseIsClaimableAtOnceAndTheReleaserHoldsOffForOneTtl() {
    SimNode a = node("a");
    SimNode b = node("b");
    a.step();
    b.step();
    long epoch = a.epoch();
    assertTrue(a.lease.release());
    assertFalse(a.isLeader());
    assertEquals(DemotionReason.RELEASED, a.events.get(a.events.size() - 1).reason());
    a.step(); // the releaser does not grab its own released record back
    assertFalse(a.isLeader());
    b.step(); // no time has passed
    assertTrue(b.isLeader());
    assertEquals(ClaimReason.RELEASED, b.lease.term().orElseThrow().claimedBecause());
    assertTrue(b.epoch() > epoch);
  }

  @Test
  void releasedLeaseWithNoOtherNodeIsReclaimedAfterTheHoldOff() {
    SimNode a = node("a");
    a.step();
    a.lease.release();
    time.advanceMillis(TTL_MS - 1);
    a.step();
    assertFalse(a.isLeader());
    time.advanceMillis(1);
    a.step();
    assertTrue(a.isLeader());
  }

  @Test
  void aRenewWhoseReplyIsLostIsRecognisedByReadingAndCountsFromItsStart() {
    SimNode a = node("a");
    a.step();
    time.advance(T.renewInterval());
    long lostStart = time.now();
    a.store.mode(FaultyLeaseStore.Mode.REPLY_LOST);
    a.step(); // lands, but a gets UNKNOWN_OUTCOME
    long landed = record().version();
    assertTrue(a.isLeader(), "an unanswered renew does not demote before the deadline");
    assertEquals(1, a.metrics.snapshot().renewFailures());
    a.store.mode(FaultyLeaseStore.Mode.UP);
    time.advanceMillis(100);
    a.step(); // reads, finds its own write
    assertTrue(a.isLeader());
    assertEquals(lostStart + T.fenceAfter().toNanos(), a.fenceDeadlineTrue(),
        "deadline counted from the start of the unanswered attempt");
    time.advance(T.renewInterval());
    a.step(); // renews on the adopted version: the CAS must win
    assertTrue(a.isLeader());
    assertTrue(record().version() > landed);
    assertEquals(0, a.metrics.snapshot().demotions());
  }

  @Test
  void releaseAfterALostReplyRenewStillReleasesSoFollowersNeedNotWait() {
    SimNode a = node("a");
    SimNode b = node("b");
    a.step();
    b.step();
    time.advance(T.renewInterval());
    a.store.mode(FaultyLeaseStore.Mode.REPLY_LOST);
    a.step(); // lands at a version a does not know yet
    a.store.mode(FaultyLeaseStore.Mode.UP);
    assertTrue(a.lease.release(), "the release must use the version the lost-reply renew wrote");
    b.step();
    assertTrue(b.isLeader());
    assertEquals(ClaimReason.RELEASED, b.lease.term().orElseThrow().claimedBecause());
  }

  @Test
  void aWatchNoticeWhoseReadFailsDoesNotSkipTheRenew() {
    SimNode a = node("a");
    a.step();
    time.advance(T.renewInterval());
    a.store.mode(FaultyLeaseStore.Mode.READS_DOWN);
    a.lease.stepAfterChange();
    assertEquals(1, a.metrics.snapshot().renewals());
    assertTrue(a.isLeader());
  }

  @Test
  void aClaimWhoseReplyIsLostIsTakenOverByItsOwnNodeOnTheNextStep() {
    SimNode a = node("a");
    a.store.mode(FaultyLeaseStore.Mode.REPLY_LOST);
    a.step();
    assertFalse(a.isLeader());
    long landed = record().version();
    a.store.mode(FaultyLeaseStore.Mode.UP);
    a.step();
    assertTrue(a.isLeader());
    assertEquals(ClaimReason.OWN_RECORD, a.lease.term().orElseThrow().claimedBecause());
    assertTrue(a.epoch() > landed);
  }

  @Test
  void corruptRecordIsNeverClaimedEarlyAndIsReplacedAfterTheExpiryWait() {
    assertTrue(raw.create(db + "/lease", "not a lease record".getBytes()).isWon());
    SimNode b = node("b");
    b.step();
    long seen = time.now();
    assertFalse(b.isLeader());
    assertTrue(b.lease.observed().isEmpty());
    time.advanceMillis(EXPIRY_MS - 1);
    b.step();
    assertFalse(b.isLeader());
    time.advanceMillis(1);
    b.step();
    assertTrue(b.isLeader());
    assertEquals(EXPIRY_MS * 1_000_000L, time.now() - seen);
  }

  /**
   * A database record held through a node lease (DESIGN §9.1) is never renewed, so an unchanged
   * version says nothing about its holder: a node leasing the database by its own register must
   * not take it on that rule (it would lead beside a live holder); a release it may take.
   */
  @Test
  void aRecordHeldThroughANodeLeaseIsNeverClaimedOnExpiry() {
    LeaseRecord held = new LeaseRecord("n", "http://n", T.ttl(), false, 0, 7, 1, 0, 42);
    assertTrue(raw.create(db + "/lease", LeaseRecordCodec.encode(held)).isWon());
    SimNode b = node("b");
    b.step();
    for (int i = 0; i < 10; i++) {
      time.advanceMillis(EXPIRY_MS);
      b.step();
      assertFalse(b.isLeader(), "claimed a session-bound record after " + (i + 1) + " expiry waits");
    }
    long v = record().version();
    LeaseRecord released = new LeaseRecord("n", "http://n", T.ttl(), true, v, 7, 2, 0, 42);
    assertTrue(raw.compareAndSet(db + "/lease", v, LeaseRecordCodec.encode(released)).isWon());
    b.step();
    assertTrue(b.isLeader(), "a released record is claimed at once, whoever released it");
  }

  @Test
  void readReplicaNeverClaims() {
    CoordinatorConfig cfg = CoordinatorConfig.candidate(db, "replica", "").withTimings(T)
        .withRoles(CoordinatorConfig.READ_REPLICA);
    SimNode r = new SimNode(time, cfg, time.node());
    nodes.add(r);
    for (int i = 0; i < 50; i++) {
      r.step();
      time.advanceMillis(1000);
    }
    assertFalse(r.isLeader());
    assertTrue(raw.read(db + "/lease").isEmpty());
  }

  @Test
  void requireLeaderThrowsFencedUnlessThisNodeLeadsThatEpoch() {
    SimNode a = node("a");
    HadbException e = assertThrows(HadbException.class, () -> a.lease.requireLeader(1));
    assertEquals(ErrorCode.FENCED, e.code());
    a.step();
    a.lease.requireLeader(a.epoch());
    long epoch = a.epoch();
    assertEquals(ErrorCode.FENCED,
        assertThrows(HadbException.class, () -> a.lease.requireLeader(epoch + 1)).code());
    time.advance(T.ttl()); // no renew: past the deadline
    assertEquals(ErrorCode.FENCED,
        assertThrows(HadbException.class, () -> a.lease.requireLeader(epoch)).code());
  }
}

package io.hadb.coordinator.role;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hadb.api.ErrorCode;
import io.hadb.api.HadbException;
import io.hadb.coordinator.role.Promotion.Phase;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/** The promotion sketch of DESIGN §6.2 on an in-memory chain (test double in {@link FakeChain}). */
class PromotionTest {
  final FakeChain chain = new FakeChain();
  final AtomicBoolean leads = new AtomicBoolean(true);
  final Promotion.LeaderCheck lease = epoch -> {
    if (!leads.get()) {
      throw HadbException.fenced("lease lost at epoch " + epoch);
    }
  };

  /** An old leader at epoch 3 that published {@code n} changesets. */
  FakeChain.Replica oldLeader(int n) {
    FakeChain.Replica old = chain.replica();
    old.startPublishing(3, 1);
    for (int i = 1; i <= n; i++) {
      old.commit("old-" + i);
    }
    return old;
  }

  @Test
  void catchesUpSealsAtHeadPlusOneThenPublishesAfterTheSeal() {
    oldLeader(5);
    FakeChain.Replica node = chain.replica();
    Promotion p = new Promotion(node, lease, 3);
    Promotion.Result r = p.promote(7);
    assertTrue(r.accepted(), r.toString());
    assertNull(r.cause());
    assertEquals(6, r.sealSeq());
    assertEquals(new FakeChain.Entry(7, FakeChain.SEAL), chain.entries.get(6L));
    assertEquals(List.of(Phase.CLAIMED, Phase.CATCHING_UP, Phase.SEALING, Phase.ACCEPTING_WRITES), p.phases());
    assertEquals(List.of("old-1", "old-2", "old-3", "old-4", "old-5"), node.applied, "caught up before writing");
    assertEquals(7, node.commit("new-1"));
    assertEquals(7, chain.entries.get(7L).epoch());
    chain.assertLinear();
  }

  @Test
  void sealLostToAnOldLeaderStillFinishingIsRetriedAfterItAndFencesIt() {
    FakeChain.Replica old = oldLeader(2);
    FakeChain.Replica node = chain.replica();
    boolean[] raced = {false};
    FakeChain.Sealer racing = (epoch, seq) -> {
      if (!raced[0]) {
        raced[0] = true;
        old.commit("old-late"); // resumed from a pause, it lands seq 3 between our pull and our seal
      }
      return chain.sealer().seal(epoch, seq);
    };
    node.sealer = racing;
    Promotion.Result r = new Promotion(node, lease, 3).promote(9);
    assertTrue(r.accepted(), r.toString());
    assertEquals(2, r.sealAttempts());
    assertEquals(4, r.sealSeq());
    assertTrue(node.applied.contains("old-late"), "the late write was before the seal: it is kept, in order");
    HadbException fenced = assertThrows(HadbException.class, () -> old.commit("old-too-late"));
    assertEquals(ErrorCode.FENCED, fenced.code());
    assertEquals(5, node.commit("new-1"));
    chain.assertLinear();
  }

  @Test
  void leaseLostWhileCatchingUpNeverSealsAndLeavesAFollower() {
    oldLeader(3);
    FakeChain.Replica node = chain.replica();
    FakeChain.Sealer neverCalled = (epoch, seq) -> {
      throw new AssertionError("sealed after losing the lease");
    };
    node.sealer = neverCalled;
    Promotion p = new Promotion(new PullThenLose(node), lease, 3);
    Promotion.Result r = p.promote(5);
    assertFalse(r.accepted());
    assertEquals(Phase.SEALING, r.phase());
    assertEquals(ErrorCode.FENCED, r.cause().code());
    assertEquals(0, r.sealSeq());
    assertFalse(node.publishing);
    assertEquals(Phase.ABORTED, p.phases().get(p.phases().size() - 1));
    assertEquals(3, chain.head(), "nothing written");
  }

  @Test
  void sealContentionIsBoundedAndReportedNotLooped() {
    FakeChain.Replica old = oldLeader(1);
    FakeChain.Replica node = chain.replica();
    FakeChain.Sealer alwaysBeaten = (epoch, seq) -> {
      old.commit("old-" + seq);
      return chain.sealer().seal(epoch, seq);
    };
    node.sealer = alwaysBeaten;
    Promotion.Result r = new Promotion(node, lease, 3).promote(4);
    assertFalse(r.accepted());
    assertEquals(3, r.sealAttempts());
    assertEquals(ErrorCode.UNAVAILABLE, r.cause().code());
    assertFalse(node.publishing);
    chain.assertLinear();
  }

  @Test
  void demotionStopsPublishingAndFollowsTheNextLeader() {
    oldLeader(1);
    FakeChain.Replica a = chain.replica();
    Promotion pa = new Promotion(a, lease, 3);
    assertTrue(pa.promote(5).accepted());
    a.commit("a-1");
    pa.demote();
    assertFalse(a.publishing);
    FakeChain.Replica b = chain.replica();
    assertTrue(new Promotion(b, lease, 3).promote(8).accepted());
    b.commit("b-1");
    a.pull();
    assertEquals(List.of("old-1", "a-1", "b-1"), a.applied, "the demoted node keeps following");
    assertEquals(b.appliedSeq(), a.appliedSeq());
    chain.assertLinear();
  }

  /** Delegates to a replica, and loses the lease right after the first pull returns. */
  final class PullThenLose extends DelegatingReplicator {
    PullThenLose(FakeChain.Replica inner) {
      super(inner);
    }

    @Override
    public long pull() {
      long s = super.pull();
      leads.set(false);
      return s;
    }
  }
}

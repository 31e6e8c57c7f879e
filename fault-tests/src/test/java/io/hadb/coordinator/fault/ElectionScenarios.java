package io.hadb.coordinator.fault;

import static io.hadb.coordinator.fault.Cluster.BOUND;
import static io.hadb.coordinator.fault.Cluster.TIMINGS;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

/**
 * The fault scenarios a–e of DESIGN §7 at the election level, on three node JVMs. Each
 * returns what it measured after asserting its invariant; the store-specific test classes run
 * them on a lease URI. Waits are liveness bounds; figures are printed, not asserted.
 */
final class ElectionScenarios {
  private ElectionScenarios() {}

  static double ms(long nanos) {
    return nanos / 1e6;
  }

  /** Starts n1..n3 at once and returns the first leader's claim, once it wrote to the chain. */
  static NodeProcess.Event startThreeAndAwaitWritingLeader(Cluster c) throws Exception {
    c.startAll("n1", "n2", "n3");
    NodeProcess.Event leader = c.awaitAny("LEADER", 0);
    c.node(leader).await("FIRST_WRITE", e -> e.num("epoch") == leader.num("epoch"), BOUND);
    c.awaitRunning();
    return leader;
  }

  /**
   * Waits until the leader of {@code claim} renewed once after its first write: its term runs
   * as it will until the fault (renewing, writing). Faults that follow land just after a renew,
   * with the deadline as far ahead as it gets.
   */
  static void awaitRenewWhileWriting(Cluster c, NodeProcess.Event claim) throws InterruptedException {
    long epoch = claim.num("epoch");
    NodeProcess leader = c.node(claim);
    long wrote = leader.await("FIRST_WRITE", e -> e.num("epoch") == epoch, BOUND).at();
    leader.await("DEADLINE", e -> e.num("epoch") == epoch && e.at() - wrote > 0, BOUND);
  }

  /**
   * While {@code old} is stopped: waits until another node wrote in a later epoch than {@code
   * epoch} and {@code old}'s last deadline passed, so that after the resume it is past both.
   * Returns that first write.
   */
  static NodeProcess.Event awaitTakeoverPastDeadline(Cluster c, NodeProcess old, long epoch)
      throws InterruptedException {
    NodeProcess.Event takeover = c.awaitAny("FIRST_WRITE", epoch);
    sleepUntil(old.lastDeadline(epoch));
    return takeover;
  }

  /** Sleeps until {@link System#nanoTime()} passes {@code nanos} (at once if it has). */
  static void sleepUntil(long nanos) throws InterruptedException {
    long left = nanos - System.nanoTime();
    if (left > 0) {
      Thread.sleep(left / 1_000_000 + 1);
    }
  }

  /** a. kill -9 of the leader: a follower takes over; reports kill → claim and → first accepted write. */
  static String killLeader(Cluster c) throws Exception {
    NodeProcess.Event first = startThreeAndAwaitWritingLeader(c);
    long e1 = first.num("epoch");
    awaitRenewWhileWriting(c, first);
    long killedAt = c.node(first).kill9();
    NodeProcess.Event write = c.awaitAny("FIRST_WRITE", e1);
    NodeProcess.Event claim = c.node(write).await("LEADER", e -> e.num("epoch") == write.num("epoch"), BOUND);
    Thread.sleep(200);
    c.killAll();
    List<ChainRecord> chain = c.assertChainSafe();
    assertTrue(!write.node().equals(first.node()), "a follower took over");
    assertEquals("EXPIRED", claim.str("claimed"), "the dead leader's lease expired");
    assertEquals(List.of(e1, write.num("epoch")), Cluster.epochs(chain), "two terms, in order");
    return String.format("kill -9 -> claim %.0f ms, -> first accepted write %.0f ms (ttl %d ms, %d records)",
        ms(claim.at() - killedAt), ms(write.at() - killedAt), TIMINGS.ttl().toMillis(), chain.size());
  }

  /**
   * b. SIGSTOP of the leader until another node took over (past its deadline, at least ttl +
   * margin), then SIGCONT: nothing of its epoch in the chain after its deadline, it demotes itself
   * and keeps running as a follower, no fork.
   */
  static String stopAndContinueLeader(Cluster c) throws Exception {
    NodeProcess.Event first = startThreeAndAwaitWritingLeader(c);
    long e1 = first.num("epoch");
    NodeProcess old = c.node(first);
    awaitRenewWhileWriting(c, first);
    long stoppedAt = old.stop();
    NodeProcess.Event takeover = awaitTakeoverPastDeadline(c, old, e1);
    long resumedAt = old.resume();
    NodeProcess.Event demoted = old.await("FOLLOWER", e -> e.num("epoch") == e1, BOUND);
    // Still running, as a follower: heartbeats after the resume that say so.
    old.await("ALIVE", e -> e.at() - resumedAt > 300_000_000L && !Boolean.parseBoolean(e.str("leader")), BOUND);
    assertTrue(old.isAlive(), "the old leader keeps running");
    Thread.sleep(200);
    c.killAll();
    List<ChainRecord> chain = c.assertChainSafe();
    long deadline = old.lastDeadline(e1);
    long lastOld = chain.stream().filter(r -> r.epoch() == e1).mapToLong(ChainRecord::stamp).max().orElseThrow();
    assertTrue(lastOld - deadline < 0, "old epoch's last record before its deadline");
    assertTrue(deadline - stoppedAt <= TIMINGS.fenceAfter().toNanos(), "deadline within ttl - margin of the stop");
    assertTrue(chain.get(chain.size() - 1).epoch() > e1, "the new leader's records follow the old ones");
    return String.format("deadline %.0f ms after SIGSTOP, last old record %.0f ms before it; demoted %s %.0f ms"
            + " after SIGCONT; new epoch's first write %.0f ms after SIGSTOP (by %s); chain lost by old leader: %s",
        ms(deadline - stoppedAt), ms(deadline - lastOld), demoted.str("reason"), ms(demoted.at() - resumedAt),
        ms(takeover.at() - stoppedAt), takeover.node(), !old.events("CHAIN_LOST").isEmpty());
  }

  /**
   * b, worst moment: the leader is frozen between its deadline check and its put, past its
   * deadline and past the takeover. Its one late put must lose to the new leader's first record
   * (DESIGN §6.2: the chain's put-if-absent is the fence the lease alone cannot be); it then
   * demotes, and the chain keeps every accepted write, without a fork.
   */
  static String stopLeaderMidWrite(Cluster c) throws Exception {
    NodeProcess.Event first = startThreeAndAwaitWritingLeader(c);
    long e1 = first.num("epoch");
    NodeProcess old = c.node(first);
    awaitRenewWhileWriting(c, first);
    old.send("stall");
    NodeProcess.Event stalling = old.await("STALLING", BOUND);
    long stoppedAt = old.stop();
    if (stoppedAt - stalling.at() > (ElectionNode.STALL_MS - 500) * 1_000_000L) {
      throw new IllegalStateException("the test stopped the node too late to freeze it inside its stall"
          + " (a slow machine?): " + ms(stoppedAt - stalling.at()) + " ms");
    }
    NodeProcess.Event takeover = awaitTakeoverPastDeadline(c, old, e1);
    long resumedAt = old.resume();
    old.await("FOLLOWER", e -> e.num("epoch") == e1, BOUND);
    old.await("STALLED_PUT", BOUND); // the late put: at once after SIGCONT, or when the stall's sleep ends
    c.killAll();
    c.assertChainSafe();
    NodeProcess.Event lost = old.first(e -> e.type().equals("CHAIN_LOST"))
        .orElseThrow(() -> new AssertionError("the old leader's late put did not lose\n" + c.describe()));
    assertEquals(stalling.num("seq"), lost.num("seq"), "the late put was the stalled one");
    assertEquals(takeover.num("seq"), lost.num("seq"), "it lost to the new leader's first record");
    return String.format("frozen %.0f ms before its deadline; new epoch's first write at seq %d %.0f ms after the"
        + " freeze; the stalled put of epoch %d at that seq lost %.0f ms after SIGCONT (%.0f ms past its deadline)",
        ms(stalling.num("deadline") - stoppedAt), takeover.num("seq"), ms(takeover.at() - stoppedAt), e1,
        ms(lost.at() - resumedAt), ms(lost.at() - old.lastDeadline(e1)));
  }

  /** c. graceful close: taken over because released; reports release → claim and → first write. */
  static String closeLeader(Cluster c) throws Exception {
    NodeProcess.Event first = startThreeAndAwaitWritingLeader(c);
    long e1 = first.num("epoch");
    awaitRenewWhileWriting(c, first);
    NodeProcess old = c.node(first);
    old.closeGracefully();
    long releasing = old.await("RELEASING", BOUND).at();
    NodeProcess.Event write = c.awaitAny("FIRST_WRITE", e1);
    NodeProcess.Event claim = c.node(write).await("LEADER", e -> e.num("epoch") == write.num("epoch"), BOUND);
    Thread.sleep(200);
    c.killAll();
    c.assertChainSafe();
    assertEquals("RELEASED", claim.str("claimed"), "taken over because released, without waiting for expiry");
    return String.format("release -> claim %.0f ms, -> first accepted write %.0f ms (ttl %d ms)",
        ms(claim.at() - releasing), ms(write.at() - releasing), TIMINGS.ttl().toMillis());
  }

  /**
   * d. wall clocks −1 h (the first leader), +1 h and 0: no claim while the leader renews, and
   * after it dies none before ttl + margin past its last renew; never two leaders.
   */
  static String skewedWallClocks(Cluster c) throws Exception {
    NodeProcess minus = c.start("minus1h", "-D" + ElectionNode.WALL_OFFSET + "=-PT1H");
    NodeProcess.Event first = minus.await("LEADER", BOUND);
    long e1 = first.num("epoch");
    minus.await("FIRST_WRITE", BOUND);
    c.start("plus1h", "-D" + ElectionNode.WALL_OFFSET + "=PT1H");
    c.start("zero");
    c.awaitRunning();
    long observe = TIMINGS.ttl().toMillis() * 3 / 2; // > ttl + margin: an expiry would show
    Thread.sleep(observe);
    assertOneClaimEach(c, minus, e1);
    long killedAt = minus.kill9();
    NodeProcess.Event claim = c.awaitAny("LEADER", e1);
    c.node(claim).await("FIRST_WRITE", e -> e.num("epoch") == claim.num("epoch"), BOUND);
    Thread.sleep(observe);
    c.killAll();
    List<ChainRecord> chain = c.assertChainSafe();
    assertEquals(2, Cluster.epochs(chain).size(), "exactly two terms: " + Cluster.epochs(chain));
    long claims = c.nodes.values().stream().mapToLong(n -> n.events("LEADER").size()).sum();
    assertEquals(2, claims, "no claim but the takeover\n" + c.describe());
    // The claim follows the last renew by ttl + margin: its deadline (renew + ttl − margin) + 2 × margin.
    long lastDeadline = minus.lastDeadline(e1);
    long gap = claim.at() - lastDeadline;
    assertTrue(gap >= 2 * TIMINGS.margin().toNanos(),
        "claim " + ms(gap) + " ms after the old leader's deadline, < 2 × margin\n" + c.describe());
    return String.format("takeover by %s %.0f ms after kill -9, %.0f ms after the old leader's deadline"
        + " (>= 2 x margin = %d ms)", claim.node(), ms(claim.at() - killedAt), ms(gap), 2 * TIMINGS.margin().toMillis());
  }

  private static void assertOneClaimEach(Cluster c, NodeProcess leader, long epoch) {
    for (NodeProcess n : c.nodes.values()) {
      List<NodeProcess.Event> claims = n.events("LEADER");
      if (n == leader) {
        assertEquals(1, claims.size(), "the leader claimed once\n" + c.describe());
        assertEquals(epoch, claims.get(0).num("epoch"));
      } else {
        assertTrue(claims.isEmpty(), n.id + " claimed while the leader renewed (premature takeover)\n" + c.describe());
      }
    }
  }

  /**
   * e. the lease server paused for 2 × ttl: the leader self-fences within the ttl (its last chain
   * record is before its deadline, which is at most ttl − margin after the pause); after the
   * server returns, exactly one leader.
   */
  static String pauseLeaseServer(Cluster c, Runnable pause, Runnable resume) throws Exception {
    NodeProcess.Event first = startThreeAndAwaitWritingLeader(c);
    long e1 = first.num("epoch");
    NodeProcess leader = c.node(first);
    awaitRenewWhileWriting(c, first);
    pause.run(); // returns once the kernel reports the server stopped
    long pausedAt = System.nanoTime(); // the bounds below start here: stopping it may take a while under load
    long resumedAt;
    try {
      // Not shorter, say until the leader demotes: a leader without the self-fence then writes
      // past its deadline for 2 × ttl − (ttl − margin), which the negative control shows; ending
      // the pause at its demotion left it 30 to 300 ms of such writes (10 runs).
      Thread.sleep(2 * TIMINGS.ttl().toMillis());
    } finally {
      resumedAt = System.nanoTime();
      resume.run();
    }
    NodeProcess.Event next = c.awaitAny("FIRST_WRITE", e1);
    // Two heartbeats of every node after the new leader's first write say who leads now.
    for (NodeProcess n : c.nodes.values()) {
      n.await("ALIVE", e -> e.at() - next.at() > 2 * ElectionNode.ALIVE_EVERY_MS * 1_000_000L, BOUND);
    }
    long leaders = c.nodes.values().stream().filter(NodeProcess::lastSaysLeader).count();
    NodeProcess.Event fenced = leader.first(e -> e.type().equals("FOLLOWER") && e.num("epoch") == e1)
        .orElseThrow(() -> new AssertionError("the leader never demoted\n" + c.describe()));
    c.killAll();
    List<ChainRecord> chain = c.chain();
    long deadline = leader.lastDeadline(e1);
    long lastRecord = chain.stream().filter(r -> r.epoch() == e1).mapToLong(ChainRecord::stamp).max().orElseThrow();
    if (lastRecord - deadline >= 0 || lastRecord - (pausedAt + TIMINGS.ttl().toNanos()) >= 0) {
      throw new AssertionError(String.format("epoch %d wrote to the chain %.0f ms after its deadline (%.0f ms after"
          + " the lease server paused)", e1, ms(lastRecord - deadline), ms(lastRecord - pausedAt)));
    }
    assertTrue(deadline - pausedAt <= TIMINGS.fenceAfter().toNanos(), "deadline within ttl - margin of the pause");
    assertEquals("FENCED", fenced.str("reason"), "demoted by its own deadline");
    c.assertChainSafe();
    assertEquals(1, leaders, "exactly one leader after the server returned\n" + c.describe());
    return String.format("deadline %.0f ms after the pause (ttl - margin = %d ms), last record %.0f ms after it,"
        + " FENCED callback %.0f ms after it; after resume epoch %d by %s, first write %.0f ms after resume",
        ms(deadline - pausedAt), TIMINGS.fenceAfter().toMillis(), ms(lastRecord - pausedAt), ms(fenced.at() - pausedAt),
        next.num("epoch"), next.node(), ms(next.at() - resumedAt));
  }
}

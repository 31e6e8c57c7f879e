package io.hadb.coordinator.fault;

import io.hadb.api.StorageBackend;
import io.hadb.api.StorageBackends;
import io.hadb.coordinator.lease.LeaseTimings;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Up to three {@link ElectionNode} JVMs on one lease store and one stand-in chain, and the
 * invariants the fault tests check on what they leave behind: the chain records and the events
 * the nodes reported. Every check throws {@link AssertionError} naming what broke.
 */
final class Cluster implements AutoCloseable {
  static final Duration TTL = Duration.ofSeconds(2);
  static final LeaseTimings TIMINGS = LeaseTimings.ofTtl(TTL); // margin 200 ms, renew 666 ms, poll 200 ms
  /** Liveness bound for anything the tests wait for (a loaded 2-core machine), never asserted on. */
  static final Duration BOUND = Duration.ofSeconds(20);

  final String leaseUri;
  final String chainUri;
  final String db;
  final Map<String, NodeProcess> nodes = new LinkedHashMap<>();
  private final List<String> everyNode = new ArrayList<>();

  Cluster(String leaseUri, Path dir, String db) {
    this.leaseUri = leaseUri;
    this.chainUri = "file://" + dir.resolve("chain").toAbsolutePath() + "?fsync=false";
    this.db = db;
  }

  /** Adds {@code -Dk=v} options to the JVM of every node started from now on. */
  Cluster withNodeProperties(String... properties) {
    everyNode.addAll(List.of(properties));
    return this;
  }

  /** Starts one node; {@code properties} are {@code -Dk=v} options of its JVM. */
  NodeProcess start(String id, String... properties) throws Exception {
    List<String> props = new ArrayList<>(everyNode);
    props.addAll(List.of(properties));
    NodeProcess n = NodeProcess.start(leaseUri, chainUri, db, id, TTL, props);
    nodes.put(id, n);
    return n;
  }

  void startAll(String... ids) throws Exception {
    for (String id : ids) {
      start(id);
    }
  }

  /** Waits until every node runs its elector (a heartbeat), so followers watch the record. */
  void awaitRunning() throws InterruptedException {
    for (NodeProcess n : nodes.values()) {
      n.await("ALIVE", BOUND);
    }
  }

  /** The first event of {@code type} with an epoch above {@code epochAbove}, on any node. */
  NodeProcess.Event awaitAny(String type, long epochAbove) throws InterruptedException {
    long deadline = System.nanoTime() + BOUND.toNanos();
    while (true) {
      Optional<NodeProcess.Event> best = nodes.values().stream()
          .flatMap(n -> n.events(type).stream())
          .filter(e -> e.num("epoch") > epochAbove)
          .min((x, y) -> Long.compare(x.at(), y.at()));
      if (best.isPresent()) {
        return best.get();
      }
      if (System.nanoTime() > deadline) {
        throw new AssertionError("no @" + type + " with epoch > " + epochAbove + " within " + BOUND + "\n" + describe());
      }
      Thread.sleep(10);
    }
  }

  NodeProcess node(NodeProcess.Event e) {
    return nodes.get(e.node());
  }

  /** Kills every node still running, so the chain no longer changes. */
  void killAll() throws InterruptedException {
    for (NodeProcess n : nodes.values()) {
      if (n.isAlive()) {
        n.kill9(); // SIGKILL also ends a stopped process
      }
    }
  }

  List<ChainRecord> chain() {
    try (StorageBackend s = StorageBackends.open(chainUri)) {
      return FencedChain.read(s);
    }
  }

  /**
   * No fork: seqs 1..n without a gap (put-if-absent never overwrote), epochs non-decreasing
   * along seq, and each epoch written by one node only.
   */
  static void assertNoFork(List<ChainRecord> chain) {
    Map<Long, String> writerOf = new HashMap<>();
    long prevEpoch = Long.MIN_VALUE;
    for (int i = 0; i < chain.size(); i++) {
      ChainRecord r = chain.get(i);
      if (r.seq() != i + 1) {
        throw new AssertionError("chain has a gap: record " + i + " is seq " + r.seq());
      }
      if (r.epoch() < prevEpoch) {
        throw new AssertionError("fork: seq " + r.seq() + " has epoch " + r.epoch() + " after epoch " + prevEpoch
            + " (" + r + ")");
      }
      prevEpoch = r.epoch();
      String w = writerOf.putIfAbsent(r.epoch(), r.nodeId());
      if (w != null && !w.equals(r.nodeId())) {
        throw new AssertionError("two leaders in epoch " + r.epoch() + ": " + w + " and " + r.nodeId());
      }
    }
  }

  /**
   * Every record was written before its writer's self-fence deadline: the deadline it carries
   * and the last one the node reported for that epoch. Returns how many records were checked.
   */
  int assertWrittenBeforeDeadlines(List<ChainRecord> chain) {
    for (ChainRecord r : chain) {
      long reported = nodes.get(r.nodeId()).lastDeadline(r.epoch());
      long deadline = reported == 0 ? r.deadline() : Math.min(r.deadline(), reported);
      if (r.stamp() - deadline >= 0) {
        throw new AssertionError("seq " + r.seq() + " of epoch " + r.epoch() + " by " + r.nodeId()
            + " was written " + (r.stamp() - deadline) / 1_000_000 + " ms after its deadline");
      }
    }
    return chain.size();
  }

  /**
   * Terms never overlap in time: each epoch's term (up to its last reported deadline, or its
   * graceful release) ends before the next epoch's first record is written. The nodes' stamps
   * are CLOCK_MONOTONIC readings of one machine, comparable across processes.
   */
  void assertTermsDisjoint(List<ChainRecord> chain) {
    for (int i = 1; i < chain.size(); i++) {
      ChainRecord prev = chain.get(i - 1);
      ChainRecord next = chain.get(i);
      if (prev.epoch() == next.epoch()) {
        continue;
      }
      long end = termEnd(prev);
      if (next.stamp() - end <= 0) {
        throw new AssertionError("epoch " + next.epoch() + " (" + next.nodeId() + ") wrote seq " + next.seq() + " "
            + (end - next.stamp()) / 1_000_000 + " ms before epoch " + prev.epoch() + " (" + prev.nodeId()
            + ") ended its term");
      }
    }
  }

  /**
   * Every write a node saw accepted (each term's first, the one that plays the seal) is still in
   * the chain, as that node wrote it: nothing overwrote it.
   */
  void assertAcknowledgedWritesKept(List<ChainRecord> chain) {
    for (NodeProcess n : nodes.values()) {
      for (NodeProcess.Event w : n.events("FIRST_WRITE")) {
        long seq = w.num("seq");
        ChainRecord r = seq >= 1 && seq <= chain.size() ? chain.get((int) seq - 1) : null;
        if (r == null || r.epoch() != w.num("epoch") || !r.nodeId().equals(n.id) || r.stamp() != w.num("stamp")) {
          throw new AssertionError("acknowledged write lost: " + n.id + " wrote seq " + seq + " in epoch "
              + w.num("epoch") + ", the chain holds " + r);
        }
      }
    }
  }

  /** The end of the term of {@code r}'s epoch: its release, or else its last deadline. */
  long termEnd(ChainRecord r) {
    NodeProcess n = nodes.get(r.nodeId());
    long deadline = Math.max(r.deadline(), n.lastDeadline(r.epoch()));
    return n.events("FOLLOWER").stream()
        .filter(e -> e.num("epoch") == r.epoch() && "RELEASED".equals(e.str("reason")))
        .mapToLong(NodeProcess.Event::at).map(at -> Math.min(at, deadline)).findFirst().orElse(deadline);
  }

  /** The three chain invariants; returns the chain for further checks. */
  List<ChainRecord> assertChainSafe() {
    List<ChainRecord> c = chain();
    if (c.isEmpty()) {
      throw new AssertionError("nothing was written to the chain\n" + describe());
    }
    assertNoFork(c);
    assertAcknowledgedWritesKept(c);
    assertWrittenBeforeDeadlines(c);
    assertTermsDisjoint(c);
    return c;
  }

  static List<Long> epochs(List<ChainRecord> chain) {
    List<Long> out = new ArrayList<>();
    for (ChainRecord r : chain) {
      if (out.isEmpty() || out.get(out.size() - 1).longValue() != r.epoch()) {
        out.add(r.epoch());
      }
    }
    return out;
  }

  String describe() {
    StringBuilder b = new StringBuilder();
    nodes.values().forEach(n -> b.append(n.describe()));
    return b.toString();
  }

  @Override
  public void close() {
    nodes.values().forEach(NodeProcess::close);
  }
}

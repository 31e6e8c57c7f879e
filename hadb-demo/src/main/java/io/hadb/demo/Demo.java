package io.hadb.demo;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;

/**
 * The orchestrator of {@code ./hadb demo}: three node JVMs on one directory, bank transfers
 * through every node (each acknowledged one recorded here), kill -9 of the leader, the takeover,
 * more transfers, then every surviving copy is read and compared. One progress line per event on
 * {@code out}, and last the {@link DemoResult#line()}.
 */
final class Demo {
  static final int NODES = 3;
  private static final Duration START_BOUND = Duration.ofSeconds(60);
  private static final Duration ANSWER_BOUND = Duration.ofSeconds(60);

  private final DemoOptions options;
  private final PrintStream out;
  private final long t0 = System.nanoTime();
  /** request id → when its acknowledgement arrived (nanoTime) */
  private final Map<String, Long> acked = new ConcurrentHashMap<>();
  /** nanoTime of the kill, 0 before it */
  private volatile long killedAt;
  private final AtomicBoolean acceptedAfterKill = new AtomicBoolean();

  Demo(DemoOptions options, PrintStream out) {
    this.options = options;
    this.out = out;
  }

  DemoResult run() throws Exception {
    Path dir = options.dir() != null ? Files.createDirectories(options.dir()) : Files.createTempDirectory("hadb-demo-");
    List<NodeHandle> nodes = new ArrayList<>();
    try {
      return run(dir, nodes);
    } finally {
      for (NodeHandle n : nodes) {
        n.close();
      }
      if (options.dir() == null) {
        deleteTree(dir);
      }
    }
  }

  private DemoResult run(Path dir, List<NodeHandle> nodes) throws Exception {
    log("cluster of %d node JVMs in %s: engine %s, lease %s, chain %s, SYNC, ttl %d ms", NODES, dir,
        options.engine(), DemoNode.leaseUri(dir), DemoNode.chainUri(dir), options.ttl().toMillis());
    String secret = HexFormat.of().formatHex(new SecureRandom().generateSeed(16));
    for (int i = 1; i <= NODES; i++) {
      String id = "n" + i;
      nodes.add(NodeHandle.start(dir, id, options.ttl(), options.engine(), secret,
          e -> log("%s is now %s at epoch %s", id, e.get("role"), e.get("epoch"))));
    }
    for (NodeHandle n : nodes) {
      Protocol ready = n.awaitReady(START_BOUND);
      log("%s started: pid %s, forwarding on %s, log %s", n.id, ready.get("pid"), ready.get("addr"),
          dir.resolve(n.id + ".log"));
    }
    Leader first = awaitLeader(nodes, START_BOUND);
    log("%s leads at epoch %d", first.node.id, first.epoch);

    long phase1 = System.nanoTime();
    int ok1 = writePhase("a", nodes);
    log("%d transfers acknowledged through %s in %d ms", ok1, ids(nodes), millisSince(phase1));

    long killedAt = System.nanoTime();
    this.killedAt = killedAt;
    first.node.kill9();
    log("kill -9 %s (pid %d), the leader", first.node.id, first.node.pid());
    List<NodeHandle> survivors = nodes.stream().filter(n -> n != first.node).toList();

    int ok2 = writePhase("b", survivors);
    long firstAfter = acked.values().stream().filter(t -> t > killedAt).min(Comparator.naturalOrder())
        .orElseThrow(() -> new IllegalStateException("no write was accepted after the kill"));
    long failoverMs = (firstAfter - killedAt) / 1_000_000;
    Leader second = awaitLeader(survivors, START_BOUND);
    log("takeover: %s leads at epoch %d (was %s at epoch %d); first write accepted %d ms after the kill",
        second.node.id, second.epoch, first.node.id, first.epoch, failoverMs);
    log("%d more transfers acknowledged through %s", ok2, ids(survivors));

    awaitSameSeq(survivors);
    if (options.dropAckedRow()) {
      dropOneAckedRow(dir, survivors.stream().filter(n -> n != second.node).findFirst().orElseThrow());
    }
    DemoResult r = verify(survivors, failoverMs);
    for (NodeHandle n : survivors) {
      n.stop(ANSWER_BOUND);
    }
    log("stopped %s", ids(survivors));
    out.println(r.line());
    return r;
  }

  private record Leader(NodeHandle node, long epoch) {}

  /** Polls every node's state until exactly one says it leads (and accepts writes). */
  private Leader awaitLeader(List<NodeHandle> nodes, Duration bound) throws Exception {
    long deadline = System.nanoTime() + bound.toNanos();
    while (System.nanoTime() < deadline) {
      List<Leader> leaders = new ArrayList<>();
      for (NodeHandle n : nodes) {
        Protocol s = n.request("state", "STATE", ANSWER_BOUND);
        if (s.get("role").equals("LEADER")) {
          leaders.add(new Leader(n, s.num("epoch")));
        }
      }
      if (leaders.size() > 1) {
        throw new IllegalStateException("two nodes say they lead: " + leaders);
      }
      if (leaders.size() == 1) {
        return leaders.get(0);
      }
      Thread.sleep(50);
    }
    throw new IllegalStateException("no leader among " + ids(nodes) + " within " + bound);
  }

  /**
   * One writer thread per node, {@code writesPerNode} transfers each. A transfer that fails is
   * retried with the same request id (applied at most once across failovers) until it is
   * acknowledged or its time is up; only acknowledged ones are recorded.
   */
  private int writePhase(String phase, List<NodeHandle> nodes) throws InterruptedException {
    int before = acked.size();
    List<Thread> writers = new ArrayList<>();
    for (NodeHandle n : nodes) {
      Thread t = new Thread(() -> writeThrough(phase, n), "demo-writer-" + n.id);
      t.start();
      writers.add(t);
    }
    for (Thread t : writers) {
      t.join();
    }
    return acked.size() - before;
  }

  private void writeThrough(String phase, NodeHandle n) {
    ThreadLocalRandom rnd = ThreadLocalRandom.current();
    Duration retryFor = options.ttl().multipliedBy(4).plusSeconds(30);
    for (int i = 0; i < options.writesPerNode(); i++) {
      String req = phase + "-" + n.id + "-" + i;
      long src = rnd.nextLong(1, Bank.ACCOUNTS + 1);
      long dst = src % Bank.ACCOUNTS + 1;
      String cmd = "transfer " + req + " " + src + " " + dst + " " + rnd.nextLong(1, 50);
      long deadline = System.nanoTime() + retryFor.toNanos();
      try {
        while (true) {
          Protocol p = n.request(cmd, ANSWER_BOUND);
          if (p.type().equals("ACK")) {
            long now = System.nanoTime();
            acked.put(req, now);
            if (killedAt != 0 && acceptedAfterKill.compareAndSet(false, true)) {
              log("first write accepted after the kill: %s through %s, %d ms after it", req, n.id, (now - killedAt) / 1_000_000);
            }
            break;
          }
          if (System.nanoTime() > deadline) {
            log("%s: transfer %s not acknowledged (%s), given up", n.id, req, p.fields().get("code"));
            break;
          }
          Thread.sleep(50);
        }
      } catch (Exception e) {
        log("%s: writer stopped: %s", n.id, e.getMessage());
        return;
      }
    }
  }

  /** Waits (bounded) until every surviving copy has applied the same changeset seq. */
  private void awaitSameSeq(List<NodeHandle> nodes) throws Exception {
    long deadline = System.nanoTime() + options.ttl().multipliedBy(2).plusSeconds(10).toNanos();
    Map<String, Long> seqs = new LinkedHashMap<>();
    while (true) {
      seqs.clear();
      for (NodeHandle n : nodes) {
        seqs.put(n.id, n.request("state", "STATE", ANSWER_BOUND).num("seq"));
      }
      if (Set.copyOf(seqs.values()).size() == 1) {
        log("every copy has applied seq %d: %s", seqs.values().iterator().next(), seqs);
        return;
      }
      if (System.nanoTime() > deadline) {
        log("copies did not reach the same seq: %s", seqs);
        return;
      }
      Thread.sleep(50);
    }
  }

  /** Negative control: a row the cluster acknowledged, deleted from one copy's file directly. */
  private void dropOneAckedRow(Path dir, NodeHandle victim) throws Exception {
    String req = acked.keySet().stream().sorted().findFirst().orElseThrow();
    Path file = DemoNode.dbFile(dir, victim.id);
    try (Connection c = DriverManager.getConnection("jdbc:" + options.engine() + ":" + file);
        Statement s = c.createStatement();
        PreparedStatement del = c.prepareStatement("DELETE FROM transfers WHERE req = ?")) {
      if (options.engine().equals("sqlite")) {
        s.execute("PRAGMA busy_timeout = 10000");
      }
      del.setString(1, req);
      int n = del.executeUpdate();
      log("negative control: deleted acknowledged transfer %s from %s's file behind the cluster's back (%d row)",
          req, victim.id, n);
    }
  }

  /** Reads every copy: acknowledged transfers present, totals conserved, identical content. */
  private DemoResult verify(List<NodeHandle> nodes, long failoverMs) throws Exception {
    Set<String> lost = new java.util.TreeSet<>();
    Set<String> hashes = new java.util.HashSet<>();
    boolean conserved = true;
    for (NodeHandle n : nodes) {
      Protocol c = n.request("check", "CHECK", ANSWER_BOUND);
      Set<String> present = c.get("ids").equals("-") ? Set.of() : Set.of(c.get("ids").split(","));
      long missing = acked.keySet().stream().filter(r -> !present.contains(r)).peek(lost::add).count();
      conserved &= c.num("total") == Bank.TOTAL;
      hashes.add(c.get("hash"));
      log("%s: %s transfers, %d acknowledged ones missing, total balance %s (%s), seq %s, content hash %s", n.id,
          c.get("rows"), missing, c.get("total"), c.num("total") == Bank.TOTAL ? "conserved" : "NOT conserved",
          c.get("seq"), c.get("hash"));
    }
    boolean consistent = hashes.size() == 1 && conserved;
    if (!lost.isEmpty()) {
      log("lost acknowledged transfers: %s", lost);
    }
    return new DemoResult(NODES, failoverMs, acked.size(), lost.size(), consistent);
  }

  private static String ids(List<NodeHandle> nodes) {
    return String.join(",", nodes.stream().map(n -> n.id).toList());
  }

  private long millisSince(long nanos) {
    return (System.nanoTime() - nanos) / 1_000_000;
  }

  private synchronized void log(String format, Object... args) {
    out.printf("[%6.2fs] %s%n", (System.nanoTime() - t0) / 1e9, String.format(format, args));
    out.flush();
  }

  private static void deleteTree(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(dir)) {
      for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }
}

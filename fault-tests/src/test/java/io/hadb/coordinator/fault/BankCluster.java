package io.hadb.coordinator.fault;

import io.hadb.api.Durability;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Three {@link BankNode} JVMs on one lease store and one chain ({@code file:} in a shared temp dir by default),
 * each with its SQLite file there; a killed node restarts under the same id and file. Every
 * incarnation is kept: the acknowledgements of a killed one count too.
 */
final class BankCluster implements AutoCloseable {
  static final Duration TTL = Duration.ofSeconds(1);
  /** Liveness bound for anything the test waits for (a loaded 2-core machine), never asserted on. */
  static final Duration BOUND = Duration.ofSeconds(30);
  static final int ACCOUNTS = 20;
  static final long SEED = 1000;
  static final int CLIENTS = 2;

  private final Duration ttl;
  private final int clients;
  private final String leaseUri;
  private final String storageUri;
  private final Path dir;
  private final String db;
  private final Durability durability;
  private final List<String> properties;
  final Map<String, NodeProcess> current = new LinkedHashMap<>();
  final List<NodeProcess> incarnations = new ArrayList<>();

  BankCluster(String leaseUri, Path dir, String db, Durability durability, String... properties) {
    this(leaseUri, "file://" + dir.resolve("chain").toAbsolutePath() + "?fsync=false", dir, db, durability, properties);
  }

  /** The same with the chain on {@code storageUri} (S3Proxy, say) instead of a {@code file:} store in {@code dir}. */
  BankCluster(String leaseUri, String storageUri, Path dir, String db, Durability durability, String... properties) {
    this(TTL, CLIENTS, leaseUri, storageUri, dir, db, durability, properties);
  }

  /** The same with the nodes' lease ttl and client threads per node instead of {@link #TTL} and {@link #CLIENTS}. */
  BankCluster(Duration ttl, int clients, String leaseUri, String storageUri, Path dir, String db, Durability durability,
      String... properties) {
    this.ttl = ttl;
    this.clients = clients;
    this.leaseUri = leaseUri;
    this.storageUri = storageUri;
    this.dir = dir;
    this.db = db;
    this.durability = durability;
    this.properties = List.of(properties);
  }

  /** Starts node {@code id} (again, after a kill: same file, new JVM). */
  NodeProcess start(String id) throws Exception {
    NodeProcess n = NodeProcess.start(id, BankNode.class, "-Xmx128m", properties,
        List.of(leaseUri, storageUri, db, id, Long.toString(ttl.toMillis()),
            dir.resolve(db + "-" + id + ".db").toAbsolutePath().toString(), durability.name(),
            Integer.toString(ACCOUNTS), Long.toString(SEED), Integer.toString(clients)));
    current.put(id, n);
    incarnations.add(n);
    return n;
  }

  /** The alive node that became leader last, with its epoch, once one has. */
  NodeProcess.Event awaitLeader(long epochAbove) throws InterruptedException {
    long deadline = System.nanoTime() + BOUND.toNanos();
    while (true) {
      Optional<NodeProcess.Event> e = current.values().stream().filter(NodeProcess::isAlive)
          .flatMap(n -> n.events("ROLE").stream())
          .filter(r -> r.str("role").equals("LEADER") && r.num("epoch") > epochAbove)
          .max(Comparator.comparingLong(r -> r.num("epoch")));
      if (e.isPresent()) {
        return e.get();
      }
      if (System.nanoTime() > deadline) {
        throw new AssertionError("no leader with epoch > " + epochAbove + " within " + BOUND + "\n" + describe());
      }
      Thread.sleep(10);
    }
  }

  /** Every acknowledgement of every incarnation, in the order of their stamps. */
  List<BankLedger.Ack> acks() {
    return incarnations.stream().flatMap(n -> n.events("ACK").stream())
        .map(e -> new BankLedger.Ack(BankLedger.Transfer.of(e), e.node(), e.at(),
            e.fields().containsKey("started") ? e.num("started") : e.at()))
        .sorted(Comparator.comparingLong(BankLedger.Ack::at)).toList();
  }

  long acksAfter(long at) {
    return incarnations.stream().flatMap(n -> n.events("ACK").stream()).filter(e -> e.at() - at > 0).count();
  }

  /** Waits until the clients of every node together had {@code n} transfers acknowledged after {@code at}. */
  void awaitAcksAfter(long at, long n) throws InterruptedException {
    long deadline = System.nanoTime() + BOUND.toNanos();
    while (acksAfter(at) < n) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("only " + acksAfter(at) + " of " + n + " transfers acknowledged within " + BOUND
            + "\n" + describe());
      }
      Thread.sleep(20);
    }
  }

  /** The latest heartbeat's field {@code k} of node {@code n}, or -1 before any. */
  static long lastAlive(NodeProcess n, String k) {
    List<NodeProcess.Event> alive = n.events("ALIVE");
    return alive.isEmpty() ? -1 : alive.get(alive.size() - 1).num(k);
  }

  /**
   * Stops every client, then waits until the nodes report the same applied seq twice in a row
   * (heartbeats are 100 ms apart; followers pull every ttl / 10), then has each dump its copy.
   */
  List<BankLedger.Copy> stopAndDump() throws Exception {
    for (NodeProcess n : current.values()) {
      n.send("stop");
    }
    for (NodeProcess n : current.values()) {
      n.await("STOPPED", BOUND);
    }
    long deadline = System.nanoTime() + BOUND.toNanos();
    long stableSince = 0;
    long lastSeq = -2;
    while (true) {
      List<Long> seqs = current.values().stream().map(n -> lastAlive(n, "seq")).distinct().toList();
      long seq = seqs.size() == 1 ? seqs.get(0) : -2;
      if (seq > 0 && seq == lastSeq) {
        if (System.nanoTime() - stableSince > Duration.ofMillis(500).toNanos()) {
          break;
        }
      } else {
        stableSince = System.nanoTime();
        lastSeq = seq;
      }
      if (System.nanoTime() > deadline) {
        throw new AssertionError("the nodes did not converge on one seq within " + BOUND + ": "
            + current.values().stream().map(n -> n.id + "=" + lastAlive(n, "seq")).toList() + "\n" + describe());
      }
      Thread.sleep(50);
    }
    for (NodeProcess n : current.values()) {
      n.send("dump");
    }
    List<BankLedger.Copy> copies = new ArrayList<>();
    for (NodeProcess n : current.values()) {
      n.await("DUMPED", BOUND);
      copies.add(BankLedger.Copy.of(n));
    }
    return copies;
  }

  String describe() {
    StringBuilder b = new StringBuilder();
    incarnations.forEach(n -> b.append(n.describe()));
    return b.toString();
  }

  @Override
  public void close() {
    incarnations.forEach(NodeProcess::close);
  }
}

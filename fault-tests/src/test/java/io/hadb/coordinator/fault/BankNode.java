package io.hadb.coordinator.fault;

import static io.hadb.coordinator.fault.NodeMains.daemon;
import static io.hadb.coordinator.fault.NodeMains.emit;
import static io.hadb.coordinator.fault.NodeMains.sleep;

import io.hadb.api.Durability;
import io.hadb.api.ErrorCode;
import io.hadb.api.HadbException;
import io.hadb.api.engine.RetentionPolicy;
import io.hadb.api.engine.SnapshotPolicy;
import io.hadb.api.engine.SqlStatement;
import io.hadb.api.engine.SqlValue;
import io.hadb.coordinator.HaDatabase;
import io.hadb.coordinator.ReadConsistency;
import io.hadb.coordinator.lease.LeaseTimings;
import io.hadb.coordinator.metrics.MetricsSnapshot;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One bank node in a JVM of its own, for fault test f: a real {@link HaDatabase} (engine sqlite)
 * whose client threads move money between random accounts, each transfer one
 * {@code executeBatch(requestId, …)} of two UPDATEs and an INSERT into {@code transfers} keyed by
 * the request id. Every acknowledged transfer (the call returned) is reported on stdout as
 * {@code @ACK id=… from=… to=… amount=… at=…}; {@link NodeProcess} parses the lines.
 *
 * <p>Usage: {@code BankNode <leaseUri> <storageUri> <database> <nodeId> <ttlMillis> <dbFile>
 * <SYNC|ASYNC> <accounts> <balance> <clients>}. The schema seeds {@code accounts} once for the
 * database (the facade runs a schema script once). Stdin: {@code stop} ends the clients, {@code dump}
 * prints every row read locally ({@code @ACCOUNT}, {@code @TRANSFER}, then {@code @DUMPED}),
 * {@code close} closes the node gracefully and exits; end of input exits at once.
 *
 * <p>{@code -Dhadb.fault.ackEarly=true} (negative control only) reports a transfer acknowledged
 * before the call is made, as a write-behind application that answers its user first would; the
 * client's pause then falls between the answer and the call, so a killed leader's clients hold
 * answered transfers they never made.
 *
 * <p>{@code -Dhadb.fault.strictClients=true} makes the clients hold the facade to its error
 * contract (DESIGN §6.4) with default forwarding settings: any error but UNKNOWN_OUTCOME is a
 * client error ({@code @CLIENT_ERROR}, the transfer given up), and an UNKNOWN_OUTCOME
 * ({@code @UNKNOWN}) is retried with its request id until it is answered. Every {@code @ACK} then
 * carries {@code started=}, when its first attempt began. {@code -Dhadb.fault.engine=name} opens
 * another engine than {@code sqlite} (a broken one, for a negative control), and
 * {@code -Dhadb.fault.snapshotEvery=n} has the leader snapshot every n changesets, so a demoted
 * node's rebuild replays a short tail ({@code -Dhadb.fault.retainLast=n} keeps only the last n
 * snapshots, {@code -Dhadb.fault.gcGraceMs} sets the collection's grace). Heartbeats carry the node's dropped and unconfirmed counts.
 */
public final class BankNode {
  static final String ACK_EARLY = "hadb.fault.ackEarly";
  static final String STRICT_CLIENTS = "hadb.fault.strictClients";
  static final String ENGINE = "hadb.fault.engine";
  static final String SNAPSHOT_EVERY = "hadb.fault.snapshotEvery";
  /** With {@link #SNAPSHOT_EVERY}: keep the last n snapshots (and the changesets behind them) only. */
  static final String RETAIN_LAST = "hadb.fault.retainLast";
  /** The collection's grace period, ms (the chain's default, 15 min, unless set). */
  static final String GC_GRACE_MS = "hadb.fault.gcGraceMs";
  /** How long a strict client retries one UNKNOWN_OUTCOME before it gives up (a liveness bound). */
  static final long UNKNOWN_RETRY_NANOS = 60_000_000_000L;
  static final String SECRET = "bank-fault-test-secret-32-chars!";
  static final int RETRIES = 5;
  /**
   * Between two transfers of one client: writes go on through every fault, but few enough that the
   * chain stays short (a restarted leader's file is dirty and is rebuilt by replaying the whole
   * chain, one changeset per transfer, no snapshot) and three node JVMs per test cost little CPU.
   */
  static final long PAUSE_MS = 50;
  /** Overrides {@link #PAUSE_MS}: on S3 a restarted node replays the chain object by object, so fewer transfers. */
  static final String PAUSE_PROPERTY = "hadb.fault.pauseMs";

  private final long pauseMs = Long.getLong(PAUSE_PROPERTY, PAUSE_MS);

  private final HaDatabase db;
  private final String nodeId;
  private final int accounts;
  private final boolean ackEarly = Boolean.getBoolean(ACK_EARLY);
  private final boolean strict = Boolean.getBoolean(STRICT_CLIENTS);
  private final AtomicLong acks = new AtomicLong();
  private final AtomicLong failures = new AtomicLong();
  private volatile boolean stopping;

  private BankNode(HaDatabase db, String nodeId, int accounts) {
    this.db = db;
    this.nodeId = nodeId;
    this.accounts = accounts;
  }

  static String schema(int accounts, long balance) {
    return """
        CREATE TABLE accounts(id INTEGER PRIMARY KEY, balance INTEGER NOT NULL);
        CREATE TABLE transfers(request_id TEXT PRIMARY KEY, from_id INTEGER NOT NULL, to_id INTEGER NOT NULL,
          amount INTEGER NOT NULL);
        WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < %d)
          INSERT INTO accounts(id, balance) SELECT i, %d FROM n;
        """.formatted(accounts, balance);
  }


  public static void main(String[] args) throws Exception {
    if (args.length != 10) {
      System.err.println("usage: BankNode <leaseUri> <storageUri> <database> <nodeId> <ttlMillis> <dbFile>"
          + " <SYNC|ASYNC> <accounts> <balance> <clients>");
      System.exit(2);
    }
    String nodeId = args[3];
    int accounts = Integer.parseInt(args[7]);
    int clients = Integer.parseInt(args[9]);
    long snapshotEvery = Long.getLong(SNAPSHOT_EVERY, 0);
    int retainLast = Integer.getInteger(RETAIN_LAST, 0);
    RetentionPolicy retention = retainLast == 0 ? RetentionPolicy.keepAll() : new RetentionPolicy(retainLast, 0, 0, 0);
    HaDatabase db = HaDatabase.builder()
        .engine(System.getProperty(ENGINE, "sqlite"))
        .snapshots(snapshotEvery == 0 ? SnapshotPolicy.manual()
            : new SnapshotPolicy(snapshotEvery, 0, Duration.ZERO, retention))
        .engineSetting("gcGraceMs", System.getProperty(GC_GRACE_MS, "900000"))
        .lease(args[0])
        .storage(args[1])
        .database(args[2])
        .nodeId(nodeId)
        .timings(LeaseTimings.ofTtl(Duration.ofMillis(Long.parseLong(args[4]))))
        .durability(Durability.valueOf(args[6]))
        .secret(SECRET)
        .environment(Map.of())
        .open(Path.of(args[5]), schema(accounts, Long.parseLong(args[8])));
    db.addRoleListener((role, epoch) -> emit("ROLE", "role=" + role + " epoch=" + epoch));
    BankNode node = new BankNode(db, nodeId, accounts);
    emit("READY", "node=" + nodeId + " pid=" + ProcessHandle.current().pid() + " ackEarly=" + node.ackEarly);
    List<Thread> threads = new ArrayList<>();
    for (int i = 0; i < clients; i++) {
      int client = i;
      threads.add(daemon("client-" + i, () -> node.clientLoop(client)));
    }
    daemon("alive", node::aliveLoop);
    BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
    String line;
    while ((line = in.readLine()) != null) {
      switch (line) {
        case "stop" -> {
          node.stopping = true;
          for (Thread t : threads) {
            t.join();
          }
          emit("STOPPED", "acks=" + node.acks.get() + " failures=" + node.failures.get());
        }
        case "dump" -> node.dump();
        case "close" -> {
          db.close();
          emit("CLOSED", "node=" + nodeId);
          System.exit(0);
        }
        default -> emit("ERROR", "what=unknown_command");
      }
    }
    Runtime.getRuntime().halt(3); // the test JVM is gone: leave nothing behind
  }


  private void aliveLoop() {
    while (true) {
      MetricsSnapshot m = db.metrics().snapshot();
      emit("ALIVE", "role=" + db.role() + " epoch=" + db.epoch() + " seq=" + db.appliedSeq()
          + " acks=" + acks.get() + " failures=" + failures.get() + " dropped=" + m.droppedCommits()
          + " unconfirmed=" + m.unconfirmedWrites());
      sleep(100);
    }
  }

  private void clientLoop(int client) {
    String prefix = nodeId + "-" + ProcessHandle.current().pid() + "-" + client + "-";
    for (long n = 0; !stopping; n++) {
      ThreadLocalRandom r = ThreadLocalRandom.current();
      int from = 1 + r.nextInt(accounts);
      int to = 1 + (from + r.nextInt(accounts - 1)) % accounts; // never `from`
      int amount = 1 + r.nextInt(100);
      String id = prefix + n;
      String ack = "id=" + id + " from=" + from + " to=" + to + " amount=" + amount;
      if (ackEarly) {
        emit("ACK", ack);
        sleep(pauseMs); // write-behind: the pause falls between the answer and the write
      }
      long started = System.nanoTime();
      if (strict ? strictTransfer(id, from, to, amount) : transfer(id, from, to, amount)) {
        acks.incrementAndGet();
        if (!ackEarly) {
          emit("ACK", ack + " started=" + started);
          sleep(pauseMs);
        }
      } else {
        failures.incrementAndGet();
      }
    }
  }

  /**
   * One transfer, retried with the same request id while the outcome is unknown or no leader
   * answers (the facade applies an id at most once); false when it gave up or SQL refused it.
   */
  private boolean transfer(String id, int from, int to, int amount) {
    List<SqlStatement> batch = transferBatch(id, from, to, amount);
    for (int attempt = 1; ; attempt++) {
      try {
        db.executeBatch(id, batch);
        return true;
      } catch (HadbException e) {
        boolean retryable = switch (e.code()) {
          case UNKNOWN_OUTCOME, UNAVAILABLE, TIMEOUT, NOT_LEADER, FENCED -> true;
          default -> false;
        };
        if (!retryable || attempt == RETRIES || stopping) {
          emit("FAIL", "id=" + id + " code=" + e.code());
          return false;
        }
        sleep(50);
      }
    }
  }

  private static List<SqlStatement> transferBatch(String id, int from, int to, int amount) {
    return List.of(
        SqlStatement.of("UPDATE accounts SET balance = balance - ? WHERE id = ?", amount, from),
        SqlStatement.of("UPDATE accounts SET balance = balance + ? WHERE id = ?", amount, to),
        SqlStatement.of("INSERT INTO transfers(request_id, from_id, to_id, amount) VALUES (?, ?, ?, ?)",
            id, from, to, amount));
  }

  /**
   * One transfer by the error contract: answered, or UNKNOWN_OUTCOME and retried with its id until
   * answered (even while the clients stop: an unresolved write would leave the ledger unknowable),
   * or any other error, which is a client error: the transfer is given up as not applied.
   */
  private boolean strictTransfer(String id, int from, int to, int amount) {
    long giveUp = System.nanoTime() + UNKNOWN_RETRY_NANOS;
    while (true) {
      try {
        db.executeBatch(id, transferBatch(id, from, to, amount));
        return true;
      } catch (HadbException e) {
        if (e.code() != ErrorCode.UNKNOWN_OUTCOME) {
          emit("CLIENT_ERROR", "id=" + id + " code=" + e.code() + " message=" + oneWord(e.getMessage()));
          return false;
        }
        emit("UNKNOWN", "id=" + id);
        if (System.nanoTime() - giveUp > 0) {
          emit("UNRESOLVED", "id=" + id);
          return false;
        }
      }
    }
  }

  /** A message as one event field: no spaces, bounded. */
  private static String oneWord(String m) {
    String w = String.valueOf(m).replaceAll("\\s+", "_");
    return w.length() > 300 ? w.substring(0, 300) : w;
  }

  /** Every row of both tables as this node's copy holds it (a LOCAL read: no leader involved). */
  private void dump() {
    List<List<SqlValue>> rows = db.query(ReadConsistency.LOCAL, "SELECT id, balance FROM accounts ORDER BY id").rows();
    for (List<SqlValue> row : rows) {
      emit("ACCOUNT", "id=" + num(row.get(0)) + " balance=" + num(row.get(1)));
    }
    List<List<SqlValue>> transfers = db.query(ReadConsistency.LOCAL,
        "SELECT request_id, from_id, to_id, amount FROM transfers ORDER BY request_id").rows();
    for (List<SqlValue> row : transfers) {
      emit("TRANSFER", "id=" + ((SqlValue.Text) row.get(0)).value() + " from=" + num(row.get(1)) + " to="
          + num(row.get(2)) + " amount=" + num(row.get(3)));
    }
    emit("DUMPED", "accounts=" + rows.size() + " transfers=" + transfers.size() + " seq=" + db.appliedSeq());
  }

  private static long num(SqlValue v) {
    return ((SqlValue.Int) v).value();
  }

}

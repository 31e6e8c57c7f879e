package io.hadb.conformance;

import io.hadb.api.Durability;
import io.hadb.api.ErrorCode;
import io.hadb.api.HadbException;
import io.hadb.api.StorageBackend;
import io.hadb.api.StorageBackends;
import io.hadb.api.engine.ChainKey;
import io.hadb.api.engine.Compression;
import io.hadb.api.engine.Dialect;
import io.hadb.api.engine.EngineOptions;
import io.hadb.api.engine.EngineProvider;
import io.hadb.api.engine.EngineProvider.Engine;
import io.hadb.api.engine.Engines;
import io.hadb.api.engine.ExecResult;
import io.hadb.api.engine.Executor;
import io.hadb.api.engine.Progress;
import io.hadb.api.engine.RequestTable;
import io.hadb.api.engine.RestorePoint;
import io.hadb.api.engine.SchemaRecord;
import io.hadb.api.engine.SqlStatement;
import io.hadb.api.engine.SqlValue;
import io.hadb.api.engine.VerifyReport;
import io.hadb.conformance.engine.Chains;
import io.hadb.conformance.engine.HistoryStep;
import io.hadb.conformance.gen.Property;
import io.hadb.conformance.internal.Check;
import io.hadb.conformance.internal.Kit;
import io.hadb.conformance.internal.RuleNaming;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The contract every database engine ({@link EngineProvider}) must pass (rules E1–E11 of
 * {@code conformance-tests/SPEC.md}). Subclass it in your engine's tests:
 *
 * <pre>{@code
 * class MyEngineConformanceTest extends EngineContract {
 *   @Override protected String engineName() { return "myengine"; }
 *   @Override protected List<String> integrityProblems(Executor e) { ... the engine's own check ... }
 * }
 * }</pre>
 *
 * <p>The kit drives the engine only through the SPI of {@code io.hadb.api.engine}: it opens leaders
 * and followers with {@link EngineProvider#open}, leads them as the coordinator does (catch up,
 * seal, publish, DESIGN §6.2), writes portable SQL (one table of integer, text, number and blob
 * columns) and compares query results. The chain goes to a storage plug-in named by
 * {@link #storageUri(Path)}: by default a {@code file:} directory of the test, so storage-local must
 * be on the test class path. Rule E4.1 starts child JVMs with the test's class path, which rebuild
 * the engine from this subclass's no-argument constructor.
 */
@ExtendWith(RuleNaming.class)
public abstract class EngineContract {

  /** The engine's name, as {@code Engines.find} knows it. */
  protected abstract String engineName();

  /**
   * The engine's own integrity check of an open database (SQLite: {@code PRAGMA integrity_check}),
   * run on a follower after a crash mid-apply; returns the problems found, empty when sound.
   */
  protected abstract List<String> integrityProblems(Executor executor);

  /** The provider under test: by default the one registered under {@link #engineName()}. */
  protected EngineProvider provider() {
    return Engines.find(engineName());
  }

  /** Options every engine of the test opens with; rules that need SYNC add it themselves. */
  protected EngineOptions options() {
    return EngineOptions.defaults();
  }

  /**
   * The storage the chains go to, given a fresh directory of this test: by default
   * {@code file://dir}. Every rule writes under its own random prefix. Rule E4.1 needs a storage
   * that a second JVM reaches ({@code mem:} does not).
   */
  protected String storageUri(Path dir) {
    return "file://" + dir;
  }

  @TempDir Path kitDir;
  private StorageBackend storage;
  private final String prefix = Kit.newPrefix();
  private final List<Engine> opened = Collections.synchronizedList(new ArrayList<>());
  private int nextName;

  @AfterEach
  void closeEngines() {
    synchronized (opened) {
      for (Engine e : opened) {
        try {
          e.close();
        } catch (RuntimeException ignored) {
          // a failing close must not hide the rule that actually failed
        }
      }
      opened.clear();
    }
    if (storage != null) {
      storage.close();
    }
  }

  private StorageBackend storage() {
    if (storage == null) {
      storage = StorageBackends.open(storageUri(kitDir.resolve("storage")));
    }
    return storage;
  }

  private String chain(String name) {
    return prefix + name + "/";
  }

  /** Opens a new database file of the test as a follower of {@code chain}. */
  private Engine open(String chain, EngineOptions o) {
    Path file = kitDir.resolve("db-" + (nextName++)).resolve("data.db");
    Engine e = provider().open(file, storage(), chain, o);
    opened.add(e);
    return e;
  }

  private Engine follower(String chain) {
    return open(chain, options());
  }

  /** A new leader of {@code chain} at {@code epoch}, led as the coordinator does: catch up, seal, publish. */
  private Engine leader(String chain, EngineOptions o, long epoch) {
    Engine e = open(chain, o);
    long head = e.replicator().bootstrap();
    Check.that(e.replicator().seal(epoch, head + 1), "E6.1", () -> "seal(" + epoch + ", " + (head + 1)
        + ") on a chain nobody else writes returned false", "the seal must put-if-absent an empty changeset at the"
        + " seq after the head and return true when it is stored");
    e.replicator().startPublishing(epoch, head + 2);
    return e;
  }

  private EngineOptions sync() {
    return options().withDurability(Durability.SYNC);
  }

  private static List<List<SqlValue>> rows(Engine e) {
    return Chains.rows(e, HistoryStep.ROWS);
  }

  private Set<String> keys(String chain) {
    return new HashSet<>(storage().listAll(chain));
  }

  /** Runs {@code statements} on a SYNC leader and records the rows and the new object's key at its seq. */
  private long commit(Engine leader, String chain, Chains c, List<SqlStatement> statements) {
    Set<String> before = keys(chain);
    Chains.run(leader, statements);
    long seq = leader.replicator().sync();
    Set<String> added = keys(chain);
    added.removeAll(before);
    if (added.size() == 1) {
      c.key(seq, added.iterator().next());
    }
    c.record(seq, rows(leader));
    return seq;
  }

  private static SqlStatement insert(long id, String k, long n, byte[] b) {
    return SqlStatement.of("INSERT INTO hist (id, k, n, b) VALUES (?, ?, ?, ?)", id, k, n, b);
  }

  private static void sameRows(String rule, List<List<SqlValue>> want, List<List<SqlValue>> got, String what,
      String check) {
    if (!want.equals(got)) {
      throw Check.failure(rule, what + ": expected " + Chains.describe(want) + " but was " + Chains.describe(got),
          check);
    }
  }

  /** A SYNC leader with the history table and {@code n} small commits, each its own changeset. */
  private Chains smallChain(String chain, Engine leader, int n) {
    Chains c = new Chains();
    commit(leader, chain, c, List.of(SqlStatement.of(HistoryStep.TABLE)));
    for (int i = 0; i < n; i++) {
      commit(leader, chain, c, List.of(insert(i, "row" + i, i * 10L, new byte[] {(byte) i})));
    }
    return c;
  }

  // ---------------------------------------------------------------- E1 registration and roles

  @Test
  void required_E1_1_engineIsFoundByName() {
    EngineProvider p = Check.noThrow("E1.1", "Engines.find(\"" + engineName() + "\")",
        () -> Engines.find(engineName()), "register the provider (@AutoService(EngineProvider.class) or"
            + " META-INF/services/io.hadb.api.engine.EngineProvider) with a public no-argument constructor");
    Check.equal(engineName(), p.name(), "E1.1", "the provider found by name", "name() must return the name it is"
        + " found by");
    Check.that(p.isAvailable(), "E1.1", () -> "the provider says it is not available",
        "isAvailable() must be true when the engine's native parts load");
  }

  @Test
  void required_E1_2_newDatabaseIsAFollowerThatRefusesWrites() {
    Engine e = follower(chain("e12"));
    Check.equal(0L, e.replicator().appliedSeq(), "E1.2", "appliedSeq() of a new database",
        "a database opens as a follower that has applied nothing");
    Check.rejects(ErrorCode.NOT_LEADER, "E1.2", "execute(CREATE TABLE) on a follower",
        () -> e.executor().execute(HistoryStep.TABLE, List.of()),
        "a follower's executor refuses writes with NOT_LEADER until startPublishing", "leader", "writable");
    Check.that(e.executor().isMutation("INSERT INTO hist (id) VALUES (1)"), "E1.2",
        () -> "isMutation(INSERT …) was false", "isMutation must be true for any statement that may change the database");
    Check.that(!e.executor().isMutation("SELECT 1"), "E1.2", () -> "isMutation(SELECT 1) was true",
        "isMutation must be false for a plain query, which followers answer");
  }

  // ---------------------------------------------------------------- E2 replication

  @Test
  void required_E2_1_randomHistoriesReachTheFollowerIdentically() {
    AtomicLong tries = new AtomicLong();
    Property.named("E2.1 random transaction histories reach the follower").tries(12).check(choices -> {
      List<HistoryStep> history = choices.draw(HistoryStep.HISTORIES);
      String chain = chain("e21-" + tries.incrementAndGet());
      try (Engine leader = leader(chain, options(), 1); Engine follower = follower(chain)) {
        Chains c = new Chains();
        commit(leader, chain, c, List.of(SqlStatement.of(HistoryStep.TABLE)));
        int step = 0;
        for (HistoryStep s : history) {
          step++;
          if (s instanceof HistoryStep.Tx tx) {
            commit(leader, chain, c, tx.statements());
          } else {
            long seq = follower.replicator().pull();
            sameRows("E2.1", c.rowsAt(seq), rows(follower), "after step " + step + " the follower at seq " + seq
                + " does not hold the leader's rows as of that seq", "capture must include every page a commit"
                + " wrote, and apply must write each page it is given (seqs recorded: " + c.seqs() + ")");
          }
        }
        long head = leader.replicator().sync();
        long seq = follower.replicator().pull();
        Check.equal(head, seq, "E2.1", "the follower's seq after a pull past the leader's last sync",
            "pull() applies every changeset in storage and returns the last seq applied");
        sameRows("E2.1", rows(leader), rows(follower), "at the end of the history the follower's rows differ",
            "capture must include every page a commit wrote, and apply must write each page it is given");
      }
    });
  }

  // ---------------------------------------------------------------- E3 no torn reads

  @Test
  void required_E3_1_followerReadersNeverSeeAPartialChangeset() throws Exception {
    String chain = chain("e31");
    int accounts = 64;
    long each = 1000;
    Engine leader = leader(chain, sync(), 1);
    leader.executor().execute("CREATE TABLE bank (id INTEGER PRIMARY KEY, balance BIGINT, pad BLOB)", List.of());
    List<SqlStatement> open = new ArrayList<>();
    for (int i = 0; i < accounts; i++) {
      open.add(SqlStatement.of("INSERT INTO bank (id, balance, pad) VALUES (?, ?, ?)", (long) i, each, new byte[700]));
    }
    leader.executor().executeBatch(open);
    long total = accounts * each;
    Engine follower = follower(chain);
    follower.replicator().bootstrap();
    AtomicBoolean done = new AtomicBoolean();
    AtomicReference<String> torn = new AtomicReference<>();
    AtomicLong reads = new AtomicLong();
    List<Thread> readers = new ArrayList<>();
    for (int r = 0; r < 2; r++) {
      Thread t = new Thread(() -> {
        while (!done.get() && torn.get() == null) {
          try {
            List<List<SqlValue>> row = follower.executor().query("SELECT sum(balance), count(*) FROM bank", List.of())
                .rows();
            SqlValue sum = row.get(0).get(0);
            if (!(sum instanceof SqlValue.Int i && i.value() == total)
                && !(sum instanceof SqlValue.Null && row.get(0).get(1) instanceof SqlValue.Int n && n.value() == 0)) {
              torn.compareAndSet(null, "a reader saw a total of " + sum + " (every changeset keeps it at " + total + ")");
            }
            reads.incrementAndGet();
          } catch (RuntimeException e) {
            if (!(e instanceof HadbException h && h.code() == ErrorCode.SQL_ERROR
                && String.valueOf(h.getMessage()).contains("no such table"))) {
              torn.compareAndSet(null, "a reader's query failed while changesets were applied: " + e);
            }
          }
        }
      }, "e31-reader-" + r);
      t.start();
      readers.add(t);
    }
    AtomicReference<Throwable> pullFailure = new AtomicReference<>();
    AtomicLong target = new AtomicLong(Long.MAX_VALUE);
    Thread puller = new Thread(() -> {
      try {
        while (follower.replicator().pull() < target.get() && torn.get() == null) {
          Thread.onSpinWait();
        }
      } catch (Throwable t) {
        pullFailure.set(t);
      }
    }, "e31-puller");
    puller.start();
    ThreadLocalRandom rnd = ThreadLocalRandom.current();
    for (int t = 0; t < 200 && torn.get() == null; t++) {
      List<SqlStatement> transfers = new ArrayList<>();
      for (int k = 0; k < 4; k++) {
        long from = rnd.nextInt(accounts);
        long to = (from + accounts / 2 + rnd.nextInt(accounts / 4)) % accounts;
        long amount = 1 + rnd.nextInt(50);
        transfers.add(SqlStatement.of("UPDATE bank SET balance = balance - ? WHERE id = ?", amount, from));
        transfers.add(SqlStatement.of("UPDATE bank SET balance = balance + ? WHERE id = ?", amount, to));
      }
      leader.executor().executeBatch(transfers);
    }
    target.set(leader.replicator().sync());
    puller.join(TimeUnit.SECONDS.toMillis(Kit.callTimeoutSeconds()));
    done.set(true);
    for (Thread t : readers) {
      t.join();
    }
    Check.that(torn.get() == null, "E3.1", () -> torn.get() + " (" + reads.get() + " reads)",
        "the applier must bring a changeset in as one step readers never see half of (SQLite: all its pages under"
            + " BEGIN EXCLUSIVE); a reader must never need to retry");
    Check.that(pullFailure.get() == null, "E3.1", () -> "pull() failed while readers read: " + pullFailure.get(),
        "applying must wait for readers, not fail because of them");
    Check.equal(target.get(), follower.replicator().appliedSeq(), "E3.1", "the follower's seq after the last pull",
        "the follower must reach the leader's last seq");
    Check.that(reads.get() > 0, "E3.1", () -> "no read completed while changesets were applied",
        "readers must be able to read during apply");
  }

  // ---------------------------------------------------------------- E4 crash mid-apply

  @Test
  void required_E4_1_crashMidApplyIsRepairedOnReopen() throws Exception {
    String chain = chain("e41");
    Chains c = new Chains();
    try (Engine leader = leader(chain, sync(), 1)) {
      commit(leader, chain, c, List.of(SqlStatement.of(HistoryStep.TABLE)));
      byte[] blob = new byte[60_000];
      for (int tx = 0; tx < 4; tx++) {
        List<SqlStatement> big = new ArrayList<>();
        for (int i = 0; i < 25; i++) {
          Arrays.fill(blob, (byte) (tx * 25 + i));
          big.add(insert(tx * 25L + i, "tx" + tx, i, blob));
        }
        commit(leader, chain, c, big);
      }
    }
    String uri = storageUri(kitDir.resolve("storage"));
    long applyMillis = Math.max(5, crashChild(chain, kitDir.resolve("e41-calibrate.db"), uri, -1));
    int crashes = 5;
    for (int round = 0; round < crashes; round++) {
      Path file = kitDir.resolve("e41-" + round).resolve("data.db");
      long delay = ThreadLocalRandom.current().nextLong(applyMillis * 6 / 5 + 1);
      crashChild(chain, file, uri, delay);
      int r = round;
      try (StorageBackend s = StorageBackends.open(uri);
          Engine e = Check.noThrow("E4.1", "reopening the follower killed " + delay + " ms into a " + applyMillis
              + " ms apply (round " + r + ")", () -> provider().open(file, s, chain, options()),
              "finish or undo the staged batch when the file opens, before anything reads it")) {
        long seq = e.replicator().appliedSeq();
        Check.that(c.knows(seq) || seq == 0 || seq == 1, "E4.1", () -> "after kill -9 (round " + r + ", "
            + delay + " ms into a " + applyMillis + " ms apply) the reopened follower says seq " + seq
            + ", not one of the chain's " + c.seqs(), "appliedSeq() after reopen must be the last seq fully applied");
        if (!c.knows(seq)) {
          // Killed before the first changeset with the table was in: the table must not exist yet.
          Check.rejects(ErrorCode.SQL_ERROR, "E4.1", "a query of the table on the follower reopened at seq " + seq
              + ", before the changeset that creates it", () -> e.executor().query(HistoryStep.ROWS, List.of()),
              "appliedSeq() after reopen must be the last seq fully applied, and nothing after it in the file");
        } else {
          sameRows("E4.1", c.rowsAt(seq), rows(e), "after kill -9 (round " + r + ", " + delay + " ms into a "
            + applyMillis + " ms apply) the reopened follower at seq " + seq + " is not the chain's state at that seq",
              "stage each batch durably before writing its first page and finish or undo it when the file opens again");
        }
        List<String> problems = integrityProblems(e.executor());
        Check.that(problems.isEmpty(), "E4.1", () -> "the engine's integrity check after kill -9 mid-apply found "
            + problems, "a crash mid-apply must leave a file the engine's own check accepts once reopened");
        long head = e.replicator().pull();
        sameRows("E4.1", c.rowsAt(head), rows(e), "after kill -9 and a pull to seq " + head
            + " the follower is not the chain's state", "a repaired follower must go on applying the chain");
      }
    }
  }

  /**
   * Runs {@link EngineCrashChild} to apply {@code chain} into {@code file}; kills it with SIGKILL
   * {@code killAfterMillis} after it starts applying (never when negative). Returns the
   * milliseconds its apply took when it finished.
   */
  private long crashChild(String chain, Path file, String uri, long killAfterMillis) throws Exception {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    ProcessBuilder pb = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
        "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", EngineCrashChild.class.getName(), getClass().getName(), file.toString(), uri, chain);
    pb.redirectErrorStream(true);
    Process p = pb.start();
    List<String> out = new ArrayList<>();
    try (BufferedReader in = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
      String line;
      while ((line = in.readLine()) != null) {
        out.add(line);
        if (line.equals("APPLYING") && killAfterMillis >= 0) {
          if (killAfterMillis > 0) {
            Thread.sleep(killAfterMillis);
          }
          p.destroyForcibly();
          p.waitFor(30, TimeUnit.SECONDS);
          return -1;
        }
        if (line.startsWith("DONE ")) {
          p.waitFor(30, TimeUnit.SECONDS);
          return Long.parseLong(line.substring(line.lastIndexOf(' ') + 1));
        }
      }
    } finally {
      p.destroyForcibly();
    }
    throw Check.failure("E4.1", "the child JVM that applies the chain ended without applying it: " + String.join("\n", out),
        "the contract subclass must have a no-argument constructor, and storageUri() must name a storage another JVM"
            + " reaches (file:, not mem:)");
  }

  // ---------------------------------------------------------------- E5 bad objects

  /** A chain of six inserts whose changeset at the 4th insert is damaged by {@code damage}. */
  private void badObjectStopsTheFollower(String rule, String what, Consumer<String> damage) {
    String chain = chain("e5-" + rule);
    Chains c;
    try (Engine leader = leader(chain, sync(), 1)) {
      c = smallChain(chain, leader, 6);
    }
    long bad = c.head() - 2;
    String key = c.keyOf(bad);
    damage.accept(key);
    Engine f = follower(chain);
    HadbException e = Check.rejects(ErrorCode.CORRUPT, rule, "bootstrap() over a chain with " + what + " at seq " + bad,
        () -> f.replicator().bootstrap(), "verify every changeset (checksum, seq, link to the one before) before"
            + " applying it, and stop at the first bad one with CORRUPT naming its key", key);
    Check.equal(bad - 1, f.replicator().appliedSeq(), rule, "the follower's seq after it met " + what,
        "stop at the last good seq; apply nothing of a bad changeset (" + e.getMessage() + ")");
    sameRows(rule, c.rowsAt(bad - 1), rows(f), "the follower stopped by " + what + " does not hold the state at seq "
        + (bad - 1), "nothing of the bad changeset or after it may reach the file");
    Check.rejects(ErrorCode.CORRUPT, rule, "a second pull() over " + what, () -> f.replicator().pull(),
        "a follower stays stopped at a bad object on every pull until it is fixed", key);
    Check.equal(bad - 1, f.replicator().appliedSeq(), rule, "the follower's seq after a second pull",
        "stay at the last good seq");
  }

  @Test
  void required_E5_1_corruptChangesetStopsTheFollowerNamingItsKey() {
    badObjectStopsTheFollower("E5.1", "a flipped byte", key -> {
      byte[] b = storage().get(key).orElseThrow();
      b[b.length / 2] ^= 0x40;
      storage().put(key, b);
    });
  }

  @Test
  void required_E5_2_truncatedChangesetStopsTheFollowerNamingItsKey() {
    badObjectStopsTheFollower("E5.2", "a truncated changeset", key -> {
      byte[] b = storage().get(key).orElseThrow();
      storage().put(key, Arrays.copyOf(b, b.length / 2));
    });
  }

  @Test
  void required_E5_3_missingChangesetStopsTheFollowerNamingItsKey() {
    badObjectStopsTheFollower("E5.3", "a missing changeset", key -> storage().delete(key));
  }

  @Test
  void required_E5_4_changesetOfALowerEpochIsRefused() {
    String chain = chain("e54");
    try (Engine leader = leader(chain, sync(), 3)) {
      smallChain(chain, leader, 3);
    }
    Engine f = follower(chain);
    long head = f.replicator().bootstrap();
    // An old leader of epoch 2 seals after the chain reached epoch 3: linked right, epoch behind.
    Engine old = follower(chain);
    Set<String> before = keys(chain);
    Check.that(old.replicator().seal(2, head + 1), "E5.4", () -> "seal(2, " + (head + 1) + ") at a free seq returned"
        + " false", "the seal must put-if-absent at the seq it is given");
    Set<String> added = keys(chain);
    added.removeAll(before);
    Check.equal(1, added.size(), "E5.4", "objects the seal added (" + added + ")", "a seal is one changeset");
    String key = added.iterator().next();
    Check.rejects(ErrorCode.CORRUPT, "E5.4", "pull() of a changeset of epoch 2 after epoch 3",
        () -> f.replicator().pull(), "a follower refuses a changeset whose epoch is lower than one it has"
            + " seen (a fenced-out leader's), naming its key", key);
    Check.equal(head, f.replicator().appliedSeq(), "E5.4", "the follower's seq after the lower epoch",
        "stop at the last good seq");
  }

  // ---------------------------------------------------------------- E6 leadership

  /** A leader A of epoch 1 with three commits and a follower B that sealed at epoch 2 after them. */
  private record Handover(String chain, Engine a, Engine b, long head) {}

  private Handover handover(String name) {
    String chain = chain(name);
    Engine a = leader(chain, sync(), 1);
    smallChain(chain, a, 3);
    long head = a.replicator().sync();
    Engine b = open(chain, sync());
    Check.equal(head, b.replicator().bootstrap(), "E6.1", "the new leader's seq after catching up",
        "bootstrap() applies the whole chain");
    Check.that(b.replicator().seal(2, head + 1), "E6.1", () -> "seal(2, " + (head + 1) + ") after the head returned"
        + " false", "the seal must put-if-absent an empty changeset after the head and return true when stored");
    return new Handover(chain, a, b, head);
  }

  @Test
  void required_E6_1_sealThenPublishContinuesTheChain() {
    Handover h = handover("e61");
    Check.that(!h.b().replicator().seal(3, h.head() + 1), "E6.1", () -> "a second seal at the taken seq "
        + (h.head() + 1) + " with another epoch returned true", "a seal at a seq another object holds must return"
        + " false, never overwrite it");
    h.b().replicator().startPublishing(2, h.head() + 2);
    h.b().executor().execute("INSERT INTO hist (id, k, n, b) VALUES (100, 'after seal', 1, NULL)", List.of());
    long end = h.b().replicator().sync();
    Check.that(end >= h.head() + 2, "E6.1", () -> "sync() after the seal returned " + end, "the first changeset after"
        + " a seal at s is s + 1");
    Engine f = follower(h.chain());
    Check.equal(end, f.replicator().bootstrap(), "E6.1", "a new follower's seq", "the chain continues past the seal");
    sameRows("E6.1", rows(h.b()), rows(f), "a follower of the sealed and continued chain",
        "the first changeset after the seal must link to the seal");
  }

  @Test
  void required_E6_2_oldLeaderIsFencedBySeal() {
    Handover h = handover("e62");
    HadbException e = Check.rejects(ErrorCode.UNKNOWN_OUTCOME, "E6.2", "a SYNC write of the old leader after the seal",
        () -> h.a().executor().execute("INSERT INTO hist (id, k, n, b) VALUES (200, 'stale', 1, NULL)", List.of()),
        "the old leader's changeset finds its seq taken by the seal: FENCED, and the write it committed locally"
            + " is of unknown outcome");
    Check.that(e.getCause() instanceof HadbException c && c.code() == ErrorCode.FENCED, "E6.2",
        () -> "the UNKNOWN_OUTCOME's cause is " + e.getCause() + ", not FENCED", "attach the FENCED failure as the cause");
    Throwable again = null;
    try {
      h.a().executor().execute("INSERT INTO hist (id, k, n, b) VALUES (201, 'stale', 1, NULL)", List.of());
    } catch (Throwable t) {
      again = t;
    }
    Throwable a2 = again;
    Check.that(a2 instanceof HadbException x && (x.code() == ErrorCode.FENCED || x.code() == ErrorCode.NOT_LEADER),
        "E6.2", () -> "the fenced leader's next write gave " + a2, "once fenced, a leader refuses writes (FENCED)");
  }

  @Test
  void required_E6_3_demotedLeaderDropsAndCountsUnshippedCommits() {
    Handover h = handover("e63");
    try {
      h.a().executor().execute("INSERT INTO hist (id, k, n, b) VALUES (300, 'stale', 1, NULL)", List.of());
    } catch (HadbException expected) {
      // fenced by the seal (E6.2); committed locally all the same
    }
    h.a().replicator().stopPublishing();
    Check.equal(1L, h.a().replicator().droppedCommits(), "E6.3", "droppedCommits() after the stop",
        "count the local commits the chain never got");
    Throwable syncFailure = null;
    try {
      h.a().replicator().sync();
    } catch (Throwable t) {
      syncFailure = t;
    }
    Throwable sf = syncFailure;
    Check.that(sf instanceof HadbException x && x.code() != ErrorCode.INTERNAL, "E6.3",
        () -> "sync() after a stop that left a commit out of the chain " + (sf == null ? "returned" : "threw " + sf),
        "a commit the chain never got is not durable: sync() must fail (NOT_LEADER, or the FENCED/UNKNOWN_OUTCOME"
            + " that stopped it), never return as if it were");
    h.b().replicator().startPublishing(2, h.head() + 2);
    h.b().executor().execute("INSERT INTO hist (id, k, n, b) VALUES (301, 'new leader', 1, NULL)", List.of());
    long end = h.b().replicator().sync();
    Check.equal(end, h.a().replicator().pull(), "E6.3", "the demoted leader's seq after a pull",
        "a demoted leader rebuilds from the chain and follows it");
    sameRows("E6.3", rows(h.b()), rows(h.a()), "the demoted leader's rows after it follows the new leader",
        "its unshipped commit must be gone and the new leader's present");
  }

  // ---------------------------------------------------------------- E7 durability

  @Test
  void required_E7_1_syncCommitIsInStorageWhenAcknowledged() {
    String chain = chain("e71");
    Engine leader = leader(chain, sync(), 1);
    leader.executor().execute(HistoryStep.TABLE, List.of());
    Engine f = follower(chain);
    for (int i = 0; i < 20; i++) {
      leader.executor().execute("INSERT INTO hist (id, k, n, b) VALUES (?, 'x', 0, NULL)", List.of(SqlValue.of(i)));
      long seq = f.replicator().pull();
      List<List<SqlValue>> count = Chains.rows(f, "SELECT count(*) FROM hist");
      int n = i + 1;
      Check.equal(List.of(List.of(SqlValue.of(n))), count, "E7.1", "rows a follower finds in storage right after the"
          + " SYNC leader acknowledged insert " + n + " (follower at seq " + seq + ")", "under SYNC, execute() returns"
          + " only once the changeset holding the commit is in storage");
    }
  }

  // ---------------------------------------------------------------- E8 restore and verify

  private record Timeline(String chain, Chains chains, List<Long> seqs, List<Instant> times) {}

  private Timeline timeline(String name) throws InterruptedException {
    String chain = chain(name);
    Chains c = new Chains();
    List<Long> seqs = new ArrayList<>();
    List<Instant> times = new ArrayList<>();
    try (Engine leader = leader(chain, sync(), 1)) {
      commit(leader, chain, c, List.of(SqlStatement.of(HistoryStep.TABLE)));
      for (int i = 0; i < 5; i++) {
        seqs.add(commit(leader, chain, c, List.of(insert(i, "t" + i, i, new byte[3000 * i]))));
        Thread.sleep(5);
        times.add(Instant.now());
        Thread.sleep(5);
      }
    }
    return new Timeline(chain, c, seqs, times);
  }

  private void restoresTo(String rule, Timeline t, RestorePoint point, long expectSeq, String check) {
    Path target = kitDir.resolve("restore-" + (nextName++)).resolve("data.db");
    try {
      Files.createDirectories(target.getParent());
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
    long seq = provider().restore(storage(), t.chain(), target, point, options(), Progress.NONE);
    Check.equal(expectSeq, seq, rule, "restore(" + point + ") returned", check);
    Check.that(Files.exists(target), rule, () -> "restore(" + point + ") returned but " + target + " does not exist",
        "restore writes the target file");
    Engine e = open(t.chain(), target);
    Check.equal(expectSeq, e.replicator().appliedSeq(), rule, "the restored file opened as a follower is at seq",
        "the restored file carries its chain position");
    sameRows(rule, t.chains().rowsAt(expectSeq), rows(e), "the file restored to " + point, check);
  }

  private Engine open(String chain, Path file) {
    Engine e = provider().open(file, storage(), chain, options());
    opened.add(e);
    return e;
  }

  @Test
  void required_E8_1_restoreToLatestIsTheChainsEnd() throws Exception {
    Timeline t = timeline("e81");
    long last = t.seqs().get(t.seqs().size() - 1);
    restoresTo("E8.1", t, RestorePoint.latest(), last, "restore to latest applies every changeset in storage");
  }

  @Test
  void required_E8_2_restoreToSeqIsTheStateAtThatSeq() throws Exception {
    Timeline t = timeline("e82");
    long mid = t.seqs().get(2);
    restoresTo("E8.2", t, RestorePoint.seq(mid), mid, "restore to a seq applies the changesets up to it and no more");
  }

  @Test
  void required_E8_3_restoreToTimeIsTheStateAtThatTime() throws Exception {
    Timeline t = timeline("e83");
    restoresTo("E8.3", t, RestorePoint.time(t.times().get(1)), t.seqs().get(1),
        "restore to a time applies the changesets created at or before it and no more");
  }

  @Test
  void required_E8_4_verifyNamesTheFirstBadObject() throws Exception {
    Timeline t = timeline("e84");
    VerifyReport ok = provider().verify(storage(), t.chain(), options());
    Check.that(ok.ok(), "E8.4", () -> "verify of a good chain reported " + ok, "verify reads every object and"
        + " finds nothing wrong with a chain the engine wrote");
    Check.equal(t.seqs().get(t.seqs().size() - 1), ok.lastSeq(), "E8.4", "verify's last seq", "verify reads to the end");
    String key = t.chains().keyOf(t.seqs().get(1));
    byte[] b = storage().get(key).orElseThrow();
    b[b.length / 2] ^= 0x01;
    storage().put(key, b);
    VerifyReport bad = provider().verify(storage(), t.chain(), options());
    Check.equal(Optional.of(key), bad.firstBadKey(), "E8.4", "verify of a chain with a flipped byte in " + key,
        "verify checks every object in full and names the first bad one");
  }

  // ---------------------------------------------------------------- E9 dialect

  @Test
  void required_E9_1_requestTableAnswersAReplayWithTheFirstResult() {
    String chain = chain("e91");
    Engine leader = leader(chain, sync(), 1);
    leader.executor().execute(HistoryStep.TABLE, List.of());
    RequestTable table = leader.dialect().requestTable();
    List<SqlStatement> write = List.of(
        SqlStatement.of("INSERT INTO hist (id, k, n, b) VALUES (7, 'once', 1, NULL)"),
        SqlStatement.of("UPDATE hist SET n = n + 1 WHERE id = 7"));
    long now = System.currentTimeMillis();
    RequestTable.Applied first = table.applyOnce(leader.executor(), "req-1", write, now);
    Check.that(!first.replayed(), "E9.1", () -> "the first applyOnce of a new id said replayed",
        "a new id runs its statements");
    // The same request again, as a client's retry after a failover would send it.
    List<SqlStatement> again = List.of(
        SqlStatement.of("INSERT INTO hist (id, k, n, b) VALUES (8, 'twice', 1, NULL)"),
        SqlStatement.of("UPDATE hist SET n = n + 1 WHERE id = 7"));
    RequestTable.Applied second = table.applyOnce(leader.executor(), "req-1", again, now + 1);
    Check.that(second.replayed(), "E9.1", () -> "a replayed request id ran again (replayed=false)",
        "record the id and its results in the same atomic batch as the statements; a known id must fail the batch");
    Check.equal(first.results(), second.results(), "E9.1", "the replay's results", "a replay answers with the results"
        + " recorded the first time");
    sameRows("E9.1", List.of(List.of(SqlValue.of(7), SqlValue.of("once"), SqlValue.of(2), SqlValue.NULL)),
        rows(leader), "the table after a request and its replay", "a replay must apply nothing");
    Check.rejects(ErrorCode.SQL_ERROR, "E9.1", "applyOnce with a failing statement",
        () -> table.applyOnce(leader.executor(), "req-2", List.of(SqlStatement.of("INSERT INTO no_such_table VALUES (1)")),
            now), "a SQL error of an id not recorded is rethrown as it was");
    Check.equal(Optional.empty(), table.lookup(leader.executor(), "req-2"), "E9.1", "lookup of a request whose batch"
        + " failed", "a failing statement rolls the record back with it");
    leader.replicator().sync();
    Engine f = follower(chain);
    f.replicator().bootstrap();
    Check.equal(Optional.of(first.results()), table.lookup(f.executor(), "req-1"), "E9.1",
        "the record as a follower (a future leader) reads it", "the request table is replicated like any table");
  }

  @Test
  void required_E9_2_schemaRecordRunsAScriptOnce() {
    String chain = chain("e92");
    Engine leader = leader(chain, sync(), 1);
    SchemaRecord record = leader.dialect().schemaRecord();
    String hash = "a".repeat(64);
    Check.that(!record.contains(leader.executor(), hash), "E9.2", () -> "contains() of a script never run was true",
        "an empty database has run no script");
    List<SqlStatement> batch = new ArrayList<>(record.record(hash, 1));
    batch.add(SqlStatement.of(HistoryStep.TABLE));
    leader.executor().executeBatch(batch);
    Check.that(record.contains(leader.executor(), hash), "E9.2", () -> "contains() after the script ran was false",
        "record() must insert the hash");
    Check.rejects(ErrorCode.SQL_ERROR, "E9.2", "running the recorded script's batch a second time",
        () -> leader.executor().executeBatch(batch), "a second run fails on the record's key and applies nothing");
    leader.replicator().sync();
    Engine f = follower(chain);
    f.replicator().bootstrap();
    Check.that(record.contains(f.executor(), hash), "E9.2", () -> "a follower does not find the script's record",
        "the record is replicated with the schema");
  }

  @Test
  void required_E9_3_splitScriptSplitsByTheEnginesRulesAndRefusesMalformedScripts() {
    Dialect d = follower(chain("e93")).dialect();
    List<String> parts = d.splitScript("CREATE TABLE a (x TEXT);\n-- a comment; with a semicolon\n"
        + "INSERT INTO a VALUES ('one;two');;\n/* block; */ INSERT INTO a VALUES ('x')");
    Check.equal(3, parts.size(), "E9.3", "statements of a script with quoted and commented semicolons (" + parts + ")",
        "split on semicolons outside quotes and comments; drop empty statements");
    Check.that(parts.get(1).contains("'one;two'"), "E9.3", () -> "the quoted semicolon split a statement: " + parts,
        "a semicolon inside quotes is text");
    Check.rejects(ErrorCode.INVALID_ARGUMENT, "E9.3", "splitScript of an unterminated quote",
        () -> d.splitScript("INSERT INTO a VALUES ('no end);"), "a malformed script fails naming where", "offset");
    Check.rejects(ErrorCode.INVALID_ARGUMENT, "E9.3", "splitScript of an unterminated comment",
        () -> d.splitScript("SELECT 1; /* no end"), "a malformed script fails naming where", "offset");
  }

  // ---------------------------------------------------------------- E10 optional capabilities

  /** Opens with {@code o}, or skips the rule when the engine refuses the option as unsupported. */
  private Engine openOrSkip(String chain, EngineOptions o, String capability) {
    try {
      return open(chain, o);
    } catch (HadbException e) {
      if (e.code() == ErrorCode.UNSUPPORTED) {
        Assumptions.abort("the engine offers no " + capability + ": " + e.getMessage());
      }
      throw e;
    }
  }

  private void replicatesWith(String rule, EngineOptions o, String capability) {
    String chain = chain("e10-" + rule);
    Engine leader = openOrSkip(chain, o.withDurability(Durability.SYNC), capability);
    leader.replicator().bootstrap();
    leader.replicator().seal(1, 1);
    leader.replicator().startPublishing(1, 2);
    Chains c = smallChain(chain, leader, 3);
    Engine f = open(chain, o);
    long seq = f.replicator().bootstrap();
    sameRows(rule, c.rowsAt(seq), rows(f), "a follower of a chain written with " + capability,
        "a follower with the same options reads what the leader wrote");
  }

  @Test
  void optional_E10_1_encryptedChainReplicates() {
    byte[] key = new byte[32];
    ThreadLocalRandom.current().nextBytes(key);
    replicatesWith("E10.1", options().withEncryptionKey(ChainKey.of(key)), "encryption");
  }

  @Test
  void optional_E10_2_compressedChainReplicates() {
    replicatesWith("E10.2", options().withCompression(Compression.ZSTD), "compression");
  }

  @Test
  void optional_E10_3_snapshotBootstrapsAFollower() {
    String chain = chain("e103");
    Engine leader = leader(chain, sync(), 1);
    Chains c = smallChain(chain, leader, 3);
    long snap;
    try {
      snap = leader.replicator().snapshot(Progress.NONE);
    } catch (HadbException e) {
      if (e.code() == ErrorCode.UNSUPPORTED) {
        Assumptions.abort("the engine takes no snapshots: " + e.getMessage());
      }
      throw e;
    }
    Engine f = follower(chain);
    long seq = f.replicator().bootstrap();
    Check.that(seq >= snap, "E10.3", () -> "a follower bootstrapped to " + seq + " before the snapshot at " + snap,
        "bootstrap starts from the newest snapshot");
    sameRows("E10.3", c.rowsAt(seq), rows(f), "a follower bootstrapped from the snapshot",
        "the snapshot holds the exact pages as of its seq");
  }

  // ---------------------------------------------------------------- E11 cursors

  private static final int HANG_SECONDS = 20;

  /** A leader of a new chain with the history table holding rows 1..n (row 2's text and number NULL). */
  private Engine leaderWithRows(String chain, int n) {
    Engine leader = leader(chain, options(), 1);
    leader.executor().execute(HistoryStep.TABLE, List.of());
    List<SqlStatement> rows = new ArrayList<>();
    for (int i = 1; i <= n; i++) {
      rows.add(i == 2 ? insert(i, null, 0, null) : insert(i, "row" + i, i * 10L, new byte[] {(byte) i}));
    }
    rows.add(SqlStatement.of("UPDATE hist SET n = NULL WHERE id = 2"));
    leader.executor().executeBatch(rows);
    return leader;
  }

  /**
   * Runs {@code body} on a thread of its own; one that has not returned after {@link #HANG_SECONDS}
   * fails {@code rule}. A guard against waiting forever, not a timing check: the work takes well
   * under a second.
   */
  private static void returnsSoon(String rule, String what, Runnable body, String check) throws Exception {
    java.util.concurrent.ExecutorService t = java.util.concurrent.Executors.newSingleThreadExecutor();
    try {
      t.submit(body).get(HANG_SECONDS, TimeUnit.SECONDS);
    } catch (java.util.concurrent.TimeoutException e) {
      throw Check.failure(rule, what + " did not return within " + HANG_SECONDS + " s (waiting forever?)", check, e);
    } catch (java.util.concurrent.ExecutionException e) {
      if (e.getCause() instanceof AssertionError a) {
        throw a;
      }
      throw Check.failure(rule, what + " threw " + e.getCause(), check, e.getCause());
    } finally {
      t.shutdownNow();
    }
  }

  @Test
  void required_E11_1_cursorReadsWhatQueryReads() {
    Engine leader = leaderWithRows(chain("e111"), 5);
    io.hadb.api.engine.QueryResult whole = leader.executor().query(HistoryStep.ROWS, List.of());
    io.hadb.api.engine.RowCursor c = leader.executor().cursor(HistoryStep.ROWS, List.of());
    Check.equal(whole.columns(), c.columns(), "E11.1", "the cursor's columns", "columns() names the result's columns");
    List<List<SqlValue>> read = new ArrayList<>();
    while (c.next()) {
      List<SqlValue> row = new ArrayList<>();
      for (int i = 0; i < whole.columns().size(); i++) {
        SqlValue v = c.value(i);
        row.add(v);
        String cell = "row " + (read.size() + 1) + " column " + i + " (" + v + ")";
        Check.equal(v instanceof SqlValue.Null, c.isNull(i), "E11.1", "isNull of " + cell, "isNull is true for NULL only");
        if (v instanceof SqlValue.Int n) {
          Check.equal(n.value(), c.longValue(i), "E11.1", "longValue of " + cell, "an INTEGER reads as itself");
          Check.equal((double) n.value(), c.doubleValue(i), "E11.1", "doubleValue of " + cell, "an INTEGER as a double");
          Check.equal(Long.toString(n.value()), c.textValue(i), "E11.1", "textValue of " + cell, "an INTEGER as text");
        } else if (v instanceof SqlValue.Text t) {
          Check.equal(t.value(), c.textValue(i), "E11.1", "textValue of " + cell, "a TEXT reads as itself");
        } else if (v instanceof SqlValue.Null) {
          Check.equal(0L, c.longValue(i), "E11.1", "longValue of " + cell, "NULL reads as 0");
          Check.equal(0.0, c.doubleValue(i), "E11.1", "doubleValue of " + cell, "NULL reads as 0.0");
          Check.equal(null, c.textValue(i), "E11.1", "textValue of " + cell, "NULL reads as null text");
        }
      }
      read.add(row);
    }
    sameRows("E11.1", whole.rows(), read, "the rows of a cursor", "a cursor reads the rows query() answers, in order,"
        + " each value with its storage class");
    Check.that(c.isClosed(), "E11.1", () -> "a cursor past its last row is not closed",
        "next() answering false closes the cursor (gives back what it held)");
    Check.that(!c.next(), "E11.1", () -> "next() past the last row answered true", "past the last row, next() stays false");
    Check.rejects(ErrorCode.INVALID_ARGUMENT, "E11.1", "value(0) past the last row", () -> c.value(0),
        "a getter past the last row fails INVALID_ARGUMENT", "last row");
    c.close();
  }

  @Test
  void required_E11_2_closedCursorRefusesReadsAndGivesBackWhatItHeld() throws Exception {
    Engine leader = leaderWithRows(chain("e112"), 5);
    Executor ex = leader.executor();
    io.hadb.api.engine.RowCursor first = ex.cursor("SELECT id FROM hist WHERE id = 1", List.of());
    Check.that(first.next(), "E11.2", () -> "a cursor over row 1 has no row", "the cursor reads the query's rows");
    first.close();
    first.close(); // idempotent
    io.hadb.api.engine.RowCursor second = ex.cursor("SELECT id FROM hist WHERE id = 3", List.of());
    second.next();
    Check.rejects(ErrorCode.CLOSED, "E11.2", "value(0) of a closed cursor while another reads", () -> first.value(0),
        "a closed cursor reads nothing, even when its connection now serves another cursor", "closed");
    Check.rejects(ErrorCode.CLOSED, "E11.2", "next() of a closed cursor", first::next,
        "a closed cursor reads nothing", "closed");
    Check.equal(3L, second.longValue(0), "E11.2", "the second cursor's row", "cursors do not share a statement");
    second.close();
    // More cursors than any pool holds, half closed after one row and half read to the end without
    // close(): an engine that kept a connection for either would run out and wait forever.
    returnsSoon("E11.2", "200 cursors closed early or read to their end, then a query and a write", () -> {
      for (int i = 0; i < 200; i++) {
        io.hadb.api.engine.RowCursor c = ex.cursor(HistoryStep.ROWS, List.of());
        if (i % 2 == 0) {
          c.next();
          c.close();
        } else {
          while (c.next()) {
            c.longValue(0);
          }
        }
      }
      ex.query(HistoryStep.ROWS, List.of());
      ex.execute("UPDATE hist SET n = 1 WHERE id = 1", List.of());
    }, "close() and passing the last row give back the read connection (and its snapshot)");
  }

  @Test
  void required_E11_3_errorMidIterationFailsAndClosesTheCursor() throws Exception {
    Engine leader = leaderWithRows(chain("e113"), 5);
    Executor ex = leader.executor();
    // The smallest 64-bit integer's absolute value overflows, on row 3 only.
    String failsAtRow3 = "SELECT id, CASE WHEN id = 3 THEN abs(id - id - 9223372036854775807 - 1) ELSE id END AS x"
        + " FROM hist ORDER BY id";
    List<Long> seen = new ArrayList<>();
    io.hadb.api.engine.RowCursor[] open = new io.hadb.api.engine.RowCursor[1];
    HadbException e = Check.rejects(ErrorCode.SQL_ERROR, "E11.3", "reading a query that fails on row 3", () -> {
      open[0] = ex.cursor(failsAtRow3, List.of());
      while (open[0].next()) {
        seen.add(open[0].longValue(0));
      }
    }, "an error of the statement comes from cursor() or next() as SQL_ERROR");
    Check.that(seen.size() <= 2 && seen.equals(List.of(1L, 2L).subList(0, seen.size())), "E11.3",
        () -> "rows read before the error: " + seen, "only the rows before the failing one are read, in order");
    Check.that(open[0] == null || open[0].isClosed(), "E11.3", () -> "the cursor is open after its error: " + e,
        "a cursor that failed closes itself");
    returnsSoon("E11.3", "100 cursors after the error", () -> {
      for (int i = 0; i < 100; i++) {
        try (io.hadb.api.engine.RowCursor c = ex.cursor("SELECT id FROM hist WHERE id = ?", List.of(SqlValue.of(i % 5 + 1)))) {
          Check.that(c.next() && c.longValue(0) == i % 5 + 1, "E11.3", () -> "a cursor after the error read a wrong row",
              "an error leaves the engine serving");
        }
      }
    }, "a failed cursor gives back what it held");
  }

  @Test
  void required_E11_4_openCursorsDoNotBlockOtherReads() throws Exception {
    Engine leader = leaderWithRows(chain("e114"), 5);
    Executor ex = leader.executor();
    List<io.hadb.api.engine.RowCursor> open = new ArrayList<>();
    // More open cursors than a read pool holds (SQLite's is at most 64), each left on its first row,
    // as a query run for each row of another leaves them; then a query must still be answered.
    returnsSoon("E11.4", "70 open cursors, then a query", () -> {
      for (int i = 0; i < 70; i++) {
        io.hadb.api.engine.RowCursor c = ex.cursor(HistoryStep.ROWS, List.of());
        c.next();
        open.add(c);
      }
      ex.query(HistoryStep.ROWS, List.of());
    }, "cursors must not take every read connection: stream while one is left for other reads, read whole otherwise");
    for (io.hadb.api.engine.RowCursor c : open) {
      int rows = 1;
      while (c.next()) {
        rows++;
      }
      Check.equal(5, rows, "E11.4", "rows of one of 70 cursors open at once", "every cursor reads all its rows");
    }
  }
}

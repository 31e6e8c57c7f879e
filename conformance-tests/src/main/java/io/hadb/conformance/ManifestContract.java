package io.hadb.conformance;

import io.hadb.api.CasResult;
import io.hadb.api.ErrorCode;
import io.hadb.api.HadbException;
import io.hadb.api.HadbUri;
import io.hadb.api.LeaseStore;
import io.hadb.api.LeaseStores;
import io.hadb.api.Versioned;
import io.hadb.api.manifest.Manifest;
import io.hadb.api.manifest.ManifestStore;
import io.hadb.api.manifest.ManifestStores;
import io.hadb.conformance.internal.Check;
import io.hadb.conformance.internal.Kit;
import io.hadb.conformance.internal.KitFinding;
import io.hadb.conformance.internal.Race;
import io.hadb.conformance.internal.RacerFailure;
import io.hadb.conformance.internal.RuleNaming;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The contract every {@link ManifestStore} must pass (DESIGN §10; rules M1–M7 of
 * {@code conformance-tests/SPEC.md}). Subclass it and name the lease store the manifests live in:
 *
 * <pre>{@code
 * class MyManifestConformanceTest extends ManifestContract {
 *   @Override protected String leaseUri() { return "nats://127.0.0.1:4222?bucket=leases"; }
 * }
 * }</pre>
 *
 * <p>The kit opens its stores with {@link ManifestStores#open(String)}; a store that is not
 * built from a lease URI overrides {@link #open()}, and {@link #damage} as well. Every test
 * writes manifests under its own random prefix; nothing is cleaned up.
 */
@ExtendWith(RuleNaming.class)
public abstract class ManifestContract {

  /** The lease store the manifests live in; every open of it must reach the same registers. */
  protected abstract String leaseUri();

  /** A new client of the manifest store under test. */
  protected ManifestStore open() {
    return ManifestStores.open(leaseUri());
  }

  private final String prefix = Kit.newPrefix();
  private final List<ManifestStore> opened = Collections.synchronizedList(new ArrayList<>());

  private ManifestStore client() {
    ManifestStore s;
    try {
      s = open();
    } catch (RuntimeException e) {
      throw Check.failure("M1.1", "opening the manifest store on \"" + HadbUri.redact(leaseUri()) + "\" threw " + e,
          "ManifestStores.open finds the manifest provider with ServiceLoader (io.hadb:turbodb-manifest on the"
              + " class path) and the lease store's provider for the URI's scheme", e);
    }
    opened.add(s);
    return s;
  }

  @AfterEach
  void closeOpened() {
    synchronized (opened) {
      for (ManifestStore s : opened) {
        try {
          s.close();
        } catch (RuntimeException ignored) {
          // M1.2 checks close; a failing close must not hide the rule that failed
        }
      }
      opened.clear();
    }
  }

  /**
   * Damages the stored manifest of {@code name} as a bad disk or a stray write would: its bytes
   * stay in the store but one bit is flipped, so they no longer pass the store's check. The
   * default flips a bit in the middle of the lease register a lease-built store keeps the
   * manifest in ({@code <name>/manifest}, DESIGN §10); a store built otherwise overrides it.
   */
  protected void damage(String name) {
    String key = name + "/manifest";
    try (LeaseStore leases = LeaseStores.open(leaseUri())) {
      Versioned stored = leases.read(key).orElseThrow(() -> new KitFinding("the kit wrote the manifest of " + name
          + " but the lease register " + key + " is absent; a store that does not keep manifests in lease"
          + " registers overrides ManifestContract.damage"));
      byte[] flipped = stored.value().clone();
      flipped[flipped.length / 2] ^= 0x10;
      if (!leases.compareAndSet(key, stored.version(), flipped).isWon()) {
        throw new KitFinding("the register " + key + " changed while the kit damaged it");
      }
    }
  }

  /** A manifest name under this test's private prefix. */
  protected final String name(String rel) {
    return prefix + rel;
  }

  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  private static void expect(Optional<Manifest> got, byte[] document, long epoch, long version, String rule,
      String what, String check) {
    Check.that(got != null && got.isPresent(), rule, () -> what + " returned empty; expected v" + version
        + " at epoch " + epoch, check);
    Manifest m = got.get();
    Check.that(m.version() == version && m.epoch() == epoch && Arrays.equals(m.document(), document), rule,
        () -> what + " returned " + m + "; expected v" + version + ", epoch " + epoch + ", " + Check.bytes(document),
        check);
  }

  private static void fenced(String rule, String call, Check.Call body, String check) {
    Check.rejects(ErrorCode.FENCED, rule, call, body, check, "epoch");
  }

  // ---------------------------------------------------------------- M1 clients

  @Test
  void required_M1_1_clientsOfOneStoreShareManifests() {
    String check = "two manifest stores opened on the same lease store must read each other's manifests";
    ManifestStore a = client();
    ManifestStore b = client();
    String n = name("shared");
    long v = Check.won(a.write(n, 0, 1, utf8("from a")), "M1.1", "client A's first write", check);
    expect(b.read(n), utf8("from a"), 1, v, "M1.1", "client B's read", check);
    long v2 = Check.won(b.write(n, v, 1, utf8("from b")), "M1.1", "client B's write from A's version", check);
    expect(a.read(n), utf8("from b"), 1, v2, "M1.1", "client A's read of B's write", check);
  }

  @Test
  void required_M1_2_closedStoreThrowsClosed() {
    ManifestStore s = client();
    ManifestStore other = client();
    String n = name("closed");
    long v = Check.won(s.write(n, 0, 1, utf8("x")), "M1.2", "first write", "a fresh store must work");
    s.close();
    s.close();
    String check = "after close() (idempotent) every call must throw HadbException(CLOSED); other clients go on";
    Check.rejects(ErrorCode.CLOSED, "M1.2", "read after close", () -> s.read(n), check, "closed");
    Check.rejects(ErrorCode.CLOSED, "M1.2", "write after close", () -> s.write(n, v, 1, utf8("y")), check, "closed");
    expect(other.read(n), utf8("x"), 1, v, "M1.2", "another client's read after one closed", check);
  }

  // ---------------------------------------------------------------- M2 versions and documents

  @Test
  void required_M2_1_readOfUnwrittenManifestIsEmpty() {
    Optional<Manifest> got = client().read(name("never"));
    Check.that(got != null && got.isEmpty(), "M2.1", () -> "read of a manifest never written returned " + got,
        "a name nobody wrote reads empty (a new database has no manifest)");
  }

  @Test
  void required_M2_2_firstWriteAtVersionZeroWins() {
    ManifestStore s = client();
    String n = name("first");
    String check = "write(name, 0, epoch, doc) on a name without a manifest must win with a version > 0, and a read"
        + " returns exactly the document, the epoch and that version";
    long v = Check.won(s.write(n, 0, 3, utf8("doc")), "M2.2", "first write at version 0", check);
    Check.that(v > 0, "M2.2", () -> "the first write's version is " + v, check);
    expect(s.read(n), utf8("doc"), 3, v, "M2.2", "read after the first write", check);
  }

  @Test
  void required_M2_3_writeAtVersionZeroLosesWhenOneExists() {
    ManifestStore s = client();
    String n = name("exists");
    long v = Check.won(s.write(n, 0, 1, utf8("one")), "M2.3", "first write", "a first write wins");
    String check = "version 0 means 'only if there is no manifest yet': a second such write must lose and leave the"
        + " manifest as it was";
    Check.lost(s.write(n, 0, 1, utf8("two")), "M2.3", "second write at version 0", check);
    expect(s.read(n), utf8("one"), 1, v, "M2.3", "read after the losing write", check);
  }

  @Test
  void required_M2_4_writeFromCurrentVersionWins() {
    ManifestStore s = client();
    String n = name("current");
    long v1 = Check.won(s.write(n, 0, 2, utf8("one")), "M2.4", "first write", "a first write wins");
    String check = "a write at the stored epoch from the stored version must win with a greater version";
    long v2 = Check.won(s.write(n, v1, 2, utf8("two")), "M2.4", "write from the current version", check);
    Check.that(v2 > v1, "M2.4", () -> "the version went from " + v1 + " to " + v2, check);
    expect(s.read(n), utf8("two"), 2, v2, "M2.4", "read after the write", check);
  }

  @Test
  void required_M2_5_writeFromStaleVersionLoses() {
    ManifestStore s = client();
    String n = name("stale");
    long v1 = Check.won(s.write(n, 0, 1, utf8("one")), "M2.5", "first write", "a first write wins");
    long v2 = Check.won(s.write(n, v1, 1, utf8("two")), "M2.5", "second write", "a write from the current version wins");
    String check = "a write naming a version that is no longer stored (another writer got in between) must lose and"
        + " change nothing, even at the same epoch: a blind write loses the other writer's update";
    Check.lost(s.write(n, v1, 1, utf8("stale")), "M2.5", "write from the replaced version v" + v1, check);
    Check.lost(s.write(n, v2 + 1_000_000, 1, utf8("future")), "M2.5", "write from a version never stored", check);
    expect(s.read(n), utf8("two"), 1, v2, "M2.5", "read after the stale writes", check);
  }

  @Test
  void required_M2_6_namesAreIndependent() {
    ManifestStore s = client();
    String check = "manifests of different names (db, db2, db/x) are separate documents with separate versions";
    long a = Check.won(s.write(name("db"), 0, 5, utf8("a")), "M2.6", "write of db", check);
    Check.won(s.write(name("db2"), 0, 1, utf8("b")), "M2.6", "write of db2 (at a lower epoch than db)", check);
    Check.won(s.write(name("db/x"), 0, 1, utf8("c")), "M2.6", "write of db/x", check);
    expect(s.read(name("db")), utf8("a"), 5, a, "M2.6", "read of db", check);
  }

  // ---------------------------------------------------------------- M3 the epoch fence

  @Test
  void required_M3_1_lowerEpochIsFenced() {
    ManifestStore s = client();
    String n = name("fence");
    long v = Check.won(s.write(n, 0, 7, utf8("leader 7")), "M3.1", "write at epoch 7", "a first write wins");
    String check = "a write whose epoch is lower than the stored one must throw FENCED naming the epochs and change"
        + " nothing, even from the current version: a deposed leader must never overwrite its successor";
    fenced("M3.1", "write at epoch 6 from the current version", () -> s.write(n, v, 6, utf8("leader 6")), check);
    expect(s.read(n), utf8("leader 7"), 7, v, "M3.1", "read after the fenced write", check);
  }

  @Test
  void required_M3_2_lowerEpochIsFencedNotLost() {
    ManifestStore s = client();
    String n = name("fence-any");
    long v1 = Check.won(s.write(n, 0, 4, utf8("a")), "M3.2", "first write", "a first write wins");
    long v2 = Check.won(s.write(n, v1, 4, utf8("b")), "M3.2", "second write", "a write from the current version wins");
    String check = "a lower epoch is FENCED whatever version it names (stale, absent, never stored), so a deposed"
        + " writer stops at once instead of reading and retrying";
    fenced("M3.2", "write at epoch 3 from a stale version", () -> s.write(n, v1, 3, utf8("x")), check);
    fenced("M3.2", "write at epoch 3 at version 0", () -> s.write(n, 0, 3, utf8("x")), check);
    fenced("M3.2", "write at epoch 1 from a version never stored", () -> s.write(n, v2 + 99, 1, utf8("x")), check);
    expect(s.read(n), utf8("b"), 4, v2, "M3.2", "read after the fenced writes", check);
  }

  @Test
  void required_M3_3_higherEpochTakesOverAndFencesTheOld() {
    ManifestStore s = client();
    String n = name("takeover");
    long v1 = Check.won(s.write(n, 0, 1, utf8("old")), "M3.3", "write at epoch 1", "a first write wins");
    String check = "a later leader (higher epoch) writes from the current version and wins; from then on the old"
        + " epoch is fenced";
    long v2 = Check.won(s.write(n, v1, 2, utf8("new")), "M3.3", "write at epoch 2 from the current version", check);
    expect(s.read(n), utf8("new"), 2, v2, "M3.3", "read after the takeover", check);
    fenced("M3.3", "the old leader's write at epoch 1 from the new version",
        () -> s.write(n, v2, 1, utf8("late")), check);
    expect(s.read(n), utf8("new"), 2, v2, "M3.3", "read after the late write", check);
  }

  @Test
  void required_M3_4_higherEpochStillChecksTheVersion() {
    ManifestStore s = client();
    String n = name("higher-stale");
    long v1 = Check.won(s.write(n, 0, 1, utf8("a")), "M3.4", "first write", "a first write wins");
    long v2 = Check.won(s.write(n, v1, 1, utf8("b")), "M3.4", "second write", "a write from the current version wins");
    String check = "a higher epoch does not make a write blind: from a stale version it loses (the writer reads"
        + " again and keeps what it did not know about)";
    Check.lost(s.write(n, v1, 9, utf8("blind")), "M3.4", "write at epoch 9 from the replaced version", check);
    expect(s.read(n), utf8("b"), 1, v2, "M3.4", "read after the losing write", check);
  }

  // ---------------------------------------------------------------- M4 versions

  @Test
  void required_M4_1_versionsStrictlyIncrease() {
    ManifestStore s = client();
    String n = name("versions");
    String check = "every write that wins gets a version greater than the one it replaced, also when the document is"
        + " unchanged and when the epoch rises; a version is never given twice";
    long v = 0;
    Set<Long> seen = new HashSet<>();
    for (int i = 0; i < 12; i++) {
      long epoch = 1 + i / 4;
      byte[] doc = utf8(i % 3 == 2 ? "changed " + i : "same");
      long before = v;
      long got = Check.won(s.write(n, v, epoch, doc), "M4.1", "write " + (i + 1) + " (epoch " + epoch + ")", check);
      Check.that(got > before, "M4.1", () -> "write from v" + before + " answered version " + got, check);
      Check.that(seen.add(got), "M4.1", () -> "version " + got + " was given twice", check);
      expect(s.read(n), doc, epoch, got, "M4.1", "read after write " + (i + 1), check);
      v = got;
    }
  }

  // ---------------------------------------------------------------- M5 concurrency

  @Test
  void required_M5_1_writeRaceHasExactlyOneWinner() {
    int threads = Kit.raceThreads();
    List<ManifestStore> clients = new ArrayList<>();
    for (int i = 0; i < threads; i++) {
      clients.add(client());
    }
    String check = "of N writers racing from one version at one epoch exactly one wins, and the stored manifest is"
        + " the winner's";
    try (Race race = new Race(threads)) {
      for (int round = 0; round < Kit.raceRounds(); round++) {
        String n = name("race/" + round);
        long v = Check.won(clients.get(0).write(n, 0, 1, utf8("start")), "M5.1", "first write", check);
        List<Race.Outcome<CasResult>> out = race.run("M5.1",
            i -> () -> clients.get(i).write(n, v, 1, utf8("racer " + i)));
        RacerFailure.check(out, "M5.1", check, "CasResult.lost()");
        List<Integer> winners = out.stream().filter(o -> o.value().isWon()).map(Race.Outcome::racer).toList();
        int r = round;
        Check.that(winners.size() == 1, "M5.1", () -> "round " + r + ": " + winners.size() + " writers won: "
            + winners, check);
        Race.Outcome<CasResult> w = out.get(winners.get(0));
        expect(clients.get(0).read(n), utf8("racer " + w.racer()), 1, w.value().version(), "M5.1",
            "read after round " + r, check);
      }
    }
  }

  @Test
  void required_M5_2_concurrentUpdatesLoseNothing() {
    int threads = Kit.raceThreads();
    int perThread = 4;
    List<ManifestStore> clients = new ArrayList<>();
    for (int i = 0; i < threads; i++) {
      clients.add(client());
    }
    String n = name("counter");
    String check = "N writers each adding 1 with read + write from the version read (again on lost) must end at"
        + " N x increments; fewer means a write won from a version that was no longer stored (a lost update)";
    Check.won(clients.get(0).write(n, 0, 1, utf8("0")), "M5.2", "first write", check);
    Set<Long> wonVersions = Collections.synchronizedSet(new HashSet<>());
    try (Race race = new Race(threads)) {
      List<Race.Outcome<Integer>> out = race.run("M5.2", i -> () -> {
        ManifestStore c = clients.get(i);
        int attempts = 0;
        for (int done = 0; done < perThread; ) {
          if (++attempts > 20_000) {
            throw new KitFinding("20000 read + write attempts in a row lost");
          }
          Manifest cur = c.read(n).orElseThrow(() -> new KitFinding("the counter manifest read empty"));
          long count = Long.parseLong(new String(cur.document(), StandardCharsets.UTF_8));
          LockSupport.parkNanos(ThreadLocalRandom.current().nextLong(20_000, 200_000));
          CasResult r = c.write(n, cur.version(), 1, utf8(Long.toString(count + 1)));
          if (r.isWon()) {
            if (!wonVersions.add(r.version())) {
              throw new KitFinding("version v" + r.version() + " was won by two writers");
            }
            done++;
          }
        }
        return attempts;
      });
      RacerFailure.check(out, "M5.2", check, "CasResult.lost()");
    }
    long expected = (long) threads * perThread;
    long got = Long.parseLong(new String(clients.get(0).read(n).orElseThrow().document(), StandardCharsets.UTF_8));
    Check.that(got == expected, "M5.2", () -> threads + " writers x " + perThread + " won updates left the counter at "
        + got + " instead of " + expected + " (" + (expected - got) + " updates lost)", check);
  }

  @Test
  void required_M5_3_noLowerEpochLandsAfterAHigherOne() {
    int threads = Math.max(2, Kit.raceThreads());
    List<ManifestStore> clients = new ArrayList<>();
    for (int i = 0; i < threads; i++) {
      clients.add(client());
    }
    String check = "writers of several epochs race read + write loops; once an epoch is stored no lower epoch may"
        + " ever be stored again (each writer stops at its first FENCED), and the final epoch is the highest";
    for (int round = 0; round < Kit.raceRounds(); round++) {
      String n = name("epochs/" + round);
      Check.won(clients.get(0).write(n, 0, 1, utf8("e1")), "M5.3", "first write", check);
      List<long[]> history = Collections.synchronizedList(new ArrayList<>()); // {version, epoch} of every win
      AtomicInteger unknown = new AtomicInteger();
      AtomicInteger answers = new AtomicInteger();
      try (Race race = new Race(threads)) {
        List<Race.Outcome<Integer>> out = race.run("M5.3", i -> () -> {
          ManifestStore c = clients.get(i);
          long epoch = 1 + i % 4;
          for (int attempt = 0; attempt < 50; attempt++) {
            Manifest cur = c.read(n).orElseThrow(() -> new KitFinding("the manifest read empty"));
            try {
              CasResult r = c.write(n, cur.version(), epoch, utf8("e" + epoch));
              answers.incrementAndGet();
              if (r.isWon()) {
                history.add(new long[] {r.version(), epoch});
              }
            } catch (HadbException e) {
              answers.incrementAndGet();
              if (e.code() == ErrorCode.FENCED) {
                return attempt;
              }
              if (e.code() != ErrorCode.UNKNOWN_OUTCOME) {
                throw e;
              }
              // A true answer when the store cannot tell (a writer starved while many versions
              // followed): the write may have landed, so it is not in the history; read, go on.
              unknown.incrementAndGet();
            }
          }
          return 50;
        });
        RacerFailure.check(out, "M5.3", check, "FENCED");
      }
      Check.that(unknown.get() * 2 < answers.get(), "M5.3", () -> unknown + " of " + answers
          + " racing writes were answered UNKNOWN_OUTCOME: a store must decide most of its writes", check);
      List<long[]> byVersion = new ArrayList<>(history);
      byVersion.sort((a, b) -> Long.compare(a[0], b[0]));
      long highest = 0;
      for (long[] w : byVersion) {
        long h = highest;
        Check.that(w[1] >= h, "M5.3", () -> "version " + w[0] + " was written at epoch " + w[1] + " after epoch " + h
            + " was stored", check);
        highest = w[1];
      }
      long top = Math.min(4, threads);
      Manifest end = clients.get(0).read(n).orElseThrow();
      int r = round;
      Check.that(end.epoch() == top, "M5.3", () -> "round " + r + " ended at epoch " + end.epoch() + "; the highest"
          + " racing epoch " + top + " never gets fenced, so it must be stored last", check);
    }
  }

  // ---------------------------------------------------------------- M6 bad input

  @Test
  void required_M6_1_badInputRejected() {
    ManifestStore s = client();
    String n = name("input");
    String check = "bad input throws INVALID_ARGUMENT naming what was wrong, before anything is written";
    Check.rejects(ErrorCode.INVALID_ARGUMENT, "M6.1", "read(null)", () -> s.read(null), check, "name");
    Check.rejects(ErrorCode.INVALID_ARGUMENT, "M6.1", "write with a null name", () -> s.write(null, 0, 1, utf8("x")),
        check, "name");
    Check.rejects(ErrorCode.INVALID_ARGUMENT, "M6.1", "write with name \"a//b\"", () -> s.write("a//b", 0, 1, utf8("x")),
        check, "key", "segment", "empty", "name");
    Check.rejects(ErrorCode.INVALID_ARGUMENT, "M6.1", "write with a null document", () -> s.write(n, 0, 1, null),
        check, "document");
    Check.rejects(ErrorCode.INVALID_ARGUMENT, "M6.1", "write at epoch 0", () -> s.write(n, 0, 0, utf8("x")), check,
        "epoch");
    Check.rejects(ErrorCode.INVALID_ARGUMENT, "M6.1", "write from version -1", () -> s.write(n, -1, 1, utf8("x")),
        check, "version");
    byte[] big = new byte[ManifestStore.MAX_DOCUMENT_BYTES + 1];
    Check.rejects(ErrorCode.INVALID_ARGUMENT, "M6.1", "write of " + big.length + " bytes", () -> s.write(n, 0, 1, big),
        check, "bytes", "limit");
    Optional<Manifest> after = s.read(n);
    Check.that(after.isEmpty(), "M6.1", () -> "a refused write left " + after, check);
    byte[] max = new byte[ManifestStore.MAX_DOCUMENT_BYTES];
    Arrays.fill(max, (byte) 7);
    long v = Check.won(s.write(n, 0, 1, max), "M6.1", "write of exactly MAX_DOCUMENT_BYTES", "the limit itself is accepted");
    expect(s.read(n), max, 1, v, "M6.1", "read of the largest document", "the limit itself round-trips");
  }

  // ---------------------------------------------------------------- M7 the operator's repair

  @Test
  void required_M7_1_replaceDamagedRefusesAHealthyManifest() {
    ManifestStore s = client();
    String n = name("healthy");
    long v = Check.won(s.write(n, 0, 5, utf8("leader 5")), "M7.1", "write at epoch 5", "a first write wins");
    String check = "replaceDamaged is the operator's repair of a manifest that fails its check; on one that reads"
        + " fine it must throw INVALID_ARGUMENT and change nothing (replacing it would drop the leader's last"
        + " update and move its epoch)";
    Check.rejects(ErrorCode.INVALID_ARGUMENT, "M7.1", "replaceDamaged at epoch 9 of a healthy manifest",
        () -> s.replaceDamaged(n, 9, utf8("rebuilt")), check, "damaged");
    expect(s.read(n), utf8("leader 5"), 5, v, "M7.1", "read after the refused replacement", check);
    Check.won(s.write(n, v, 5, utf8("leader 5 again")), "M7.1", "the leader's next write from its version", check);
  }

  @Test
  void required_M7_2_damagedManifestFailsCorruptUntilReplaced() {
    ManifestStore s = client();
    String n = name("damaged");
    long v = Check.won(s.write(n, 0, 4, utf8("leader 4")), "M7.2", "write at epoch 4", "a first write wins");
    damage(n);
    String check = "a manifest whose stored bytes fail their check must read CORRUPT naming it, never as a"
        + " manifest (its epoch cannot be trusted), and every write over it must throw CORRUPT whatever version it"
        + " names; replaceDamaged replaces it with a version above every earlier one, at the epoch it is given, and"
        + " from then on the fence holds again";
    Check.rejects(ErrorCode.CORRUPT, "M7.2", "read of the damaged manifest", () -> s.read(n), check, "manifest", n);
    Check.rejects(ErrorCode.CORRUPT, "M7.2", "write at epoch 4 over the damaged manifest",
        () -> s.write(n, v, 4, utf8("blind")), check, "manifest", n);
    long r = Check.won(s.replaceDamaged(n, 6, utf8("rebuilt")), "M7.2", "replaceDamaged at epoch 6", check);
    Check.that(r > v, "M7.2", () -> "the replacement's version " + r + " is not above the damaged manifest's earlier"
        + " version " + v, check);
    expect(s.read(n), utf8("rebuilt"), 6, r, "M7.2", "read after the replacement", check);
    fenced("M7.2", "write at epoch 5 after the replacement at epoch 6", () -> s.write(n, r, 5, utf8("late")), check);
    Check.won(s.write(n, r, 6, utf8("next")), "M7.2", "write at epoch 6 from the replacement's version", check);
  }

  @Test
  void required_M7_3_replaceDamagedCreatesAMissingManifest() {
    ManifestStore s = client();
    String n = name("missing");
    String check = "replaceDamaged of a name with no manifest creates it at the epoch given (a rebuild from storage"
        + " after the register was lost), refuses bad input with INVALID_ARGUMENT, and a second call, now that it"
        + " reads fine, is refused";
    Check.rejects(ErrorCode.INVALID_ARGUMENT, "M7.3", "replaceDamaged at epoch 0", () -> s.replaceDamaged(n, 0,
        utf8("x")), check, "epoch");
    Check.rejects(ErrorCode.INVALID_ARGUMENT, "M7.3", "replaceDamaged with a null document",
        () -> s.replaceDamaged(n, 1, null), check, "document");
    long v = Check.won(s.replaceDamaged(n, 3, utf8("rebuilt")), "M7.3", "replaceDamaged of a missing manifest", check);
    expect(s.read(n), utf8("rebuilt"), 3, v, "M7.3", "read after the creation", check);
    Check.rejects(ErrorCode.INVALID_ARGUMENT, "M7.3", "a second replaceDamaged",
        () -> s.replaceDamaged(n, 3, utf8("again")), check, "damaged");
  }
}

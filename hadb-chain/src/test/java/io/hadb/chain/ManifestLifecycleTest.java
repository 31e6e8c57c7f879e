package io.hadb.chain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hadb.api.Durability;
import io.hadb.api.ErrorCode;
import io.hadb.api.HadbException;
import io.hadb.api.LeaseStore;
import io.hadb.api.LeaseStores;
import io.hadb.api.StorageBackend;
import io.hadb.api.StorageBackends;
import io.hadb.api.engine.Progress;
import io.hadb.api.engine.RestorePoint;
import io.hadb.api.engine.RetentionPolicy;
import io.hadb.api.engine.SnapshotPolicy;
import io.hadb.api.manifest.Manifest;
import io.hadb.api.manifest.ManifestStore;
import io.hadb.api.manifest.ManifestStores;
import io.hadb.chain.internal.Snapshots;
import io.hadb.chain.toy.ToyEngine;
import io.hadb.changeset.DecodeOptions;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A database's life behind its manifest (DESIGN §10), with the toy engine on storage-local and
 * manifests on lease-mem: the leader writes the manifest after each snapshot at its epoch, a
 * deposed leader is fenced, followers and restores start from the manifest's base and fetch
 * only the tail, garbage collection waits out its grace period, storage stays bounded, and a
 * damaged manifest or snapshot is named and recovered from without losing committed data.
 */
class ManifestLifecycleTest {
  static final String PREFIX = "life/";
  static final ChainKeys KEYS = ChainKeys.of(PREFIX);

  @TempDir Path dir;
  StorageBackend storage;
  LeaseStore leases;
  ManifestStore manifests;

  @BeforeEach
  void open() {
    storage = StorageBackends.open("file://" + dir.resolve("store") + "?fsync=false");
    leases = LeaseStores.open("mem://life-" + UUID.randomUUID());
    manifests = ManifestStores.on(leases);
  }

  @AfterEach
  void close() {
    manifests.close();
    leases.close();
    storage.close();
  }

  ChainOptions options(RetentionPolicy retention, Duration grace) {
    return ChainOptions.defaults().withDurability(Durability.SYNC).withManifests(Optional.of(manifests))
        .withSnapshots(new SnapshotPolicy(0, 0, Duration.ZERO, retention)).withGcGrace(grace);
  }

  ChainOptions keepAll() {
    return options(RetentionPolicy.keepAll(), Duration.ofHours(1));
  }

  ToyEngine engine(String name, StorageBackend s, String prefix, ChainOptions o) {
    return new ToyEngine(dir.resolve(name), s, prefix, o);
  }

  ToyEngine engine(String name, ChainOptions o) {
    return engine(name, storage, PREFIX, o);
  }

  static void commits(ToyEngine leader, int from, int to) {
    for (int i = from; i < to; i++) {
      leader.commit(Map.of(2L + i % 7, i));
    }
  }

  Manifest stored(String prefix) {
    return manifests.read(ChainKeys.of(prefix).manifestName()).orElseThrow();
  }

  ChainManifest doc(String prefix) {
    return ChainManifest.decode(prefix, stored(prefix).document());
  }

  static List<Long> changeSeqs(List<String> keys) {
    List<Long> out = new ArrayList<>();
    for (String k : keys) {
      KEYS.changeSeq(k).ifPresent(out::add);
    }
    return out;
  }

  @Test
  void the_leader_claims_the_manifest_and_writes_it_after_each_snapshot_at_its_epoch() {
    try (ToyEngine leader = engine("leader.db", keepAll())) {
      leader.replicator().startPublishing(3, 1);
      Manifest claimed = stored(PREFIX);
      assertEquals(3, claimed.epoch(), "promotion writes the manifest at the new epoch");
      assertTrue(doc(PREFIX).snapshots().isEmpty());
      commits(leader, 0, 10);
      long s = leader.replicator().snapshot();
      Manifest after = stored(PREFIX);
      assertEquals(3, after.epoch());
      assertTrue(after.version() > claimed.version());
      ChainManifest.Snapshot base = doc(PREFIX).base().orElseThrow();
      assertEquals(s, base.seq());
      assertEquals(Snapshots.describe(storage, KEYS, s, DecodeOptions.defaults()), base,
          "the manifest names the stored object's checksum and size");
    }
  }

  @Test
  void a_deposed_leaders_manifest_write_is_fenced_and_it_deletes_nothing() {
    ChainOptions o = options(new RetentionPolicy(1, 0, 0, 0), Duration.ZERO);
    try (ToyEngine old = engine("old.db", o); ToyEngine next = engine("next.db", o)) {
      old.replicator().startPublishing(1, 1);
      commits(old, 0, 5);
      old.replicator().snapshot();
      commits(old, 5, 10);
      old.replicator().snapshot(); // retires the first snapshot and the changesets behind the second
      long head = old.replicator().sync();
      next.replicator().startPublishing(2, head + 1); // the successor claims the manifest at epoch 2
      List<String> before = storage.listAll(PREFIX);
      HadbException e = assertThrows(HadbException.class, () -> old.replicator().snapshot());
      assertEquals(ErrorCode.FENCED, e.code(), e.getMessage());
      assertTrue(e.getMessage().contains("epoch 2"), e.getMessage());
      assertEquals(2, stored(PREFIX).epoch());
      assertTrue(storage.listAll(PREFIX).containsAll(before), "a fenced leader collected nothing");
    }
  }

  @Test
  void a_new_follower_and_a_restarting_one_fetch_the_base_and_only_the_tail() {
    long base;
    long head;
    try (ToyEngine leader = engine("leader.db", keepAll()); ToyEngine early = engine("early.db", keepAll())) {
      leader.replicator().startPublishing(1, 1);
      commits(leader, 0, 10);
      assertEquals(leader.replicator().sync(), early.replicator().bootstrap());
      early.close(); // a node that goes down at seq 10 ...
      commits(leader, 10, 50);
      base = leader.replicator().snapshot();
      commits(leader, 50, 60);
      head = leader.replicator().sync();
      for (String name : List.of("new.db", "early.db")) { // ... and comes back after the snapshot
        CountingStorage counting = new CountingStorage(storage);
        try (ToyEngine f = engine(name, counting, PREFIX, keepAll())) {
          assertEquals(head, f.replicator().bootstrap(), name);
          assertEquals(leader.content(), f.content(), name);
        }
        List<Long> fetched = changeSeqs(counting.gets);
        long b = base;
        assertTrue(fetched.stream().allMatch(s -> s > b), name + " fetched changesets at or before the base: " + fetched);
        assertTrue(counting.gets.contains(KEYS.snapshot(base)), name + " started from the base snapshot");
        long h = head;
        assertEquals(head - base, fetched.stream().filter(x -> x <= h).distinct().count(),
            name + " fetched each changeset of the tail once, nothing else: " + fetched);
      }
    }
  }

  @Test
  void a_cold_start_downloads_its_tail_in_parallel_bounded_by_the_download_parallelism() {
    long head;
    try (ToyEngine leader = engine("leader.db", keepAll())) {
      leader.replicator().startPublishing(1, 1);
      commits(leader, 0, 5);
      leader.replicator().snapshot();
      commits(leader, 5, 45);
      head = leader.replicator().sync();
    }
    for (int parallelism : List.of(1, 3)) {
      SlowStorage slow = new SlowStorage(storage);
      ChainOptions o = keepAll().withDownloadParallelism(parallelism);
      try (ToyEngine f = engine("cold-" + parallelism + ".db", slow, PREFIX, o)) {
        assertEquals(head, f.replicator().bootstrap());
      }
      assertTrue(slow.threads.stream().anyMatch(t -> t.equals("hadb-bootstrap-download")),
          "the tail came through the download threads: " + slow.threads);
      assertTrue(slow.maxInFlight.get() <= parallelism, "at most " + parallelism + " at once, saw " + slow.maxInFlight);
      if (parallelism > 1) {
        assertTrue(slow.maxInFlight.get() > 1, "more than one download at once, saw " + slow.maxInFlight);
      }
    }
  }

  /** Storage whose changeset downloads take a while and count how many run at once. */
  static final class SlowStorage extends CountingStorage {
    final java.util.concurrent.atomic.AtomicInteger inFlight = new java.util.concurrent.atomic.AtomicInteger();
    final java.util.concurrent.atomic.AtomicInteger maxInFlight = new java.util.concurrent.atomic.AtomicInteger();

    SlowStorage(StorageBackend inner) {
      super(inner);
    }

    @Override
    public Optional<java.io.InputStream> getStream(String key) {
      if (KEYS.changeSeq(key).isEmpty() || !Thread.currentThread().getName().equals("hadb-bootstrap-download")) {
        return super.getStream(key); // the gap check's look at the next key is not a download
      }
      maxInFlight.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
      try {
        Thread.sleep(20); // a round trip: long enough for the downloads ahead to overlap
        return super.getStream(key);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return super.getStream(key);
      } finally {
        inFlight.decrementAndGet();
      }
    }
  }

  @Test
  void a_corrupt_manifest_is_named_falls_back_to_listing_and_the_next_snapshot_rebuilds_it() {
    try (ToyEngine leader = engine("leader.db", keepAll())) {
      leader.replicator().startPublishing(1, 1);
      commits(leader, 0, 10);
      long first = leader.replicator().snapshot();
      commits(leader, 10, 15);
      Manifest m = stored(PREFIX);
      manifests.write(KEYS.manifestName(), m.version(), m.epoch(), "not a manifest".getBytes());
      HadbException e = assertThrows(HadbException.class, () -> doc(PREFIX));
      assertEquals(ErrorCode.CORRUPT, e.code());
      assertTrue(e.getMessage().contains("life") && e.getMessage().contains("rebuild"), e.getMessage());

      try (ToyEngine f = engine("follower.db", keepAll())) {
        assertEquals(leader.replicator().sync(), f.replicator().bootstrap(), "a follower lists storage instead");
        assertEquals(leader.content(), f.content());
      }
      long second = leader.replicator().snapshot();
      ChainManifest rebuilt = doc(PREFIX);
      assertEquals(List.of(first, second), rebuilt.snapshots().stream().map(ChainManifest.Snapshot::seq).toList(),
          "the rebuilt manifest names every snapshot in storage");
      assertEquals(1, rebuilt.changesFrom());
    }
  }

  @Test
  void a_manifest_register_that_fails_its_crc_is_repaired_from_storage_by_the_operator_losing_nothing() {
    long first;
    long head;
    Map<Long, Integer> content;
    try (ToyEngine leader = engine("leader.db", keepAll())) {
      leader.replicator().startPublishing(1, 1);
      commits(leader, 0, 10);
      first = leader.replicator().snapshot();
      commits(leader, 10, 15);
      head = leader.replicator().sync();
      content = leader.content();
    }
    // One flipped bit in the register's document: its CRC-32C no longer matches.
    String register = KEYS.manifestName() + "/manifest";
    io.hadb.api.Versioned v = leases.read(register).orElseThrow();
    byte[] damaged = v.value().clone();
    damaged[damaged.length - 8] ^= 0x10;
    assertTrue(leases.compareAndSet(register, v.version(), damaged).isWon());
    HadbException e = assertThrows(HadbException.class, () -> stored(PREFIX));
    assertEquals(ErrorCode.CORRUPT, e.code());
    assertTrue(e.getMessage().contains("CRC"), e.getMessage());
    try (ToyEngine next = engine("next.db", keepAll())) {
      HadbException refused = assertThrows(HadbException.class, () -> next.replicator().startPublishing(2, head + 1));
      assertEquals(ErrorCode.CORRUPT, refused.code(), "a damaged register hides the epoch: no leader writes over it");
    }

    ChainManifest repaired = ChainRestore.repairManifest(storage, PREFIX, keepAll());
    assertEquals(List.of(first), repaired.snapshots().stream().map(ChainManifest.Snapshot::seq).toList());
    assertEquals(1, repaired.changesFrom());
    assertEquals(repaired, doc(PREFIX), "stored and readable");
    assertEquals(1, stored(PREFIX).epoch(), "at the chain's newest epoch");
    HadbException healthy = assertThrows(HadbException.class, () -> ChainRestore.repairManifest(storage, PREFIX, keepAll()));
    assertEquals(ErrorCode.INVALID_ARGUMENT, healthy.code(), "a manifest that reads fine is not replaced");

    ChainRestore.restore(storage, PREFIX, dir.resolve("restored.db"), RestorePoint.latest(), ToyEngine.FORMAT,
        keepAll(), Progress.NONE);
    try (ToyEngine next = engine("next.db", keepAll())) {
      assertEquals(head, next.replicator().bootstrap());
      assertEquals(content, next.content(), "no committed data lost");
      next.replicator().startPublishing(2, head + 1);
      commits(next, 15, 20);
      long second = next.replicator().snapshot();
      assertEquals(List.of(first, second), doc(PREFIX).snapshots().stream().map(ChainManifest.Snapshot::seq).toList());
      assertEquals(2, stored(PREFIX).epoch(), "the next leader claimed it at its epoch");
    }
  }

  @Test
  void a_snapshot_that_does_not_match_the_manifest_or_is_missing_is_named_and_no_committed_data_is_lost() {
    Map<Long, Integer> content;
    long s;
    try (ToyEngine leader = engine("leader.db", keepAll())) {
      leader.replicator().startPublishing(1, 1);
      commits(leader, 0, 10);
      s = leader.replicator().snapshot();
      commits(leader, 10, 14);
      leader.replicator().sync();
      content = leader.content();
    }
    Manifest m = stored(PREFIX);
    ChainManifest.Snapshot good = doc(PREFIX).base().orElseThrow();
    ChainManifest wrong = doc(PREFIX).with(new ChainManifest.Snapshot(s, good.createdMillis(), good.bytes(), "0".repeat(64)));
    manifests.write(KEYS.manifestName(), m.version(), m.epoch(), wrong.encode());

    // The whole chain is kept: the restore reports the bad base and replays from the start.
    ChainOptions o = keepAll();
    assertEquals(14, ChainRestore.restore(storage, PREFIX, dir.resolve("r1.db"), RestorePoint.latest(), ToyEngine.FORMAT,
        o, Progress.NONE));
    try (ToyEngine r = engine("r1.db", o)) {
      assertEquals(content, r.content());
    }
    // Without the changesets before it there is nothing else to start from: the error names the snapshot.
    storage.delete(String.format(PREFIX + "changes/%020d.hadbp", 1));
    HadbException e = assertThrows(HadbException.class, () -> ChainRestore.restore(storage, PREFIX, dir.resolve("r2.db"),
        RestorePoint.latest(), ToyEngine.FORMAT, o, Progress.NONE));
    String all = e.getMessage() + " " + List.of(e.getSuppressed()).stream().map(Throwable::getMessage).toList();
    assertTrue(all.contains(KEYS.snapshot(s)) && all.contains("checksum"), all);

    // A snapshot the manifest names but storage lost, and nothing before it: the error names it.
    manifests.write(KEYS.manifestName(), stored(PREFIX).version(), m.epoch(), doc(PREFIX).with(good).encode());
    storage.delete(KEYS.snapshot(s));
    HadbException missing = assertThrows(HadbException.class, () -> ChainRestore.restore(storage, PREFIX,
        dir.resolve("r3.db"), RestorePoint.latest(), ToyEngine.FORMAT, o, Progress.NONE));
    String text = missing.getMessage() + " " + List.of(missing.getSuppressed()).stream().map(Throwable::getMessage).toList();
    assertTrue(text.contains(KEYS.snapshot(s)), text);
  }

  /**
   * A reader that read the manifest before a collection still finds everything that manifest
   * named, for the grace period: a follower that starts from the base it read, then pulls.
   * With no grace the same reader finds its base deleted (the test can fail).
   */
  @Test
  void collection_waits_out_the_grace_period_for_readers_of_an_older_manifest() {
    for (Duration grace : List.of(Duration.ofHours(1), Duration.ZERO)) {
      String prefix = "grace-" + grace.toMinutes() + "/";
      ChainOptions o = options(new RetentionPolicy(1, 0, 0, 0), grace);
      try (ToyEngine leader = engine("leader-" + prefix.replace("/", "") + ".db", storage, prefix, o)) {
        leader.replicator().startPublishing(1, 1);
        commits(leader, 0, 10);
        leader.replicator().snapshot();
        ChainManifest.Snapshot readerBase = doc(prefix).base().orElseThrow(); // a slow reader reads here
        for (int round = 1; round <= 3; round++) {
          commits(leader, round * 10, round * 10 + 10);
          leader.replicator().snapshot();
        }
        long head = leader.replicator().sync();
        boolean baseThere = storage.getStream(ChainKeys.of(prefix).snapshot(readerBase.seq())).isPresent();
        boolean tailThere = storage.getStream(ChainKeys.of(prefix).change(readerBase.seq() + 1)).isPresent();
        if (grace.isZero()) {
          assertFalse(baseThere && tailThere, "without grace the old base and its tail are collected");
        } else {
          assertTrue(baseThere && tailThere, "within the grace period everything the old manifest named is there");
          long restored = ChainRestore.restore(storage, prefix, dir.resolve("slow.db"), RestorePoint.seq(head),
              ToyEngine.FORMAT, ChainOptions.defaults(), Progress.NONE); // by listing: starts at the newest, fine too
          assertEquals(head, restored);
        }
      }
    }
  }

  @Test
  void objects_in_storage_stay_bounded_by_the_retention_while_the_database_runs_on() {
    int last = 2;
    int perInterval = 10;
    ChainOptions o = options(new RetentionPolicy(last, 0, 0, 0), Duration.ZERO);
    List<Integer> counts = new ArrayList<>();
    try (ToyEngine leader = engine("leader.db", o)) {
      leader.replicator().startPublishing(1, 1);
      for (int round = 0; round < 12; round++) {
        commits(leader, round * perInterval, (round + 1) * perInterval);
        leader.replicator().snapshot();
        counts.add(storage.listAll(PREFIX).size());
      }
      assertTrue(ChainRestore.verify(storage, PREFIX, DecodeOptions.defaults()).ok());
    }
    HadbException old = assertThrows(HadbException.class, () -> ChainRestore.restore(storage, PREFIX,
        dir.resolve("old.db"), RestorePoint.seq(3), ToyEngine.FORMAT, o, Progress.NONE));
    assertEquals(ErrorCode.NOT_FOUND, old.code());
    assertTrue(old.getMessage().contains("older than what retention keeps"), old.getMessage());
    // Kept: `last` snapshots and the changesets behind the oldest of them; pending collection: one
    // more snapshot and one interval of changesets (grace 0: collected at the next snapshot).
    int bound = (last + 1) + (last + 1) * perInterval;
    System.out.println("objects after each snapshot: " + counts + " (bound " + bound + ")");
    assertTrue(counts.stream().allMatch(c -> c <= bound), counts + " exceed " + bound);
    assertEquals(counts.get(5), counts.get(11), "the count stops growing");
  }

  @Test
  void a_restore_starts_from_the_manifest_downloads_in_parallel_and_reports_progress() {
    Instant middle;
    long s;
    long head;
    try (ToyEngine leader = engine("leader.db", keepAll())) {
      leader.replicator().startPublishing(1, 1);
      commits(leader, 0, 20);
      leader.replicator().snapshot();
      commits(leader, 20, 30);
      s = leader.replicator().snapshot();
      middle = Instant.ofEpochMilli(doc(PREFIX).base().orElseThrow().createdMillis() + 1);
      commits(leader, 30, 70);
      head = leader.replicator().sync();
    }
    AtomicReference<long[]> lastUpdate = new AtomicReference<>();
    CountingStorage counting = new CountingStorage(storage);
    ChainOptions o = keepAll().withDownloadParallelism(4);
    assertEquals(head, ChainRestore.restore(counting, PREFIX, dir.resolve("latest.db"), RestorePoint.latest(),
        ToyEngine.FORMAT, o, (b, bt, n, nt) -> lastUpdate.set(new long[] {b, bt, n, nt})));
    long[] u = lastUpdate.get();
    assertEquals(u[3], u[2], "every object counted is done");
    assertEquals(1 + (head - s), u[2], "one snapshot and the changesets after it");
    assertTrue(u[0] > 0 && u[0] == u[1], "bytes done of total: " + List.of(u[0], u[1]));
    assertTrue(counting.threads.stream().anyMatch(t -> t.startsWith("hadb-restore-download")), "downloads ran in parallel");
    assertEquals(1, counting.gets.stream().filter(k -> k.contains("/snapshots/")).count(),
        "the base comes from the manifest: no snapshot header read to choose it");

    counting.gets.clear();
    long atTime = ChainRestore.restore(counting, PREFIX, dir.resolve("time.db"), RestorePoint.time(middle),
        ToyEngine.FORMAT, o, Progress.NONE);
    assertTrue(atTime >= s && atTime < head, "restored to " + atTime);
    assertEquals(List.of(KEYS.snapshot(s)), counting.gets.stream().filter(k -> k.contains("/snapshots/")).toList(),
        "a restore to a time picks its base from the manifest's times");
  }
}

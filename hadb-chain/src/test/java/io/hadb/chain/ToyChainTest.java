package io.hadb.chain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hadb.api.Durability;
import io.hadb.api.ErrorCode;
import io.hadb.api.HadbException;
import io.hadb.api.StorageBackend;
import io.hadb.api.StorageBackends;
import io.hadb.api.engine.RestorePoint;
import io.hadb.api.engine.VerifyReport;
import io.hadb.chain.toy.ToyEngine;
import io.hadb.changeset.ChainException;
import io.hadb.changeset.Checksum;
import io.hadb.changeset.DecodeOptions;
import io.hadb.changeset.EncodeOptions;
import io.hadb.changeset.PhysicalHeader;
import io.hadb.changeset.PhysicalWriter;
import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The chain with a second engine ({@link ToyEngine}: capture, applier, stamp and nothing else),
 * on a real storage plug-in (a local directory): publishing, following, fencing, the one
 * verifier's stops, the seal, crash repair, rebuilds, restore and verify all come from
 * hadb-chain, so they hold for any engine that implements the seam.
 */
class ToyChainTest {
  static final String PREFIX = "toy/";

  @TempDir Path dir;
  StorageBackend storage;

  @BeforeEach
  void openStore() {
    storage = StorageBackends.open("file://" + dir.resolve("store") + "?fsync=false");
  }

  @AfterEach
  void closeStore() {
    storage.close();
  }

  ToyEngine open(String name, ChainOptions o) {
    return new ToyEngine(dir.resolve(name), storage, PREFIX, o);
  }

  ToyEngine open(String name) {
    return open(name, ChainOptions.defaults());
  }

  static ChainOptions sync() {
    return ChainOptions.defaults().withDurability(Durability.SYNC);
  }

  static String key(long seq) {
    return String.format(PREFIX + "changes/%020d.hadbp", seq);
  }

  /** Commit {@code i} sets page 2 + i % 7 to i, so later commits overwrite earlier ones. */
  static void commits(ToyEngine leader, int from, int to) {
    for (int i = from; i < to; i++) {
      leader.commit(Map.of(2L + i % 7, i));
    }
  }

  @Test
  void a_follower_gets_what_the_leader_committed_async_and_sync() {
    for (ChainOptions o : new ChainOptions[] {ChainOptions.defaults(), sync()}) {
      String name = o.durability().name();
      try (ToyEngine leader = open(name + "-leader.db", o); ToyEngine follower = open(name + "-follower.db", o)) {
        leader.replicator().startPublishing(1, 1);
        commits(leader, 0, 40);
        long seq = leader.replicator().sync();
        assertEquals(seq, follower.replicator().bootstrap());
        assertEquals(leader.content(), follower.content(), name);
        commits(leader, 40, 50);
        assertEquals(leader.replicator().sync(), follower.replicator().pull());
        assertEquals(leader.content(), follower.content(), name);
        HadbException e = assertThrows(HadbException.class, () -> follower.commit(Map.of(2L, 1)));
        assertEquals(ErrorCode.NOT_LEADER, e.code());
      }
      storage.listAll(PREFIX).forEach(storage::delete);
    }
  }

  @Test
  void another_writer_at_our_seq_fences_us() {
    try (ToyEngine leader = open("leader.db", sync())) {
      leader.replicator().startPublishing(1, 1);
      commits(leader, 0, 1);
      long next = leader.replicator().appliedSeq() + 1;
      storage.put(key(next), foreignChangeset(next, 7));
      HadbException e = assertThrows(HadbException.class, () -> commits(leader, 1, 2));
      assertEquals(ErrorCode.UNKNOWN_OUTCOME, e.code(), "committed locally, refused by the chain: " + e.getMessage());
      assertEquals(ErrorCode.FENCED, ((HadbException) e.getCause()).code());
      assertEquals(ErrorCode.FENCED, leader.replicator().failure().orElseThrow().code());
      HadbException again = assertThrows(HadbException.class, () -> commits(leader, 2, 3));
      assertEquals(ErrorCode.FENCED, again.code(), "writes are refused once fenced");
    }
  }

  /** A valid-looking changeset that is not ours (another leader's, at another epoch). */
  static byte[] foreignChangeset(long seq, long epoch) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (PhysicalWriter w = PhysicalWriter.open(out,
        new PhysicalHeader(seq, epoch, 512, 2, 0, 1, Checksum.ZERO), EncodeOptions.plain())) {
      w.finish();
    }
    return out.toByteArray();
  }

  @Test
  void a_bad_object_stops_the_follower_at_the_last_good_seq_naming_its_key() {
    try (ToyEngine leader = open("leader.db", sync())) {
      leader.replicator().startPublishing(1, 1);
      commits(leader, 0, 10);
    }
    byte[] good = storage.get(key(6)).orElseThrow();
    byte[] flipped = good.clone();
    flipped[flipped.length - 40] ^= 0x10;
    Map<String, byte[]> bad = new TreeMap<>(Map.of(
        "CORRUPT", flipped,
        "PREV_CHECKSUM_MISMATCH", foreignChangeset(6, 1)));
    for (Map.Entry<String, byte[]> b : bad.entrySet()) {
      storage.put(key(6), b.getValue());
      try (ToyEngine f = open("f-" + b.getKey() + ".db")) {
        ChainException e = assertThrows(ChainException.class, () -> f.replicator().bootstrap());
        assertEquals(b.getKey(), e.kind().name(), e.getMessage());
        assertTrue(e.getMessage().contains(key(6)), e.getMessage());
        assertEquals(5, f.replicator().appliedSeq());
        assertThrows(ChainException.class, () -> f.replicator().pull(), "stays stopped at the bad object");
      }
    }
    storage.delete(key(6));
    try (ToyEngine f = open("f-gap.db")) {
      ChainException e = assertThrows(ChainException.class, () -> f.replicator().bootstrap());
      assertEquals(ChainException.Kind.GAP, e.kind(), e.getMessage());
      assertTrue(e.getMessage().contains(key(6)), e.getMessage());
      assertEquals(5, f.replicator().appliedSeq());
    }
  }

  @Test
  void a_lower_epoch_after_a_higher_one_is_refused() {
    try (ToyEngine leader = open("leader.db", sync())) {
      leader.replicator().startPublishing(3, 1);
      commits(leader, 0, 3);
    }
    long last = 3;
    try (ToyEngine f = open("f.db")) {
      assertEquals(last, f.replicator().bootstrap());
    }
    // An old leader (epoch 2) that wrote after the chain had epoch 3: linked right, epoch wrong.
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    PhysicalHeader h = PhysicalHeader.seal(io.hadb.changeset.Changesets.verify(storage.get(key(last)).orElseThrow()), 2, 1);
    try (PhysicalWriter w = PhysicalWriter.open(out, h, EncodeOptions.plain())) {
      w.finish();
    }
    storage.put(key(last + 1), out.toByteArray());
    try (ToyEngine f = open("f.db")) {
      ChainException e = assertThrows(ChainException.class, () -> f.replicator().pull());
      assertEquals(ChainException.Kind.EPOCH_BACKWARDS, e.kind(), e.getMessage());
      assertEquals(last, f.replicator().appliedSeq());
    }
  }

  @Test
  void a_seal_continues_the_chain_and_fences_the_old_leader() {
    try (ToyEngine a = open("a.db", sync()); ToyEngine b = open("b.db", sync())) {
      a.replicator().startPublishing(1, 1);
      commits(a, 0, 5);
      long head = a.replicator().sync();
      assertEquals(head, b.replicator().bootstrap());
      assertTrue(b.replicator().seal(2, head + 1));
      assertFalse(b.replicator().seal(3, head + 1), "a taken seq is reported, not overwritten");

      HadbException fenced = assertThrows(HadbException.class, () -> commits(a, 5, 6));
      assertEquals(ErrorCode.FENCED, ((HadbException) fenced.getCause()).code());
      a.replicator().stopPublishing();
      assertEquals(1, a.replicator().droppedCommits());

      assertEquals(head + 1, b.replicator().pull(), "the follower applies past the seal");
      b.replicator().startPublishing(2, head + 2);
      commits(b, 6, 8);
      long end = b.replicator().sync();
      assertEquals(end, a.replicator().pull(), "the demoted leader follows the new chain");
      assertEquals(b.content(), a.content(), "its stale commit is gone");
      b.replicator().stopPublishing();
      HadbException old = assertThrows(HadbException.class, () -> a.replicator().startPublishing(1, end + 1));
      assertEquals(ErrorCode.FENCED, old.code());
    }
  }

  @Test
  void a_crash_mid_apply_is_repaired_when_the_file_opens_again() throws Exception {
    try (ToyEngine leader = open("leader.db", sync())) {
      leader.replicator().startPublishing(1, 1);
      commits(leader, 0, 12);
    }
    Map<Long, Integer> want;
    try (ToyEngine reference = open("reference.db")) {
      reference.replicator().bootstrap();
      want = reference.content();
    }
    try (ToyEngine f = open("f.db")) {
      assertEquals(11, f.replicator().pullTo(11));
    }
    // The apply record of the last changeset (commit 11: page 6), and that page written as
    // garbage, as a crash in the middle of the apply leaves it.
    byte[] last = storage.get(key(12)).orElseThrow();
    Files.write(dir.resolve("f.db-hadb.apply"), java.nio.ByteBuffer.allocate(8 + last.length)
        .putLong(last.length).put(last).array());
    byte[] file = Files.readAllBytes(dir.resolve("f.db"));
    java.util.Arrays.fill(file, 5 * 512, 6 * 512, (byte) 0x55);
    Files.write(dir.resolve("f.db"), file);
    try (ToyEngine f = open("f.db")) {
      assertEquals(12, f.replicator().appliedSeq());
      assertEquals(want, f.content(), "the staged batch was applied again");
      assertFalse(Files.exists(dir.resolve("f.db-hadb.apply")));
    }
  }

  @Test
  void a_file_written_outside_the_library_is_reported_then_rebuilt() {
    try (ToyEngine leader = open("leader.db", sync()); ToyEngine f = open("f.db")) {
      leader.replicator().startPublishing(1, 1);
      commits(leader, 0, 5);
      f.replicator().bootstrap();
      f.writeOutside();
      HadbException e = assertThrows(HadbException.class, () -> f.replicator().pull());
      assertEquals(ErrorCode.CORRUPT, e.code());
      assertTrue(e.getMessage().contains("changed outside the library"), e.getMessage());
      commits(leader, 5, 6);
      assertEquals(leader.replicator().appliedSeq(), f.replicator().pull(), "the next pull rebuilds it");
      assertEquals(leader.content(), f.content());
    }
  }

  @Test
  void restore_gives_the_state_at_the_latest_a_seq_or_a_time_and_verify_names_the_first_bad_object()
      throws Exception {
    Map<Long, Integer> atFive;
    Instant afterFive;
    Map<Long, Integer> atEnd;
    try (ToyEngine leader = open("leader.db", sync())) {
      leader.replicator().startPublishing(1, 1);
      commits(leader, 0, 5);
      atFive = leader.content();
      Thread.sleep(5);
      afterFive = Instant.now();
      Thread.sleep(5);
      leader.replicator().snapshot();
      commits(leader, 5, 9);
      atEnd = leader.content();
    }
    ChainOptions o = ChainOptions.defaults();
    long latest = ChainRestore.restore(storage, PREFIX, dir.resolve("latest.db"), RestorePoint.latest(),
        ToyEngine.FORMAT, o, io.hadb.api.engine.Progress.NONE);
    assertEquals(9, latest);
    assertEquals(5, ChainRestore.restore(storage, PREFIX, dir.resolve("seq.db"), RestorePoint.seq(5),
        ToyEngine.FORMAT, o, io.hadb.api.engine.Progress.NONE));
    assertEquals(5, ChainRestore.restore(storage, PREFIX, dir.resolve("time.db"), RestorePoint.time(afterFive),
        ToyEngine.FORMAT, o, io.hadb.api.engine.Progress.NONE));
    try (ToyEngine a = open("latest.db"); ToyEngine b = open("seq.db"); ToyEngine c = open("time.db")) {
      assertEquals(atEnd, a.content());
      assertEquals(atFive, b.content());
      assertEquals(atFive, c.content());
      assertEquals(9, a.replicator().pull(), "a restored file carries its chain position");
    }

    VerifyReport good = ChainRestore.verify(storage, PREFIX, DecodeOptions.defaults());
    assertTrue(good.ok(), good.toString());
    assertEquals(9, good.lastSeq());
    assertEquals(1, good.snapshots());
    byte[] b = storage.get(key(7)).orElseThrow();
    b[b.length / 2] ^= 1;
    storage.put(key(7), b);
    VerifyReport bad = ChainRestore.verify(storage, PREFIX, DecodeOptions.defaults());
    assertEquals(java.util.Optional.of(key(7)), bad.firstBadKey(), bad.toString());
    assertEquals(6, bad.lastSeq());
  }

  @Test
  void a_follower_behind_retention_goes_on_from_the_latest_snapshot() {
    ChainOptions keepOne = sync().withSnapshots(new io.hadb.api.engine.SnapshotPolicy(0, 0, java.time.Duration.ZERO,
        new io.hadb.api.engine.RetentionPolicy(1, 0, 0, 0)));
    try (ToyEngine leader = open("leader.db", keepOne); ToyEngine f = open("f.db")) {
      leader.replicator().startPublishing(1, 1);
      commits(leader, 0, 3);
      f.replicator().bootstrap();
      commits(leader, 3, 8);
      leader.replicator().snapshot();
      long snap = leader.replicator().snapshot();
      assertEquals(java.util.List.of(snap), leader.replicator().snapshotSeqs(), "retention kept the newest only");
      assertFalse(storage.get(key(4)).isPresent(), "changesets before the kept snapshot are gone");
      commits(leader, 8, 10);
      assertEquals(leader.replicator().sync(), f.replicator().pull());
      assertEquals(leader.content(), f.content());
    }
  }
  /**
   * A follower starts (local seq 3), finds no snapshot ahead of it, and while it downloads its
   * tail the leader snapshots and retention deletes that tail: the start goes on from the new
   * snapshot, as a running follower's pull does, instead of failing with a gap.
   */
  @Test
  void a_follower_whose_tail_is_collected_while_it_starts_goes_on_from_the_snapshot() throws Exception {
    ChainOptions keepOne = sync().withSnapshots(new io.hadb.api.engine.SnapshotPolicy(0, 0, java.time.Duration.ZERO,
        new io.hadb.api.engine.RetentionPolicy(1, 0, 0, 0)));
    try (ToyEngine leader = open("leader.db", keepOne)) {
      leader.replicator().startPublishing(1, 1);
      commits(leader, 0, 3);
      try (ToyEngine f = open("f.db")) {
        assertEquals(3, f.replicator().bootstrap());
      }
      commits(leader, 3, 8);
      java.util.concurrent.atomic.AtomicBoolean first = new java.util.concurrent.atomic.AtomicBoolean();
      java.util.concurrent.CountDownLatch collected = new java.util.concurrent.CountDownLatch(1);
      CountingStorage collecting = new CountingStorage(storage) {
        @Override
        public java.util.Optional<java.io.InputStream> getStream(String key) {
          if (key.startsWith(PREFIX + "changes/") && Thread.currentThread().getName().startsWith("hadb-bootstrap")) {
            if (first.compareAndSet(false, true)) {
              leader.replicator().snapshot();
              leader.replicator().snapshot();
              commits(leader, 8, 10);
              collected.countDown();
            }
            try {
              collected.await();
            } catch (InterruptedException e) {
              throw new IllegalStateException(e);
            }
          }
          return super.getStream(key);
        }
      };
      try (ToyEngine f = new ToyEngine(dir.resolve("f.db"), collecting, PREFIX, ChainOptions.defaults())) {
        long started = f.replicator().bootstrap();
        assertEquals(leader.replicator().sync(), started, "the start reached the head, past the collected tail");
        assertTrue(first.get(), "the tail was collected during the start");
        assertFalse(storage.get(key(4)).isPresent(), "retention deleted the follower's next changeset");
        assertEquals(leader.content(), f.content());
      }
    }
  }
}

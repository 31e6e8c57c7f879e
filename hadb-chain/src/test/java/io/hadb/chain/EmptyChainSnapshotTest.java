package io.hadb.chain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hadb.api.Durability;
import io.hadb.api.ErrorCode;
import io.hadb.api.HadbException;
import io.hadb.api.StorageBackend;
import io.hadb.api.StorageBackends;
import io.hadb.chain.toy.ToyEngine;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A snapshot asked for before the first commit (a new database) is refused with an error that
 * names the database and its chain and says what to do, stores nothing, and leaves the leader
 * working: the next commit ships and the next snapshot is taken.
 */
class EmptyChainSnapshotTest {
  @TempDir Path dir;

  @Test
  void a_snapshot_of_an_empty_chain_says_so_and_the_leader_goes_on() {
    try (StorageBackend storage = StorageBackends.open("file://" + dir.resolve("store") + "?fsync=false");
        ToyEngine leader = new ToyEngine(dir.resolve("new.db"), storage, "apps/new/",
            ChainOptions.defaults().withDurability(Durability.SYNC))) {
      leader.replicator().startPublishing(1, 1);

      HadbException e = assertThrows(HadbException.class, () -> leader.replicator().snapshot());
      assertEquals(ErrorCode.INVALID_ARGUMENT, e.code(), e.toString());
      String m = e.getMessage();
      assertTrue(m.contains(dir.resolve("new.db").toString()) && m.contains("apps/new/"),
          "names the database and its chain: " + m);
      assertTrue(m.contains("empty") && m.contains("commit a first write"), "says why and what to do: " + m);
      assertEquals(List.of(), storage.listAll("apps/new/"), "nothing stored");

      leader.commit(Map.of(1L, 7));
      long seq = leader.replicator().snapshot();
      assertEquals(1, seq, "the first commit is seq 1, and the snapshot holds it");
      assertEquals(List.of(1L), leader.replicator().snapshotSeqs());
    }
  }
}

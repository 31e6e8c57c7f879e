package io.hadb.coordinator.fault;

import static io.hadb.coordinator.fault.BankCluster.BOUND;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hadb.api.Durability;
import io.hadb.api.StorageBackend;
import io.hadb.api.StorageBackends;
import io.hadb.api.engine.EngineOptions;
import io.hadb.api.engine.EngineProvider;
import io.hadb.api.engine.Engines;
import io.hadb.api.engine.Progress;
import io.hadb.api.engine.RestorePoint;
import io.hadb.api.engine.VerifyReport;
import io.hadb.api.manifest.ManifestStore;
import io.hadb.api.manifest.ManifestStores;
import io.hadb.chain.ChainManifest;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A database's life through faults (DESIGN §10), on three bank node JVMs (SYNC, ttl 1 s, the
 * {@code file:} lease store, the chain on storage-local through {@link PausingStorageProvider}):
 * the leader snapshots every 10 changesets, keeps the last 2 snapshots, collects with no grace.
 * The leader is killed with {@code kill -9} while it uploads a snapshot, and a later leader while
 * its collection deletes. The next leader goes on each time, no acknowledged transfer is lost,
 * the copies agree, and afterwards the manifest's every kept snapshot restores and the retained
 * chain verifies (every retained snapshot and changeset read in full).
 */
@Tag("fault")
@Timeout(180)
class LifecycleFaultTest {
  @TempDir Path dir;

  @Test
  void killsDuringASnapshotUploadAndDuringCollectionLoseNothingAndBreakNoRestorePoint() throws Exception {
    String db = "life-" + System.nanoTime();
    String lease = "file://" + dir.resolve("leases").toAbsolutePath() + "?fsync=false";
    Path chainDir = dir.resolve("chain").toAbsolutePath();
    List<String> killed = new ArrayList<>();
    try (BankCluster c = new BankCluster(lease, "pausing://" + chainDir + "?fsync=false", dir, db, Durability.SYNC,
        "-D" + BankNode.SNAPSHOT_EVERY + "=10", "-D" + BankNode.RETAIN_LAST + "=2", "-D" + BankNode.GC_GRACE_MS + "=0")) {
      BankScenario.startAll(c);
      killed.add(killDuring(c, "UPLOAD"));
      killed.add(killDuring(c, "DELETE"));
      c.awaitAcksAfter(System.nanoTime(), 20);
      BankLedger.Copy copy = BankScenario.stopAndCheckCopies(c);
      List<BankLedger.Ack> acks = c.acks();
      BankLedger.assertNoneLost(BankLedger.lost(acks, copy), acks.size());
      System.out.println("lifecycle fault: killed " + killed + ", acked=" + acks.size() + " recorded="
          + copy.transfers().size());
    }
    try (StorageBackend storage = StorageBackends.open("file://" + chainDir + "?fsync=false");
        ManifestStore manifests = ManifestStores.open(lease)) {
      EngineProvider sqlite = Engines.find("sqlite");
      EngineOptions o = EngineOptions.defaults().withManifests(manifests);
      VerifyReport v = sqlite.verify(storage, db + "/", o);
      assertTrue(v.ok(), "the retained chain verifies: " + v);
      ChainManifest m = ChainManifest.decode(db, manifests.read(db).orElseThrow().document());
      assertFalse(m.snapshots().isEmpty(), "the manifest names kept snapshots");
      for (ChainManifest.Snapshot s : m.snapshots()) {
        assertEquals(s.seq(), sqlite.restore(storage, db + "/", dir.resolve("at-" + s.seq() + ".db"),
            RestorePoint.seq(s.seq()), o, Progress.NONE), "kept restore point " + s.seq());
      }
      assertEquals(v.lastSeq(), sqlite.restore(storage, db + "/", dir.resolve("latest.db"), RestorePoint.latest(), o,
          Progress.NONE));
      System.out.println("lifecycle fault: kept snapshots " + m.snapshots().stream().map(ChainManifest.Snapshot::seq)
          .toList() + ", changes from " + m.changesFrom() + ", verified " + v);
    }
  }

  /**
   * Waits until the leader announces {@code event} (it then pauses before the upload or delete),
   * kills it with {@code kill -9}, waits for the next leader and its first acknowledgements, and
   * restarts the killed node. Returns the killed node's id.
   */
  private static String killDuring(BankCluster c, String event) throws Exception {
    NodeProcess.Event leader = c.awaitLeader(0);
    NodeProcess n = c.current.get(leader.node());
    long from = System.nanoTime();
    n.await(event, e -> e.at() - from > 0, BOUND.multipliedBy(2));
    n.kill9();
    NodeProcess.Event next = c.awaitLeader(leader.num("epoch"));
    c.awaitAcksAfter(next.at(), 5);
    c.start(leader.node()).await("READY", BOUND);
    return leader.node() + " during " + event;
  }
}

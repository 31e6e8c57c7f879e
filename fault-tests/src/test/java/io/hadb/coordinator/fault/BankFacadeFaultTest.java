package io.hadb.coordinator.fault;

import io.hadb.api.Durability;
import io.hadb.testservers.NatsServer;
import io.hadb.testservers.S3ProxyServer;
import java.nio.file.Path;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * DESIGN §7 fault scenarios through the {@code HaDatabase} facade on the real servers: fault test f with the
 * chain on S3Proxy (storage-s3) and the lease on nats-server, and scenarios b (leader SIGSTOPped
 * 2 × ttl) and e (nats-server paused 2 × ttl) with bank clients on every node, SYNC, ttl 1 s.
 * A missing server fails the tests (never skips).
 */
@Tag("fault")
@Timeout(120)
class BankFacadeFaultTest {
  /**
   * Between two transfers of one client on S3: a restarted node replays the whole chain one GET per
   * changeset (at the default 20 ms, 2167 transfers and restarts of 15 and 27 s).
   */
  static final long S3_PAUSE_MS = 250;

  @TempDir Path dir;

  private static String s3Chain(String db) {
    return S3ProxyServer.shared().uri("hadb-bank", db, "filesystemCompat=true");
  }

  private static String natsLease(NatsServer server) {
    return server.leaseUri("bank", NatsElectionFaultTest.TIMEOUTS);
  }

  @Test
  void f_syncTransfersSurviveRepeatedKillsOfTheLeaderWithTheChainOnS3() throws Exception {
    String db = "s3sync-" + System.nanoTime();
    try (BankCluster c = new BankCluster(natsLease(NatsServer.shared()), s3Chain(db), dir, db, Durability.SYNC,
        "-D" + BankNode.PAUSE_PROPERTY + "=" + S3_PAUSE_MS)) {
      BankScenario.Result r = BankScenario.run(c, 2);
      BankLedger.assertNoneLost(r.lost(), r.acked());
      System.out.println("fault f SYNC (nats + s3): " + r.summary());
    }
  }

  @Test
  void b_aStoppedLeaderDemotesAndRejoinsAndNoAcknowledgedTransferIsLost() throws Exception {
    String db = "stop-" + System.nanoTime();
    try (BankCluster c = new BankCluster(natsLease(NatsServer.shared()), dir, db, Durability.SYNC)) {
      System.out.println("fault b facade (nats): " + BankPauseScenarios.stopTheLeader(c));
    }
  }

  @Test
  void e_aPausedLeaseServerFencesTheLeaderThenExactlyOneLeadsAndWritesContinue() throws Exception {
    String db = "pause-" + System.nanoTime();
    try (NatsServer server = NatsServer.start();
        BankCluster c = new BankCluster(natsLease(server), dir, db, Durability.SYNC)) {
      System.out.println("fault e facade (nats): " + BankPauseScenarios.pauseTheLeaseServer(c, server::pause,
          server::resume));
    }
  }
}

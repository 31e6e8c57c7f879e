package io.hadb.coordinator.fault;

import io.hadb.api.Durability;
import io.hadb.testservers.NatsServer;
import io.hadb.testservers.S3ProxyServer;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The kill -9 failovers of {@link BankFacadeFaultTest} (f) and {@link FailoverFaultTest} with the
 * bank on engine-duckdb: three node processes, lease on nats-server, chain on S3Proxy, SYNC. No
 * acknowledged transfer may be lost and the copies must end identical, exactly as with SQLite.
 */
@Tag("fault")
@Timeout(600)
class DuckdbFaultTest {
  private static final String DUCKDB = "-D" + BankNode.ENGINE + "=duckdb";

  @TempDir Path dir;

  @Test
  void f_syncTransfersSurviveRepeatedKillsOfTheLeader() throws Exception {
    String db = "duck-sync-" + System.nanoTime();
    try (BankCluster c = new BankCluster(NatsServer.shared().leaseUri("bank", NatsElectionFaultTest.TIMEOUTS),
        S3ProxyServer.shared().uri("hadb-bank", db, "filesystemCompat=true"), dir, db, Durability.SYNC, DUCKDB,
        "-D" + BankNode.PAUSE_PROPERTY + "=" + BankFacadeFaultTest.S3_PAUSE_MS)) {
      BankScenario.Result r = BankScenario.run(c, 2);
      BankLedger.assertNoneLost(r.lost(), r.acked());
      System.out.println("fault f SYNC duckdb (nats + s3): " + r.summary());
    }
  }

  @Test
  void writesRideOutTheLeadersKillAndFreezeAtATtlOfOneSecond() throws Exception {
    Duration ttl = Duration.ofSeconds(1);
    String db = "duck-failover-" + System.nanoTime();
    String timeouts = "requestTimeout=500ms&resolveTimeout=500ms";
    try (BankCluster c = new BankCluster(ttl, FailoverFaultTest.CLIENTS, NatsServer.shared().leaseUri("failover", timeouts),
        S3ProxyServer.shared().uri("hadb-failover", db, "filesystemCompat=true"), dir, db, Durability.SYNC,
        "-D" + BankNode.STRICT_CLIENTS + "=true", "-D" + BankNode.PAUSE_PROPERTY + "=" + FailoverFaultTest.PAUSE_MS,
        "-D" + BankNode.SNAPSHOT_EVERY + "=200", DUCKDB)) {
      System.out.println(FailoverScenario.run(c, ttl.toMillis()).line() + " engine=duckdb");
    }
  }
}

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
 * The kill -9 failovers of {@link BankFacadeFaultTest} (f) with the bank on engine-duckdb: three
 * node processes, lease on nats-server, chain on S3Proxy, SYNC, each killed leader restarted and
 * rejoining. No acknowledged transfer may be lost and the copies must end identical, exactly as
 * with SQLite. {@link FailoverFaultTest} runs on DuckDB too with
 * {@code -Dhadb.fault.failoverEngines=sqlite,duckdb}.
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
}

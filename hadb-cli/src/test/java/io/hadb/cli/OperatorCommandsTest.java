package io.hadb.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hadb.api.Durability;
import io.hadb.api.StorageBackend;
import io.hadb.api.StorageBackends;
import io.hadb.api.engine.SnapshotPolicy;
import io.hadb.cli.http.ApiLimits;
import io.hadb.cli.http.ApiServer;
import io.hadb.cli.http.ServedDatabase;
import io.hadb.coordinator.HaDatabase;
import io.hadb.coordinator.Role;
import io.hadb.coordinator.lease.LeaseTimings;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The operator commands that need a running leader, against two nodes in this JVM (a leader and
 * a follower on a {@code file:} lease and chain, each with the HTTP API): {@code hadb snapshot}
 * through the admin endpoint, {@code hadb prune} deleting beside the running leader only after
 * the grace period, {@code hadb restore --parallelism} from the manifest, and bounded-freshness
 * reads.
 */
class OperatorCommandsTest {
  @TempDir
  Path dir;

  private HaDatabase leader;
  private HaDatabase follower;
  private ApiServer leaderApi;
  private ApiServer followerApi;
  private String lease;
  private String chain;

  @BeforeEach
  void start() throws Exception {
    lease = dir.resolve("lease").toUri().toString();
    chain = dir.resolve("chain").toUri().toString();
    leader = node("n1", "n1.db");
    leader.awaitReady(Duration.ofSeconds(20));
    follower = node("n2", "n2.db");
    follower.awaitReady(Duration.ofSeconds(20));
    assertEquals(Role.LEADER, leader.role());
    leaderApi = api(leader);
    followerApi = api(follower);
  }

  private HaDatabase node(String id, String file) {
    return HaDatabase.builder().lease(lease).storage(chain).database("app").nodeId(id)
        .secret("forwarding-secret-0123456789").durability(Durability.SYNC)
        .timings(LeaseTimings.ofTtl(Duration.ofSeconds(2))).snapshots(SnapshotPolicy.manual()).closeOnShutdown(false)
        .open(dir.resolve(file), "CREATE TABLE t(v INTEGER);");
  }

  private static ApiServer api(HaDatabase db) throws Exception {
    return ApiServer.start(new InetSocketAddress("127.0.0.1", 0), Optional.empty(), List.of(new ServedDatabase("app", db)),
        new ApiLimits(1 << 16, 100, 2, Optional.empty()), "n", "test");
  }

  private static String url(ApiServer api) {
    return "http://127.0.0.1:" + api.address().getPort();
  }

  @AfterEach
  void stop() {
    for (AutoCloseable c : new AutoCloseable[] {followerApi, leaderApi, follower, leader}) {
      try {
        if (c != null) {
          c.close();
        }
      } catch (Exception e) {
        // the next one still closes
      }
    }
  }

  private static HadbRun hadb(String... args) {
    return HadbRun.of(args);
  }

  private void write(int from, int to) {
    for (int i = from; i < to; i++) {
      leader.execute("INSERT INTO t VALUES(?)", i);
    }
  }

  private boolean stored(String key) {
    try (StorageBackend s = StorageBackends.open(chain)) {
      return s.listAll(key).contains(key);
    }
  }

  @Test
  void snapshotThroughTheLeaderThenPruneDeletesOnlyAfterTheGracePeriod() throws Exception {
    write(0, 5);
    Curl.Reply onFollower = Curl.run("-X", "POST", url(followerApi) + "/admin/snapshot");
    assertEquals(503, onFollower.status(), onFollower::toString);
    assertTrue(onFollower.body().contains("\"code\":\"NOT_LEADER\""), onFollower::toString);

    // hadb snapshot asks the follower first, then the leader
    HadbRun first = hadb("snapshot", "--url", url(followerApi) + "," + url(leaderApi), "--db", "app");
    assertEquals(0, first.exit(), first.out());
    assertTrue(first.out().startsWith("snapshot of database app at seq "), first.out());
    long s1 = Long.parseLong(first.out().replaceAll("(?s).* at seq (\\d+),.*", "$1"));
    write(5, 10);
    long s2 = leader.snapshot();
    write(10, 15);
    long s3 = leader.snapshot();
    assertTrue(s1 < s2 && s2 < s3, s1 + " " + s2 + " " + s3);
    String snap1 = String.format("app/snapshots/%020d.snap", s1);
    assertTrue(stored(snap1), () -> "no " + snap1 + " in " + dir.resolve("chain"));

    String[] prune = {"prune", "--storage", chain, "--lease", lease, "--db", "app", "--keep-last", "1"};
    HadbRun noLease = hadb("prune", "--storage", chain, "--db", "app", "--keep-last", "1");
    assertEquals(2, noLease.exit(), "prune without --lease must refuse: " + noLease.out());

    HadbRun retire = hadb(concat(prune, "--grace", "1h"));
    assertEquals(0, retire.exit(), retire.out());
    assertTrue(retire.out().contains("retired snapshots [" + s1 + ", " + s2 + "] and changesets through seq " + s3),
        retire.out());
    HadbRun again = hadb(concat(prune, "--grace", "1h"));
    assertEquals(0, again.exit(), again.out());
    assertTrue(stored(snap1), "within the grace period nothing is deleted: " + again.out());
    assertTrue(stored(String.format("app/changes/%020d.hadbp", 1)),
        "changeset 1 still stored within the grace period");

    write(15, 20); // the leader goes on beside the prune
    HadbRun collect = hadb(concat(prune, "--grace", "0s"));
    assertEquals(0, collect.exit(), collect.out());
    assertTrue(collect.out().contains("deleted what was retired at"), collect.out());
    assertFalse(stored(snap1), "past the grace period the retired snapshot is deleted: " + collect.out());
    assertFalse(stored(String.format("app/snapshots/%020d.snap", s2)), collect.out());
    assertTrue(stored(String.format("app/snapshots/%020d.snap", s3)), collect.out());

    HadbRun list = hadb("list", "--storage", chain, "--lease", lease);
    assertTrue(list.out().contains("changesets kept from seq " + (s3 + 1)), list.out());

    write(20, 25);
    Path restored = dir.resolve("restored.db");
    HadbRun restore = hadb("restore", "--storage", chain, "--lease", lease, "--db", "app", "--to", restored.toString(),
        "--parallelism", "8");
    assertEquals(0, restore.exit(), restore.out());
    try (HaDatabase copy = HaDatabase.local(restored, "")) {
      assertEquals(leader.query("SELECT count(*), sum(v) FROM t").rows(), copy.query("SELECT count(*), sum(v) FROM t").rows());
    }
    assertEquals(2, hadb("restore", "--storage", chain, "--db", "app", "--to", dir.resolve("x.db").toString(),
        "--parallelism", "0").exit());
  }

  @Test
  void aStalerCopyThanAskedRefusesOrReadsOnTheLeader() throws Exception {
    write(0, 3);
    String q = "/db/query?level=local&q=SELECT+count(*)+FROM+t";
    Curl.Reply fresh = Curl.run(url(followerApi) + q + "&freshness=10s&seq=" + leader.appliedSeq());
    assertEquals(200, fresh.status(), fresh::toString);
    Curl.Reply stale = Curl.run(url(followerApi) + q + "&freshness=0s");
    assertEquals(503, stale.status(), "a follower is never fresher than 0 s: " + stale);
    assertTrue(stale.body().contains("stale: this node's copy was last known to hold the whole chain"), stale::toString);
    assertTrue(stale.body().contains("\"retry\":\"this node's copy is staler than asked"), stale::toString);
    Curl.Reply onLeader = Curl.run(url(followerApi) + q + "&freshness=0s&stale=leader");
    assertEquals(200, onLeader.status(), onLeader::toString);
    assertTrue(onLeader.body().contains("\"values\":[[3]]"), onLeader::toString);
    Curl.Reply leaderItself = Curl.run(url(leaderApi) + q + "&freshness=0s");
    assertEquals(200, leaderItself.status(), "the leader is the chain's head: " + leaderItself);
    Curl.Reply status = Curl.run(url(followerApi) + "/status");
    assertTrue(status.body().matches("(?s).*\"stale_ms\":\\d+.*"), status::toString);
  }

  private static String[] concat(String[] a, String... b) {
    String[] out = java.util.Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }
}

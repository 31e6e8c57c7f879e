package io.hadb.coordinator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hadb.api.Durability;
import io.hadb.api.engine.SqlValue;
import io.hadb.coordinator.bench.Counted;
import io.hadb.coordinator.lease.LeaseTimings;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Push between two nodes in one JVM (DESIGN §9.2): the follower node subscribes to the leading
 * node over its port, and while the link holds, changesets reach the follower's copies with no
 * storage request of the follower (its storage is a counting store around the leader's
 * directory). Without push the follower polls storage every poll interval, so a count of zero
 * fails whenever the rows came any other way.
 */
class PushLinkTest {
  private static final String SCHEMA = "CREATE TABLE t(id INTEGER PRIMARY KEY, v TEXT NOT NULL);";
  private static final String SECRET = "a-shared-secret-of-32-characters";
  private static final int DATABASES = 3;
  private static final Duration WAIT = Duration.ofSeconds(30);

  @TempDir Path dir;
  private final List<HaNode> nodes = new ArrayList<>();

  @AfterEach
  void closeAll() {
    nodes.forEach(HaNode::close);
  }

  private HaNode node(String id, String storageScheme) {
    HaNode n = HaDatabase.builder()
        .nodeId(id)
        .secret(SECRET)
        .lease("file://" + dir.resolve("leases").toAbsolutePath() + "?fsync=false")
        .storage(storageScheme + "://" + dir.resolve("chain").toAbsolutePath() + "?fsync=false")
        .timings(LeaseTimings.ofTtl(Duration.ofSeconds(2)))
        .durability(Durability.SYNC)
        .closeOnShutdown(false)
        .environment(Map.of())
        .openNode();
    nodes.add(n);
    return n;
  }

  @Test
  void changesetsArriveOverTheLinkWithoutStorageRequests() throws Exception {
    HaNode a = node("a", "file");
    List<HaDatabase> led = openAll(a, "a");
    HaNode b = node("b", "counting+file");
    List<HaDatabase> following = openAll(b, "b");
    for (HaDatabase db : following) {
      assertEquals(Role.FOLLOWER, db.role());
    }
    await(() -> a.pushState().endsWith("subscriptions=" + DATABASES), () -> "a: " + a.pushState());
    Thread.sleep(1000); // the storage read each database makes once its subscription holds

    Map<String, Long> before = Counted.snapshot();
    writeAndAwait(led, following, 0, 10);
    Map<String, Long> spent = Counted.minus(Counted.snapshot(), before);
    assertEquals(0, Counted.total(spent, "storage"), "the follower node read storage while linked: " + spent);
    assertTrue(b.pushState().startsWith("links=1 "), "one link for all databases: " + b.pushState());
  }

  /**
   * The link breaks (the leading node stops serving it): the followers read storage and catch up;
   * once the link is back they stop reading storage again. Both counted by the follower node's
   * counting store.
   */
  @Test
  void aBrokenLinkFallsBackToStorageAndTheReturnedLinkStopsItAgain() throws Exception {
    HaNode a = node("a", "file");
    List<HaDatabase> led = openAll(a, "a");
    HaNode b = node("b", "counting+file");
    List<HaDatabase> following = openAll(b, "b");
    await(() -> a.pushState().endsWith("subscriptions=" + DATABASES), () -> "a: " + a.pushState());

    a.pushing(false);
    await(() -> b.pushState().startsWith("links=0 "), () -> "b: " + b.pushState());
    Map<String, Long> beforeBreak = Counted.snapshot();
    int rows = writeAndAwait(led, following, 0, 5);
    Map<String, Long> broken = Counted.minus(Counted.snapshot(), beforeBreak);
    assertTrue(Counted.total(broken, "storage") > 0, "without the link the rows came from storage: " + broken);

    a.pushing(true);
    await(() -> a.pushState().endsWith("subscriptions=" + DATABASES) && b.pushState().startsWith("links=1 "),
        () -> "a: " + a.pushState() + ", b: " + b.pushState());
    rows = writeAndAwait(led, following, rows, 5);
    Thread.sleep(1000); // the storage read each database makes once its subscription holds again
    Map<String, Long> beforeBack = Counted.snapshot();
    writeAndAwait(led, following, rows, 10);
    Map<String, Long> back = Counted.minus(Counted.snapshot(), beforeBack);
    assertEquals(0, Counted.total(back, "storage"), "with the link back the follower node read storage: " + back);
  }

  /** Opens db0..db{DATABASES-1} on {@code node} (files named after {@code prefix}), each ready. */
  private List<HaDatabase> openAll(HaNode node, String prefix) {
    List<HaDatabase> dbs = new ArrayList<>();
    for (int i = 0; i < DATABASES; i++) {
      dbs.add(node.open("db" + i, dir.resolve(prefix + "-" + i + ".db"), SCHEMA));
    }
    for (HaDatabase db : dbs) {
      db.awaitReady(WAIT);
    }
    return dbs;
  }

  /** Writes {@code n} rows to each leader and waits until each follower holds all; returns the total. */
  private static int writeAndAwait(List<HaDatabase> led, List<HaDatabase> following, int had, int n)
      throws InterruptedException {
    for (int r = had; r < had + n; r++) {
      for (HaDatabase db : led) {
        db.execute("INSERT INTO t(v) VALUES (?)", "row " + r);
      }
    }
    int total = had + n;
    for (HaDatabase f : following) {
      await(() -> count(f) == total, () -> f + " holds " + count(f) + " of " + total + " rows");
    }
    return total;
  }

  private static long count(HaDatabase db) {
    return ((SqlValue.Int) db.query(ReadConsistency.LOCAL, "SELECT count(*) FROM t").rows().get(0).get(0)).value();
  }

  private static void await(BooleanSupplier done, java.util.function.Supplier<String> what) throws InterruptedException {
    long end = System.nanoTime() + WAIT.toNanos();
    while (!done.getAsBoolean()) {
      if (System.nanoTime() > end) {
        throw new AssertionError("not within " + WAIT.toSeconds() + " s: " + what.get());
      }
      Thread.sleep(20);
    }
  }
}

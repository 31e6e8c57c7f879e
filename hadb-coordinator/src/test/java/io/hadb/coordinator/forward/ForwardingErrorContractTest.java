package io.hadb.coordinator.forward;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hadb.api.ErrorCode;
import io.hadb.api.HadbException;
import io.hadb.api.engine.SqlStatement;
import io.hadb.coordinator.metrics.CoordinatorMetrics;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The error contract of DESIGN §6.4 on random fault schedules, through the real client and
 * servers over HTTP ({@link ModelCluster}): every outcome of a write is checked against how many
 * times its request id reached the chain.
 *
 * <ul>
 *   <li>answered: exactly once, with the results of that application;
 *   <li>a definite error (anything but UNKNOWN_OUTCOME): never, not even after frozen leaders wake;
 *   <li>UNKNOWN_OUTCOME: the same id, retried once the cluster is at peace, succeeds and is in the
 *       chain exactly once.
 * </ul>
 *
 * <p>{@code -Dhadb.forward.schedules=N} runs more schedules (default 60), {@code
 * -Dhadb.forward.seed=S} replays one; a failure prints the seed and what happened.
 */
class ForwardingErrorContractTest {
  static final int SCHEDULES = Integer.getInteger("hadb.forward.schedules", 60);
  static final ForwardingOptions OPTIONS = new ForwardingOptions(Integer.MAX_VALUE, Duration.ofMillis(1),
      Duration.ofMillis(10), Duration.ofMillis(200), Duration.ofMillis(100), Duration.ofMillis(150));

  /** What one schedule showed: null when the contract held, else the violation. */
  record Outcome(String summary, String violation) {}

  static Outcome run(long seed, boolean brokenEngine) throws Exception {
    try (ModelCluster cluster = new ModelCluster(seed, brokenEngine)) {
      ForwardingClient client = new ForwardingClient(ModelCluster.DB, cluster.locator(), ForwardNode.SECRET, OPTIONS,
          new CoordinatorMetrics());
      String id = "req-" + seed;
      List<SqlStatement> write = List.of(SqlStatement.of("INSERT INTO t(v) VALUES ('x')"));
      ForwardedWrite answer = null;
      HadbException error = null;
      try {
        answer = client.executeBatch(id, write);
      } catch (HadbException e) {
        error = e;
      }
      cluster.thawAndWait();
      int applied = cluster.chainApplies(id);
      String summary = (answer != null ? "answered" + (answer.replayed() ? " (replayed)" : "") : error.code().name())
          + ", in the chain " + applied + " time(s)";
      String violation = null;
      if (answer != null) {
        if (applied != 1) {
          violation = "answered, but in the chain " + applied + " time(s)";
        } else if (!answer.results().equals(cluster.inChain(id).orElseThrow())) {
          violation = "answered " + answer.results() + " where the chain recorded " + cluster.inChain(id).get();
        }
      } else if (error.code() != ErrorCode.UNKNOWN_OUTCOME) {
        if (applied != 0) {
          violation = "a definite " + error.code() + " for a write the chain holds " + applied + " time(s): "
              + error.getMessage();
        }
      } else {
        cluster.heal();
        // A patient client: on a loaded machine an answer can take longer than the schedule's 250 ms.
        ForwardedWrite retry = new ForwardingClient(ModelCluster.DB, cluster.locator(), ForwardNode.SECRET, ForwardingOptions.defaults(),
            new CoordinatorMetrics()).executeBatch(id, write);
        int after = cluster.chainApplies(id);
        summary += "; the retry " + (retry.replayed() ? "was replayed" : "applied") + ", in the chain " + after;
        if (after != 1) {
          violation = "UNKNOWN_OUTCOME retried with its id is in the chain " + after + " time(s)";
        }
      }
      if (violation != null) {
        return new Outcome(summary, "seed " + seed + ": " + violation + "\n  " + String.join("\n  ", cluster.log())
            + (error == null ? "" : "\n  client: " + error.getMessage()));
      }
      return new Outcome(summary, null);
    }
  }

  @Test
  void everyOutcomeOfAWriteUnderRandomFaultsTellsTheTruthAboutWhetherItApplied() throws Exception {
    Long only = Long.getLong("hadb.forward.seed");
    long base = new Random().nextLong();
    java.util.Map<String, Integer> seen = new java.util.TreeMap<>();
    for (int i = 0; i < (only != null ? 1 : SCHEDULES); i++) {
      long seed = only != null ? only : base + i;
      Outcome o = run(seed, false);
      assertEquals(null, o.violation(), () -> "the error contract was broken (replay with -Dhadb.forward.seed="
          + seed + "):\n" + o.violation());
      seen.merge(o.summary().replaceAll("in the chain [0-9]+", "in the chain n"), 1, Integer::sum);
    }
    System.out.println("forwarding error contract, " + (only != null ? 1 : SCHEDULES) + " schedules from seed " + base
        + ": " + seen);
    assertTrue(seen.keySet().stream().anyMatch(k -> k.startsWith("UNKNOWN_OUTCOME")),
        "the schedules must reach UNKNOWN_OUTCOME at least once, or they test little: " + seen);
    assertTrue(seen.keySet().stream().anyMatch(k -> k.startsWith("answered (replayed)")),
        "and an answer from the request table after a lost one: " + seen);
    assertTrue(seen.keySet().stream().anyMatch(k -> !k.startsWith("answered") && !k.startsWith("UNKNOWN")),
        "and a definite error: " + seen);
  }

  /**
   * The checker catches an engine that reports a commit it could not confirm as NOT_LEADER, the
   * answer engines gave before the error contract: the server then answers 421, the client takes
   * the write for not applied, and a later definite error lies about a write in the chain.
   */
  @Test
  void negativeControlAnEngineThatCallsAnUnconfirmedCommitNotLeaderIsCaught() throws Exception {
    long base = new Random().nextLong();
    Outcome caught = null;
    int schedules = 0;
    while (schedules < 100 && caught == null) {
      Outcome o = run(base + schedules++, true);
      if (o.violation() != null) {
        caught = o;
      }
    }
    assertNotNull(caught, "100 schedules from seed " + base + " with the broken engine found no violation");
    System.out.println("negative control caught after " + schedules + " schedule(s): "
        + caught.violation().lines().findFirst().orElse(""));
    assertTrue(caught.violation().contains("definite"), caught.violation());
  }
}

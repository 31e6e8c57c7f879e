package io.hadb.coordinator.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hadb.api.HadbException;
import io.hadb.coordinator.Role;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class MetricsTest {
  /** One sample line of the text format: name, optional {labels}, value. */
  static final Pattern SAMPLE = Pattern.compile("([a-zA-Z_:][a-zA-Z0-9_:]*)(\\{(.*)\\})? (-?[0-9]+)");

  @Test
  void lifecycleIsCountedAndReadableFromJava() {
    CoordinatorMetrics m = new CoordinatorMetrics();
    assertEquals(Role.FOLLOWER, m.snapshot().role());
    m.promoted(7);
    m.renewed();
    m.renewed();
    m.renewFailed();
    m.demoted(true); // self-fenced
    m.sawEpoch(5); // older than the epoch we led: ignored
    m.promoted(9);
    m.demoted(false); // released
    m.setAppliedSeq(120);
    m.setLagSeqs(3);
    m.forwarded();
    m.fencedWrite();
    m.fencedWrite();
    m.droppedCommits(2);
    m.droppedCommits(0);
    m.unconfirmedWrite();
    assertEquals(new MetricsSnapshot(Role.FOLLOWER, 9, 2, 2, 1, 1, 2, 120, 3, 1, 2, 2, 1), m.snapshot());
  }

  @Test
  void followerLagIsWhatItsLastPullAppliedAndALeaderHasNone() {
    CoordinatorMetrics m = new CoordinatorMetrics();
    m.pulled(10, 14);
    assertEquals(14, m.snapshot().appliedSeq());
    assertEquals(4, m.snapshot().lagSeqs(), "4 changesets were published since the pull before");
    m.pulled(14, 14);
    assertEquals(0, m.snapshot().lagSeqs());
    m.pulled(20, 3); // a rebuilt copy restarts lower: never a negative lag
    assertEquals(0, m.snapshot().lagSeqs());
    m.pulled(3, 9);
    m.leading(9);
    assertEquals(new MetricsSnapshot(Role.FOLLOWER, 0, 0, 0, 0, 0, 0, 9, 0, 0, 0, 0, 0), m.snapshot());
  }

  @Test
  void prometheusTextHasHelpTypeAndOneSamplePerMetricWithEscapedLabels() {
    CoordinatorMetrics m = new CoordinatorMetrics();
    m.promoted(12);
    m.renewFailed();
    Map<String, String> labels = new LinkedHashMap<>();
    labels.put("node", "n\"1\\\n");
    labels.put("db", "orders");
    String text = m.prometheusText(labels);
    Map<String, String> samples = new HashMap<>();
    String lastType = null;
    for (String line : text.split("\n")) {
      if (line.startsWith("# TYPE ")) {
        lastType = line;
        continue;
      }
      if (line.startsWith("# HELP ")) {
        continue;
      }
      Matcher s = SAMPLE.matcher(line);
      assertTrue(s.matches(), "not a sample line: " + line);
      assertTrue(lastType != null && lastType.startsWith("# TYPE " + s.group(1) + " "), "no TYPE before " + line);
      assertTrue(s.group(3).startsWith("db=\"orders\",node=\"n\\\"1\\\\\\n\""), "labels sorted and escaped: " + line);
      if (s.group(1).endsWith("_total")) {
        assertTrue(lastType.endsWith(" counter"), line);
      }
      samples.put(s.group(1) + (s.group(3).contains("role=") ? s.group(3).substring(s.group(3).indexOf("role=")) : ""),
          s.group(4));
    }
    assertEquals("1", samples.get("hadb_role" + "role=\"leader\""));
    assertEquals("0", samples.get("hadb_role" + "role=\"follower\""));
    assertEquals("12", samples.get("hadb_epoch"));
    assertEquals("1", samples.get("hadb_lease_claims_total"));
    assertEquals("1", samples.get("hadb_lease_renew_failures_total"));
    for (String name : List.of("hadb_lease_fenced_total", "hadb_applied_seq", "hadb_lag_seqs", "hadb_forwards_total",
        "hadb_fenced_writes_total", "hadb_lease_demotions_total", "hadb_lease_renewals_total",
        "hadb_dropped_commits_total", "hadb_unconfirmed_writes_total")) {
      assertEquals("0", samples.get(name), name);
    }
    assertTrue(PrometheusText.render(m.snapshot(), Map.of()).contains("\nhadb_epoch 12\n"));
  }

  @Test
  void badLabelNamesAreRefused() {
    CoordinatorMetrics m = new CoordinatorMetrics();
    assertThrows(HadbException.class, () -> m.prometheusText(Map.of("1db", "x")));
    assertThrows(HadbException.class, () -> m.prometheusText(Map.of("role", "x")));
    assertThrows(HadbException.class, () -> m.prometheusText(Map.of("__name", "x")));
  }
}

package io.hadb.cli.http;

import io.hadb.coordinator.HaDatabase;
import io.hadb.coordinator.Role;
import io.hadb.coordinator.metrics.MetricsSnapshot;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** {@code /status}: per database role, epoch, applied seq, lag, leader and recent failovers. */
final class StatusJson {
  private StatusJson() {}

  static Map<String, Object> of(String nodeId, String version, Collection<ServedDatabase> databases) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("node", nodeId);
    m.put("version", version);
    Map<String, Object> dbs = new LinkedHashMap<>();
    for (ServedDatabase d : databases) {
      dbs.put(d.name(), one(d));
    }
    m.put("databases", dbs);
    return m;
  }

  private static Map<String, Object> one(ServedDatabase d) {
    HaDatabase db = d.db();
    MetricsSnapshot s = db.metrics().snapshot();
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("role", s.role() == Role.LEADER ? "leader" : "follower");
    m.put("epoch", db.epoch());
    m.put("applied_seq", db.appliedSeq());
    m.put("lag_seqs", s.lagSeqs());
    long stale = db.metrics().staleNanos();
    // how long ago the copy last held the whole chain (what ?freshness compares); null: never yet
    m.put("stale_ms", stale == Long.MAX_VALUE ? null : stale / 1_000_000);
    m.put("leader", d.leader().orElse(null));
    m.put("address", db.address());
    m.put("durability", db.durability().name());
    m.put("forwards", s.forwards());
    List<Map<String, Object>> failovers = new ArrayList<>();
    for (FailoverLog.Change c : d.failovers().recent()) {
      Map<String, Object> f = new LinkedHashMap<>();
      f.put("at", c.at().toString());
      f.put("epoch", c.epoch());
      f.put("leader", c.leader());
      failovers.add(f);
    }
    m.put("recent_leaders", failovers);
    return m;
  }
}

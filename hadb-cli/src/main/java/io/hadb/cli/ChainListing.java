package io.hadb.cli;

import io.hadb.api.StorageBackend;
import io.hadb.chain.ChainKeys;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;

/**
 * What storage holds of one database, from listings only (no object is read): its snapshots'
 * seqs and its changesets' range and count. Keys that are neither are counted as other objects.
 */
record ChainListing(String prefix, List<Long> snapshots, long firstChange, long lastChange, long changes,
    long gaps, long others) {

  static ChainListing of(StorageBackend storage, String prefix) {
    ChainKeys keys = ChainKeys.of(prefix);
    List<Long> snaps = new ArrayList<>();
    long first = 0;
    long last = 0;
    long count = 0;
    long gaps = 0;
    long others = 0;
    for (String k : storage.listAll(keys.prefix())) {
      OptionalLong c = keys.changeSeq(k);
      OptionalLong s = keys.snapshotSeq(k);
      if (c.isPresent()) {
        if (count > 0 && c.getAsLong() != last + 1) {
          gaps++;
        }
        if (count == 0) {
          first = c.getAsLong();
        }
        last = c.getAsLong();
        count++;
      } else if (s.isPresent()) {
        snaps.add(s.getAsLong());
      } else {
        others++;
      }
    }
    return new ChainListing(keys.prefix(), List.copyOf(snaps), first, last, count, gaps, others);
  }

  boolean isEmpty() {
    return changes == 0 && snapshots.isEmpty();
  }

  String describe() {
    StringBuilder sb = new StringBuilder();
    sb.append("  changesets: ");
    sb.append(changes == 0 ? "none" : changes + " (seq " + firstChange + ".." + lastChange + ")");
    if (gaps > 0) {
      sb.append(", ").append(gaps).append(" gaps in the seqs (run hadb verify)");
    }
    sb.append("\n  snapshots:  ");
    sb.append(snapshots.isEmpty() ? "none" : snapshots.size() + " at seq " + snapshots);
    if (others > 0) {
      sb.append("\n  other objects: ").append(others).append(" (the lease register, retention records, ...)");
    }
    return sb.toString();
  }
}

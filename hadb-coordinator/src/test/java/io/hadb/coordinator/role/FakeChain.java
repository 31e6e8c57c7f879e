package io.hadb.coordinator.role;

import io.hadb.api.HadbException;
import io.hadb.api.engine.Replicator;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentSkipListMap;

/**
 * Test double for the promotion sketch: an in-memory changeset chain with put-if-absent per seq,
 * and replicas of it that implement the {@link Replicator} SPI the way DESIGN §6.2 requires
 * (pull applies in order and refuses an epoch lower than one already seen; a leader's commit is
 * put-if-absent at its next seq and a lost race fences it). Not a model of any engine's storage.
 */
final class FakeChain {
  record Entry(long epoch, String payload) {}

  static final String SEAL = "<seal>";

  final Map<Long, Entry> entries = new ConcurrentSkipListMap<>();

  boolean putIfAbsent(long seq, Entry e) {
    return entries.putIfAbsent(seq, e) == null;
  }

  long head() {
    return entries.isEmpty() ? 0 : ((ConcurrentSkipListMap<Long, Entry>) entries).lastKey();
  }

  /** How a replica seals; tests replace it to race or refuse a seal. */
  @FunctionalInterface
  interface Sealer {
    boolean seal(long epoch, long seq);
  }

  /** The seal as a replica writes it: put-if-absent of an empty entry carrying the epoch. */
  Sealer sealer() {
    return (epoch, seq) -> putIfAbsent(seq, new Entry(epoch, SEAL));
  }

  /** Linear (1..head with no gap) and epochs never decrease along it. */
  void assertLinear() {
    long prevEpoch = 0;
    for (long s = 1; s <= head(); s++) {
      Entry e = entries.get(s);
      if (e == null) {
        throw new AssertionError("gap at seq " + s + ": " + entries);
      }
      if (e.epoch() < prevEpoch) {
        throw new AssertionError("epoch goes back at seq " + s + ": " + entries);
      }
      prevEpoch = e.epoch();
    }
  }

  Replica replica() {
    return new Replica();
  }

  final class Replica implements Replicator {
    final List<String> applied = new ArrayList<>();
    final List<String> calls = new ArrayList<>();
    long appliedSeq;
    long maxEpoch;
    long publishEpoch;
    long nextSeq;
    boolean publishing;
    Sealer sealer = FakeChain.this.sealer();

    @Override
    public boolean seal(long epoch, long seq) {
      calls.add("seal(" + epoch + "," + seq + ")");
      return sealer.seal(epoch, seq);
    }

    @Override
    public long snapshot(io.hadb.api.engine.Progress progress) {
      throw HadbException.unsupported("no snapshots in the fake chain");
    }

    @Override
    public long droppedCommits() {
      return 0;
    }

    @Override
    public void startPublishing(long epoch, long next) {
      calls.add("startPublishing(" + epoch + "," + next + ")");
      pullTo(next - 1);
      if (appliedSeq != next - 1) {
        throw HadbException.notFound("chain ends at " + appliedSeq + ", cannot publish from " + next);
      }
      publishing = true;
      publishEpoch = epoch;
      nextSeq = next;
    }

    /** A leader's commit: put-if-absent at the next seq; a lost race means another leader owns the chain. */
    long commit(String payload) {
      if (!publishing) {
        throw HadbException.fenced("not publishing");
      }
      if (!putIfAbsent(nextSeq, new Entry(publishEpoch, payload))) {
        publishing = false;
        throw HadbException.fenced("seq " + nextSeq + " taken by another leader");
      }
      applied.add(payload);
      appliedSeq = nextSeq;
      return nextSeq++;
    }

    @Override
    public void stopPublishing() {
      calls.add("stopPublishing");
      publishing = false;
    }

    @Override
    public long sync() {
      return appliedSeq;
    }

    @Override
    public long bootstrap() {
      return pull();
    }

    @Override
    public long pull() {
      calls.add("pull");
      return pullTo(Long.MAX_VALUE);
    }

    private long pullTo(long limit) {
      while (appliedSeq < limit) {
        Entry e = entries.get(appliedSeq + 1);
        if (e == null) {
          break;
        }
        if (e.epoch() < maxEpoch) {
          throw HadbException.corrupt("seq " + (appliedSeq + 1) + " has epoch " + e.epoch() + " < " + maxEpoch);
        }
        maxEpoch = e.epoch();
        if (!e.payload().equals(SEAL)) {
          applied.add(e.payload());
        }
        appliedSeq++;
      }
      return appliedSeq;
    }

    @Override
    public long appliedSeq() {
      return appliedSeq;
    }

    @Override
    public void close() {}
  }
}

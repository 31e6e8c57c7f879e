package io.hadb.coordinator.fault;

import io.hadb.api.StorageBackend;
import java.util.List;
import java.util.Optional;

/**
 * The chain's fencing rule of DESIGN §6.2, reduced to what the election tests need: a leader of
 * epoch {@code e} writes seq objects with put-if-absent at the next seq after the head it knows.
 * Losing a put-if-absent to a record of a lower epoch means the old leader was still finishing:
 * the new one catches up past it (as {@code Promotion} does before sealing). Losing to a record
 * of the same or a higher epoch means another leader exists: the writer must demote.
 */
final class FencedChain {
  enum Outcome { WRITTEN, SKIPPED_OLDER, LOST }

  private final StorageBackend storage;
  private long nextSeq = -1;

  FencedChain(StorageBackend storage) {
    this.storage = storage;
  }

  /** Reads the head: the next write goes right after it. */
  void catchUp() {
    List<String> keys = storage.listAll(ChainRecord.PREFIX);
    nextSeq = keys.isEmpty() ? 1 : ChainRecord.seqOf(keys.get(keys.size() - 1)) + 1;
  }

  long nextSeq() {
    return nextSeq;
  }

  /** One put-if-absent at the next seq (the record's own seq field is ignored). */
  Outcome append(ChainRecord r, boolean overwrite) {
    String key = ChainRecord.key(nextSeq);
    if (overwrite) { // negative control only: no fencing at all
      storage.put(key, r.bytes());
      nextSeq++;
      return Outcome.WRITTEN;
    }
    if (storage.putIfAbsent(key, r.bytes())) {
      nextSeq++;
      return Outcome.WRITTEN;
    }
    Optional<byte[]> there = storage.get(key);
    long theirEpoch = there.map(b -> ChainRecord.parse(0, b).epoch()).orElse(Long.MAX_VALUE);
    if (theirEpoch < r.epoch()) {
      catchUp();
      return Outcome.SKIPPED_OLDER;
    }
    return Outcome.LOST;
  }

  /** Every record, in seq order. */
  static List<ChainRecord> read(StorageBackend storage) {
    return storage.listAll(ChainRecord.PREFIX).stream()
        .map(k -> ChainRecord.parse(ChainRecord.seqOf(k), storage.get(k).orElseThrow()))
        .toList();
  }
}

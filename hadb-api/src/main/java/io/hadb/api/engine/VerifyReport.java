package io.hadb.api.engine;

import java.util.Optional;

/**
 * What {@link EngineProvider#verify} found.
 *
 * @param firstSeq first changeset seq checked (the oldest snapshot's seq + 1 when older
 *     changesets were removed by retention), 0 when there are none
 * @param lastSeq last changeset seq that checked out
 * @param changesets changesets checked
 * @param snapshots snapshots checked
 * @param firstBadKey the first object that failed, if any
 * @param problem what was wrong with it
 */
public record VerifyReport(long firstSeq, long lastSeq, long changesets, long snapshots,
    Optional<String> firstBadKey, Optional<String> problem) {
  public boolean ok() {
    return firstBadKey.isEmpty();
  }
}

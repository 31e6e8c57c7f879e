package io.hadb.chain.internal;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hadb.changeset.DecodeOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StagedBatchTest {
  @TempDir Path dir;

  /** A poll that found nothing new leaves no staging file behind and pays no fsync for one. */
  @Test
  void an_empty_batch_creates_no_staging_file() {
    Path staging = dir.resolve("db-hadb.apply");
    StagedBatch batch;
    try (StagedBatch.Writer w = new StagedBatch.Writer(staging, DecodeOptions.defaults())) {
      batch = w.finish();
    }
    assertTrue(batch.isEmpty());
    assertFalse(Files.exists(staging), "an empty poll created " + staging);
  }
}

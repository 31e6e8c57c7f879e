package io.hadb.lease.storage;

import io.hadb.conformance.LeaseStoreContract;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The lease kit against the {@code file:} lease store with clients of one directory configured
 * differently, in turn: the default keep 16, and keep 2 collecting after every version, so every
 * race also races the deletion of the versions other clients are listing (a listing of a chain
 * must show one instant, DESIGN §3.2).
 */
class FileLeaseMixedSettingsConformanceTest extends LeaseStoreContract {
  private static final Path DIR = tempDir();

  @Override
  protected String uri() {
    return "file://" + DIR + "?fsync=false";
  }

  @Override
  protected List<String> clientUris() {
    return List.of(uri(), uri() + "&keepVersions=2&collectEvery=1");
  }

  private static Path tempDir() {
    try {
      return Files.createTempDirectory("hadb-file-lease-mixed-kit");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}

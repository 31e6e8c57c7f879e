package io.hadb.lease.storage;

import io.hadb.conformance.LeaseStoreContract;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** The lease kit against the file: lease store on a local directory (storage-local). */
class FileLeaseStoreConformanceTest extends LeaseStoreContract {
  private static final Path DIR = tempDir();

  @Override
  protected String uri() {
    return "file://" + DIR + "?fsync=false";
  }

  private static Path tempDir() {
    try {
      return Files.createTempDirectory("hadb-file-lease-kit");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}

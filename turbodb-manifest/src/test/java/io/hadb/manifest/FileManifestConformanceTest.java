package io.hadb.manifest;

import io.hadb.conformance.ManifestContract;
import java.nio.file.Files;
import java.nio.file.Path;

/** Manifests on the file: lease store (put-if-absent version chains in a directory) pass the contract. */
class FileManifestConformanceTest extends ManifestContract {
  private static final Path DIR = tempDir();

  private static Path tempDir() {
    try {
      return Files.createTempDirectory("manifest-file-");
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  @Override
  protected String leaseUri() {
    return "file://" + DIR;
  }
}

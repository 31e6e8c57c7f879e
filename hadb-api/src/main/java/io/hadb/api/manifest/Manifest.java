package io.hadb.api.manifest;

import io.hadb.api.HadbException;
import java.util.Arrays;
import java.util.HexFormat;

/**
 * One database's manifest as stored (DESIGN §10): the document its writer chose, the writer's
 * epoch and the version the store gave the write. The document array is copied in and out.
 *
 * @param document what the writer stored (the chain's base snapshot and retention state; the
 *     store never looks inside)
 * @param epoch the fencing epoch of the writer, at least 1
 * @param version strictly positive, strictly increasing with every write
 */
public record Manifest(byte[] document, long epoch, long version) {
  public Manifest {
    HadbException.requireArg(document, "document");
    if (epoch < 1) {
      throw HadbException.invalidArgument("a manifest's epoch must be at least 1, was " + epoch);
    }
    if (version < 1) {
      throw HadbException.invalidArgument("a manifest's version must be at least 1, was " + version);
    }
    document = document.clone();
  }

  @Override
  public byte[] document() {
    return document.clone();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Manifest m && m.epoch == epoch && m.version == version && Arrays.equals(m.document, document);
  }

  @Override
  public int hashCode() {
    return 31 * (31 * Long.hashCode(version) + Long.hashCode(epoch)) + Arrays.hashCode(document);
  }

  @Override
  public String toString() {
    String head = HexFormat.of().formatHex(document, 0, Math.min(8, document.length));
    return "Manifest[version=" + version + ", epoch=" + epoch + ", " + document.length + " bytes: " + head
        + (document.length > 8 ? "…" : "") + "]";
  }
}

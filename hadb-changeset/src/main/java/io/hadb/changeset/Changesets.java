package io.hadb.changeset;

import io.hadb.api.HadbException;
import io.hadb.changeset.internal.ObjectReader;
import java.io.ByteArrayInputStream;
import java.io.InputStream;

/** Whole-object operations over either format. */
public final class Changesets {
  private Changesets() {}

  /**
   * Verifies one object of either format end to end without keeping it in memory: header, body
   * structure, and the SHA-256 trailer. An encrypted body verifies without a key (its frames are
   * hashed, not opened); with the right key it is fully decoded as well.
   *
   * @param objectName for messages; may be null
   * @param length the object's size, or -1 when unknown
   * @throws ChangesetFormatException when anything is wrong with the bytes
   * @throws ChangesetKeyException when a key was given and it is not the one that sealed it
   */
  public static ChainLink verify(
      String objectName, InputStream in, long length, DecodeOptions options) {
    ObjectReader r = Readers.open(objectName, in, length, options, null);
    if (r.header() instanceof PhysicalHeader) {
      try (PhysicalReader p = new PhysicalReader(r)) {
        return p.finish();
      }
    }
    try (JournalReader j = new JournalReader(r)) {
      return j.finish();
    }
  }

  /** {@link #verify(String, InputStream, long, DecodeOptions)} over bytes in memory, no key. */
  public static ChainLink verify(byte[] bytes) {
    HadbException.requireArg(bytes, "bytes");
    return verify(null, new ByteArrayInputStream(bytes), bytes.length, DecodeOptions.defaults());
  }

  /**
   * Streams a HADBP changeset into {@code stage} and commits only after the trailer verified:
   * the pattern every engine must follow (pages are unverified until the end). On any failure
   * {@link PageStage#abort} is called and the exception is rethrown; the stage never sees
   * {@link PageStage#commit} for a corrupt, truncated or undecryptable object.
   *
   * @return the verified link, after {@code commit} returned
   */
  public static ChainLink apply(
      String objectName, InputStream in, long length, DecodeOptions options, PageStage stage) {
    HadbException.requireArg(stage, "stage");
    ChainLink link;
    try (PhysicalReader r = PhysicalReader.open(objectName, in, length, options)) {
      stage.begin(r.header(), r.encoding());
      while (r.next()) {
        stage.stage(r.pageNumber(), r.page());
      }
      link = r.finish();
    } catch (RuntimeException | Error e) {
      stage.abort(e);
      throw e;
    }
    stage.commit(link);
    return link;
  }
}

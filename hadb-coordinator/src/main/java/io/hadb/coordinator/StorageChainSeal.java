package io.hadb.coordinator;

import io.hadb.api.HadbException;
import io.hadb.api.StorageBackend;
import io.hadb.changeset.ChainLink;
import io.hadb.changeset.Changesets;
import io.hadb.changeset.DecodeOptions;
import io.hadb.changeset.EncodeOptions;
import io.hadb.changeset.Format;
import io.hadb.changeset.ObjectKeys;
import io.hadb.changeset.PhysicalHeader;
import io.hadb.changeset.PhysicalWriter;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.time.InstantSource;
import java.util.Arrays;
import java.util.Optional;

/**
 * The seal of DESIGN §6.2 written straight to a HADBP chain (the physical format of hadb-changeset)
 * under the canonical keys {@code {prefix}changes/{seq:020d}.hadbp}: an empty changeset — no pages,
 * the database size of the changeset before it, the new epoch, linked to that changeset's
 * checksum — stored with put-if-absent. Followers verify it like any changeset and skip it (it
 * changes no page); a publisher started at {@code seal + 1} links its first changeset to it.
 *
 * <p>Written by the coordinator because the engine SPI has no seal yet; any engine that keeps a
 * HADBP chain under these keys (engine-sqlite does) accepts it. The seal itself is stored plain
 * (no compression or encryption): it carries no data.
 */
public final class StorageChainSeal implements ChainSeal {
  /** Page size stamped on a seal at seq 1, where no changeset precedes it (it holds no page). */
  static final int FIRST_SEAL_PAGE_SIZE = 4096;

  private final StorageBackend storage;
  private final String prefix;
  private final InstantSource wall;

  /** {@code prefix} is the chain's root: "" or ending with '/', as given to the engine. */
  public StorageChainSeal(StorageBackend storage, String prefix, InstantSource wall) {
    this.storage = HadbException.requireArg(storage, "storage");
    this.prefix = HadbException.requireArg(prefix, "prefix");
    this.wall = HadbException.requireArg(wall, "wall");
    if (!prefix.isEmpty() && !prefix.endsWith("/")) {
      throw HadbException.invalidArgument("chain prefix must be empty or end with '/': \"" + prefix + "\"");
    }
  }

  @Override
  public boolean seal(long epoch, long seq) {
    if (seq < 1) {
      throw HadbException.invalidArgument("seal seq must be at least 1, was " + seq);
    }
    byte[] body = encode(header(epoch, seq));
    String key = ObjectKeys.key(prefix, seq, Format.HADBP);
    if (storage.putIfAbsent(key, body)) {
      return true;
    }
    // Taken: by another writer, or by our own earlier attempt whose answer was lost.
    return storage.get(key).map(b -> Arrays.equals(b, body)).orElse(false);
  }

  private PhysicalHeader header(long epoch, long seq) {
    long now = wall.millis();
    if (seq == 1) {
      return PhysicalHeader.first(epoch, FIRST_SEAL_PAGE_SIZE, 0, 0, now);
    }
    String prevKey = ObjectKeys.key(prefix, seq - 1, Format.HADBP);
    Optional<InputStream> in = storage.getStream(prevKey);
    if (in.isEmpty()) {
      throw HadbException.notFound("cannot seal at seq " + seq + ": " + prevKey + " is missing");
    }
    ChainLink prev;
    try (InputStream s = in.get()) {
      prev = Changesets.verify(prevKey, s, -1, DecodeOptions.defaults());
    } catch (IOException e) {
      throw HadbException.unavailable("reading " + prevKey + ": " + e.getMessage(), e);
    }
    if (prev.seq() != seq - 1) {
      throw HadbException.corrupt(prevKey + " holds seq " + prev.seq() + ", not " + (seq - 1));
    }
    return PhysicalHeader.seal(prev, epoch, now);
  }

  private static byte[] encode(PhysicalHeader header) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(256);
    try (PhysicalWriter w = PhysicalWriter.open(out, header, EncodeOptions.plain())) {
      w.finish();
    }
    return out.toByteArray();
  }
}

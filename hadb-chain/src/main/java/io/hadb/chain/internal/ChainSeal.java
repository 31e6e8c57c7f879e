package io.hadb.chain.internal;

import io.hadb.api.HadbException;
import io.hadb.api.StorageBackend;
import io.hadb.chain.ChainKeys;
import io.hadb.changeset.ChainLink;
import io.hadb.changeset.ChainVerifier;
import io.hadb.changeset.DecodeOptions;
import io.hadb.changeset.EncodeOptions;
import io.hadb.changeset.PhysicalHeader;
import io.hadb.changeset.PhysicalWriter;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;
import java.util.Optional;
import java.util.function.LongSupplier;

/**
 * The seal of DESIGN §6.2: an empty changeset — no pages, the database size of the changeset
 * before it, the new epoch, linked to that changeset's checksum — stored with put-if-absent.
 * Followers verify it like any changeset and skip it (it changes no page); a publisher started at
 * {@code seal + 1} links its first changeset to it. Stored plain (no compression or encryption):
 * it carries no data.
 */
public final class ChainSeal {
  /**
   * Page size stamped on a seal at seq 1, where no changeset precedes it. It holds no page, and a
   * follower starts a new batch where the page size changes, so any engine's first changeset
   * may follow it.
   */
  static final int FIRST_SEAL_PAGE_SIZE = 4096;

  private final StorageBackend storage;
  private final ChainKeys keys;
  private final DecodeOptions decode;
  private final LongSupplier wallMillis;

  public ChainSeal(StorageBackend storage, ChainKeys keys, DecodeOptions decode, LongSupplier wallMillis) {
    this.storage = storage;
    this.keys = keys;
    this.decode = decode;
    this.wallMillis = wallMillis;
  }

  /** See {@link io.hadb.api.engine.Replicator#seal}. */
  public boolean seal(long epoch, long seq) {
    if (seq < 1) {
      throw HadbException.invalidArgument("seal seq must be at least 1, was " + seq);
    }
    if (epoch < 1) {
      throw HadbException.invalidArgument("seal epoch must be at least 1, was " + epoch);
    }
    byte[] body = encode(header(epoch, seq));
    String key = keys.change(seq);
    if (storage.putIfAbsent(key, body)) {
      return true;
    }
    // Taken: by another writer, or by our own earlier attempt whose answer was lost.
    return storage.get(key).map(b -> Arrays.equals(b, body)).orElse(false);
  }

  private PhysicalHeader header(long epoch, long seq) {
    long now = wallMillis.getAsLong();
    if (seq == 1) {
      return PhysicalHeader.first(epoch, FIRST_SEAL_PAGE_SIZE, 0, 0, now);
    }
    String prevKey = keys.change(seq - 1);
    Optional<InputStream> in = storage.getStream(prevKey);
    if (in.isEmpty()) {
      throw HadbException.notFound("cannot seal at seq " + seq + ": " + prevKey + " is missing");
    }
    ChainLink prev;
    try (InputStream s = in.get()) {
      prev = ChainVerifier.verifyObject(prevKey, seq - 1, s, -1, decode);
    } catch (IOException e) {
      throw HadbException.unavailable("reading " + prevKey + ": " + e.getMessage(), e);
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

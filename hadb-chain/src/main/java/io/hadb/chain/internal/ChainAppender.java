package io.hadb.chain.internal;

import io.hadb.api.BodySource;
import io.hadb.api.HadbException;
import io.hadb.api.StorageBackend;
import io.hadb.api.engine.DurableListener;
import io.hadb.chain.ChainKeys;
import io.hadb.chain.PageImages;
import io.hadb.changeset.ChainLink;
import io.hadb.changeset.PhysicalHeader;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.function.BooleanSupplier;
import java.util.function.LongSupplier;

/**
 * Writes changesets at the chain's next seq with put-if-absent (DESIGN §6.2). If the key is
 * taken, the object there is read back: the same bytes are this writer's own earlier attempt
 * whose answer was lost (the chain has it, go on); anything else means another writer owns the
 * chain, {@code FENCED}. Failures a retry can help are retried with backoff, always with the same
 * bytes. One writing thread at a time; {@link #head()} may be read from any.
 */
final class ChainAppender implements AutoCloseable {
  private static final System.Logger LOG = System.getLogger(ChainAppender.class.getName());

  private final StorageBackend storage;
  private final ChainKeys keys;
  private final ChangesetEncoder encoder;
  private final Duration retryBackoff;
  private final long epoch;
  private final LongSupplier wallMillis;
  private volatile ChainHead head;
  private long lastBodyBytes; // writing thread only

  ChainAppender(StorageBackend storage, ChainKeys keys, ChangesetEncoder encoder, Duration retryBackoff,
      long epoch, ChainHead head, LongSupplier wallMillis) {
    this.storage = storage;
    this.keys = keys;
    this.encoder = encoder;
    this.retryBackoff = retryBackoff;
    this.epoch = epoch;
    this.head = head;
    this.wallMillis = wallMillis;
  }

  private volatile DurableListener durable = DurableListener.NONE;

  ChainHead head() {
    return head;
  }

  /** Stored size of the last changeset written. */
  long lastBodyBytes() {
    return lastBodyBytes;
  }

  /**
   * Writes {@code pages} as the changeset after the head and moves the head to it; null when
   * {@code stopped} became true before it landed (the upload is abandoned).
   */
  ChainLink append(PageImages pages, BooleanSupplier stopped) {
    ChainHead h = head;
    long seq = h.seq() + 1;
    PhysicalHeader header = new PhysicalHeader(seq, epoch, pages.pageSize(), pages.dbSizePages(),
        pages.pageCount(), wallMillis.getAsLong(), h.checksum());
    String key = keys.change(seq);
    ChangesetEncoder.Encoded encoded = encoder.encode(pages, header);
    lastBodyBytes = encoded.bytes();
    long backoff = retryBackoff.toNanos();
    while (true) {
      if (stopped.getAsBoolean()) {
        return null;
      }
      try {
        if (storage.putIfAbsent(key, encoded.body())
            || Spool.sameBytes(storage.getStream(key), encoded.body())) { // our own earlier attempt
          head = new ChainHead(seq, encoded.link().checksum());
          tellDurable(seq, key, encoded.body());
          return encoded.link();
        }
        throw HadbException.fenced("another leader wrote " + key + " first; this node (epoch "
            + epoch + ") no longer owns the chain");
      } catch (HadbException e) {
        if (!e.retryable()) {
          throw e;
        }
        LOG.log(Level.WARNING, "uploading " + key + " failed, retrying: " + e.getMessage());
        sleepNanos(backoff);
        backoff = Math.min(backoff * 2, retryBackoff.toNanos() * 32);
      }
    }
  }

  /** Who is told of each changeset once it is durable (DESIGN §9: the push seam). */
  void listen(DurableListener l) {
    this.durable = l == null ? DurableListener.NONE : l;
  }

  private void tellDurable(long seq, String key, BodySource body) {
    try {
      durable.durable(seq, key, body);
    } catch (RuntimeException e) {
      // A push is an optimisation: followers read storage when it fails.
      LOG.log(Level.WARNING, "the durable-changeset listener failed on " + key + ": " + e);
    }
  }

  /** SNAPSHOT_ONLY, where nothing ships: a snapshot takes the next seq itself; returns it. */
  long takeNextSeq() {
    ChainHead h = head;
    head = new ChainHead(h.seq() + 1, h.checksum());
    return h.seq() + 1;
  }

  private static void sleepNanos(long nanos) {
    try {
      Thread.sleep(nanos / 1_000_000, (int) (nanos % 1_000_000));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public void close() {
    encoder.close();
  }
}

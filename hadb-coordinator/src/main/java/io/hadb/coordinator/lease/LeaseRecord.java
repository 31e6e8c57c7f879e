package io.hadb.coordinator.lease;

import io.hadb.api.HadbException;
import java.time.Duration;
import java.util.Optional;

/**
 * The value of the lease register (DESIGN §6.1). Byte layout: {@code internal.LeaseRecordCodec}.
 *
 * @param holder the node id of the holder, for people and logs (1–255 UTF-8 bytes)
 * @param address where followers forward writes ({@code http://host:port}); empty when the holder
 *     does not accept forwarded writes (at most 1024 UTF-8 bytes)
 * @param ttl the holder's ttl: followers wait at least this long (plus their margin) on their own
 *     clock before judging the record expired
 * @param released set by a graceful release: the record may be claimed at once
 * @param claimEpoch 0 on the claim write itself (whose version <em>is</em> the epoch, unknown until
 *     the store answers); on renewals, the epoch of the holder's term, so followers learn it too
 * @param instance random per lease participant (per process start): tells a node's own records
 *     from those of an earlier incarnation or of a misconfigured twin with the same node id
 * @param writeSeq counts the participant's writes, so it can recognise one of its own writes
 *     whose outcome it did not learn
 * @param wallMillis the writer's wall clock, for diagnostics only: no decision ever reads it
 * @param session 0 for a register its holder renews itself (the node lease, {@link LeaderLease});
 *     for a database's record under a node lease (DESIGN §9), the session of the holder's node
 *     lease the claim was made in: the record stands while that session lives, and is never
 *     renewed
 */
public record LeaseRecord(
    String holder,
    String address,
    Duration ttl,
    boolean released,
    long claimEpoch,
    long instance,
    long writeSeq,
    long wallMillis,
    long session) {

  public LeaseRecord {
    HadbException.requireArg(holder, "holder");
    HadbException.requireArg(address, "address");
    HadbException.requireArg(ttl, "ttl");
    if (holder.isEmpty()) {
      throw HadbException.invalidArgument("lease holder id must not be empty");
    }
    if (claimEpoch < 0) {
      throw HadbException.invalidArgument("claimEpoch must be >= 0, was " + claimEpoch);
    }
    if (session < 0) {
      throw HadbException.invalidArgument("session must be >= 0, was " + session);
    }
  }

  /** A record its holder renews itself (session 0). */
  public LeaseRecord(String holder, String address, Duration ttl, boolean released, long claimEpoch, long instance,
      long writeSeq, long wallMillis) {
    this(holder, address, ttl, released, claimEpoch, instance, writeSeq, wallMillis, 0);
  }

  /** Whether the record stands for as long as its holder's node lease session (DESIGN §9). */
  public boolean boundToSession() {
    return session > 0;
  }

  /** The epoch of the term this record belongs to, given the version that wrote it. */
  public long epochAt(long version) {
    return claimEpoch == 0 ? version : claimEpoch;
  }

  /**
   * Where to forward writes while this record stands: its address, or empty when the record is
   * released or names none.
   */
  public Optional<String> forwardAddress() {
    return released || address.isEmpty() ? Optional.empty() : Optional.of(address);
  }

  /** Whether this participant wrote the record. */
  public boolean writtenBy(long participantInstance) {
    return instance == participantInstance;
  }
}

package io.hadb.api;

import java.util.Optional;

/**
 * A set of linearizable, versioned compare-and-set registers: the coordination primitive hadb
 * elects leaders with. Plug-ins: {@code lease-mem}, {@code lease-nats}, {@code lease-etcd},
 * {@code lease-s3}. Every implementation must pass {@code LeaseStoreContract} in
 * {@code conformance-tests}; the rule numbers below are those of its {@code SPEC.md}.
 *
 * <h2>Rules (DESIGN §3.1)</h2>
 *
 * <ul>
 *   <li><b>L-linearizable.</b> Every operation takes effect atomically at one instant between its
 *       call and its return, as seen by every client of the same namespace, in this process or
 *       another. N clients racing {@code create} of one key, or {@code compareAndSet} from the
 *       same version, produce exactly one {@link CasResult.Won}.
 *   <li><b>L-monotonic.</b> A key's version is &gt; 0 and strictly increases with every
 *       successful write, <em>including across delete and re-create</em>: a version is never
 *       reused for a key. The coordinator uses the version a claim wrote as its fencing epoch.
 *   <li><b>L-result.</b> Losing a race returns {@link CasResult#lost()}; exceptions
 *       ({@link HadbException}) mean the store could not answer ({@link ErrorCode#UNAVAILABLE},
 *       {@link ErrorCode#TIMEOUT}) or the input is invalid ({@link ErrorCode#INVALID_ARGUMENT}).
 *   <li><b>L-ambiguous.</b> A write whose outcome is unknown (timeout after send, a retried
 *       conditional request) is resolved by the store by reading back and comparing, or reported
 *       as {@link ErrorCode#UNKNOWN_OUTCOME}. It is never reported lost when it won, nor won when
 *       it lost.
 *   <li><b>Keys</b> follow {@link Keys}; values are at most {@link #MAX_VALUE_BYTES} bytes and may
 *       be empty. Null arguments, bad keys and oversized values throw
 *       {@link ErrorCode#INVALID_ARGUMENT} before anything is sent.
 *   <li><b>Deletes are conditional</b>, never blind (an unconditional lease delete is one of the
 *       anchors' bugs, DESIGN §8).
 *   <li>After {@link #close()} every call throws {@link ErrorCode#CLOSED}; close is idempotent.
 *   <li>Calls never hang: a store that does not answer fails within the plug-in's configured
 *       timeout.
 * </ul>
 *
 * <p>Implementations are thread-safe.
 */
public interface LeaseStore extends AutoCloseable {

  /** The largest value a conforming store must accept; larger values are refused by all. */
  int MAX_VALUE_BYTES = 64 * 1024;

  /** The current value and version of {@code key}, or empty when absent (or deleted). */
  Optional<Versioned> read(String key);

  /** Writes {@code value} only if {@code key} is absent. Won carries the new version. */
  CasResult create(String key, byte[] value);

  /**
   * Writes {@code value} only if the current version of {@code key} is {@code expectedVersion}.
   * Lost when the key is absent or has another version.
   */
  CasResult compareAndSet(String key, long expectedVersion, byte[] value);

  /**
   * Deletes {@code key} only if its current version is {@code expectedVersion}. A later
   * {@link #create} of the same key gets a version greater than any the key ever had.
   */
  CasResult delete(String key, long expectedVersion);

  /**
   * Optional capability: calls {@code onChange} soon after {@code key} changes (any write or
   * delete), so a follower can take over at once after a graceful release instead of polling.
   * The callback carries no value: the listener reads, which keeps ordering simple. Callbacks
   * may be spurious or coalesced, and run on a store thread: keep them short.
   *
   * @return empty when this store cannot watch; the caller then polls
   */
  default Optional<Subscription> watch(String key, Runnable onChange) {
    return Optional.empty();
  }

  /** Releases connections. Idempotent; afterwards every call throws {@link ErrorCode#CLOSED}. */
  @Override
  void close();

  /** Shared argument checks, so every plug-in refuses bad input the same way. */
  static void checkValue(byte[] value) {
    HadbException.requireArg(value, "value");
    if (value.length > MAX_VALUE_BYTES) {
      throw HadbException.invalidArgument(
          "value is " + value.length + " bytes, the limit is " + MAX_VALUE_BYTES);
    }
  }

  /** Shared check for expected versions: they are always &gt; 0. */
  static void checkVersion(long expectedVersion) {
    if (expectedVersion <= 0) {
      throw HadbException.invalidArgument(
          "expectedVersion must be > 0 (versions start at 1), was " + expectedVersion);
    }
  }
}

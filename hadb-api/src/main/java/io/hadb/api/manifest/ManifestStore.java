package io.hadb.api.manifest;

import io.hadb.api.CasResult;
import io.hadb.api.ErrorCode;
import io.hadb.api.HadbException;
import io.hadb.api.Keys;
import java.util.Optional;

/**
 * Epoch-fenced manifests, one per database (DESIGN §10): a small versioned document updated by
 * compare-and-set on its version and carrying the epoch of its writer, so that a deposed leader
 * can never overwrite what its successor wrote. Every implementation must pass
 * {@code ManifestContract} in {@code conformance-tests} (rules M1–M7 of its {@code SPEC.md}).
 *
 * <h2>Rules</h2>
 *
 * <ul>
 *   <li><b>Fence.</b> A write whose epoch is lower than the stored one throws
 *       {@link ErrorCode#FENCED} and changes nothing, whatever version it names: a deposed writer
 *       must stop, not retry.
 *   <li><b>Version check.</b> Otherwise (equal or higher epoch) the write applies only if the
 *       stored version is {@code expectedVersion} (0: only if there is no manifest yet), and
 *       returns {@link CasResult.Won} with the new version; else {@link CasResult#lost()} and the
 *       writer reads again.
 *   <li><b>Versions</b> are positive and strictly increase with every write; one is never
 *       given to two writes.
 *   <li><b>Linearizable</b> like the {@link io.hadb.api.LeaseStore} it may be built on: of N
 *       writers racing from one version exactly one wins, and no acknowledged write is lost.
 *   <li>Names follow {@link Keys} (the register lives under the name); documents are at most
 *       {@link #MAX_DOCUMENT_BYTES}; bad input throws {@link ErrorCode#INVALID_ARGUMENT} before
 *       anything is sent. After {@link #close()} every call throws {@link ErrorCode#CLOSED}.
 * </ul>
 *
 * <p>Implementations are thread-safe.
 */
public interface ManifestStore extends AutoCloseable {

  /** The largest document a conforming store must accept; it fits a lease register with room to spare. */
  int MAX_DOCUMENT_BYTES = 32 * 1024;

  /** The manifest of {@code name}, or empty when none was ever written. */
  Optional<Manifest> read(String name);

  /**
   * Writes {@code document} as the manifest of {@code name} at {@code epoch}, only if the stored
   * version is {@code expectedVersion} (0: only if none exists).
   *
   * @throws HadbException {@link ErrorCode#FENCED} when the stored epoch is higher than
   *     {@code epoch}; {@link ErrorCode#UNKNOWN_OUTCOME} when the store cannot tell whether the
   *     write landed
   */
  CasResult write(String name, long expectedVersion, long epoch, byte[] document);

  /**
   * The operator's recovery for a damaged manifest (DESIGN §10), never a leader's path: replaces
   * the manifest of {@code name} whose stored bytes fail their check ({@link #read} throws
   * {@link ErrorCode#CORRUPT}) with {@code document} at {@code epoch}, or creates it when none is
   * stored. A damaged register's epoch cannot be trusted, so the caller names one (the chain's
   * newest epoch: no leader is later). Throws {@link ErrorCode#INVALID_ARGUMENT} when the stored
   * manifest reads fine (then {@link #write} it), {@link CasResult#lost()} when it changed meanwhile.
   */
  default CasResult replaceDamaged(String name, long epoch, byte[] document) {
    throw HadbException.unsupported(getClass().getSimpleName() + " cannot replace a damaged manifest");
  }

  /** Releases what the store holds. Idempotent; afterwards every call throws {@link ErrorCode#CLOSED}. */
  @Override
  void close();

  /** Shared argument checks, so every implementation refuses bad input the same way. */
  static void checkWrite(String name, long expectedVersion, long epoch, byte[] document) {
    checkName(name);
    if (expectedVersion < 0) {
      throw HadbException.invalidArgument("expectedVersion must be 0 (no manifest yet) or a stored version,"
          + " was " + expectedVersion);
    }
    if (epoch < 1) {
      throw HadbException.invalidArgument("epoch must be at least 1 (a lease's fencing epoch), was " + epoch);
    }
    HadbException.requireArg(document, "document");
    if (document.length > MAX_DOCUMENT_BYTES) {
      throw HadbException.invalidArgument("manifest document of " + name + " is " + document.length
          + " bytes, the limit is " + MAX_DOCUMENT_BYTES);
    }
  }

  static String checkName(String name) {
    HadbException.requireArg(name, "manifest name");
    return Keys.validate(name);
  }
}

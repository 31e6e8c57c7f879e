package io.hadb.lease.storage;

import io.hadb.api.HadbException;
import io.hadb.api.HadbUri;
import io.hadb.api.Keys;
import java.util.Locale;
import java.util.Set;

/**
 * How a {@link StorageLeaseStore} lays out and collects its version chains.
 *
 * @param root "" or a key prefix ending with '/' under which every register lives
 * @param keepVersions versions kept per key (at least {@value #MIN_KEEP_VERSIONS}); a version is
 *     deleted only once one this many versions newer exists. Clients of one register may use
 *     different values: the protocol trusts only {@value #MIN_KEEP_VERSIONS}, whatever this is
 * @param collectEvery collect after every this many versions of a key
 * @param collection when old versions are deleted
 * @param closeBackend whether closing the store closes the backend
 */
public record StorageLeaseOptions(
    String root, int keepVersions, int collectEvery, Collection collection, boolean closeBackend) {

  public static final int DEFAULT_KEEP_VERSIONS = 16;
  public static final int DEFAULT_COLLECT_EVERY = 8;
  /** The least {@code keepVersions} any client may use; the protocol relies on this one only. */
  public static final int MIN_KEEP_VERSIONS = 2;

  /** When superseded versions are deleted. */
  public enum Collection {
    /** On a background thread of the store, after a won write (the default). */
    BACKGROUND,
    /** In the writing call, after its outcome is known (tests, predictable request counts). */
    INLINE,
    /** Never (inspection, tests). */
    OFF
  }

  public StorageLeaseOptions {
    HadbException.requireArg(root, "root");
    HadbException.requireArg(collection, "collection");
    if (!root.isEmpty()) {
      if (!root.endsWith("/")) {
        throw HadbException.invalidArgument("lease store root must be empty or end with '/', was '" + root + "'");
      }
      Keys.validatePrefix(root);
    }
    if (keepVersions < MIN_KEEP_VERSIONS) {
      throw HadbException.invalidArgument(
          "keepVersions must be at least " + MIN_KEEP_VERSIONS + ", was " + keepVersions);
    }
    if (collectEvery < 1) {
      throw HadbException.invalidArgument("collectEvery must be at least 1, was " + collectEvery);
    }
  }

  /**
   * The URI parameters of every lease store built on this module ({@code file:}, {@code s3:}):
   * {@code keepVersions}, {@code collectEvery}, {@code collection}, and {@code keep}, the name
   * {@code file:} URIs used for {@code keepVersions}, still accepted.
   */
  public static final Set<String> URI_PARAMS = Set.of("keepVersions", "keep", "collectEvery", "collection");

  /**
   * The defaults with the lease parameters of {@code uri} applied (see {@link #URI_PARAMS});
   * other parameters are left to the caller. A bad value, or both {@code keepVersions} and
   * {@code keep}, is {@code INVALID_ARGUMENT} naming the parameter.
   */
  public static StorageLeaseOptions from(HadbUri uri) {
    HadbException.requireArg(uri, "uri");
    String keepName = "keepVersions";
    if (uri.param("keep").isPresent()) {
      if (uri.param(keepName).isPresent()) {
        throw HadbException.invalidArgument("URI parameters 'keepVersions' and 'keep' name the same"
            + " setting; give keepVersions only: " + uri);
      }
      keepName = "keep";
    }
    return defaults()
        .withKeepVersions(uri.intParam(keepName, DEFAULT_KEEP_VERSIONS, MIN_KEEP_VERSIONS, 1000))
        .withCollectEvery(uri.intParam("collectEvery", DEFAULT_COLLECT_EVERY, 1, 1000))
        .withCollection(collection(uri));
  }

  private static Collection collection(HadbUri uri) {
    String v = uri.param("collection", "background").strip();
    try {
      return Collection.valueOf(v.toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw HadbException.invalidArgument(
          "URI parameter 'collection' must be background, inline or off, was '" + v + "': " + uri);
    }
  }

  public static StorageLeaseOptions defaults() {
    return new StorageLeaseOptions("", DEFAULT_KEEP_VERSIONS, DEFAULT_COLLECT_EVERY, Collection.BACKGROUND, true);
  }

  public StorageLeaseOptions withRoot(String r) {
    return new StorageLeaseOptions(r, keepVersions, collectEvery, collection, closeBackend);
  }

  public StorageLeaseOptions withKeepVersions(int k) {
    return new StorageLeaseOptions(root, k, collectEvery, collection, closeBackend);
  }

  public StorageLeaseOptions withCollectEvery(int n) {
    return new StorageLeaseOptions(root, keepVersions, n, collection, closeBackend);
  }

  public StorageLeaseOptions withCollection(Collection c) {
    return new StorageLeaseOptions(root, keepVersions, collectEvery, c, closeBackend);
  }

  public StorageLeaseOptions withCloseBackend(boolean close) {
    return new StorageLeaseOptions(root, keepVersions, collectEvery, collection, close);
  }
}

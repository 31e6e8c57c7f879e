package io.hadb.lease.s3;

import io.hadb.api.HadbException;
import io.hadb.api.HadbUri;
import io.hadb.lease.storage.StorageLeaseOptions;
import io.hadb.storage.s3.S3Config;
import java.time.Duration;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * The settings of an {@code s3:} lease store: the storage-s3 URI of the bucket and prefix that
 * hold the version chains, plus the lease parameters, which are taken out before the rest is
 * handed to {@link S3Config#from}:
 *
 * <pre>s3://bucket/prefix?endpoint=...&amp;region=...&amp;pathStyle=true&amp;timeout=10s&amp;keepVersions=16</pre>
 *
 * <p>Secrets ({@code accessKey}, {@code secretKey}, {@code sessionToken}) stay in {@code storage}
 * and are masked whenever the URI is printed.
 *
 * @param storage the S3 settings; their request timeouts are derived from {@code timeout}
 * @param options how the version chains are collected
 * @param timeout bound on one lease call against a store that does not answer
 * @param uri the whole URI, for messages (secrets masked when printed)
 */
public record S3LeaseConfig(S3Config storage, StorageLeaseOptions options, Duration timeout, HadbUri uri) {

  public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(10);

  /**
   * Storage requests one lease call can spend waiting on a dead store before it gives up: a
   * conditional PUT, the PUT's own read-back, and the lease store's read-back after a failed
   * PUT (the slowest path, see the README); a quarter is left for the requests that came before.
   */
  static final int REQUEST_SHARE = 4;

  /** {@code timeout} and the chain's parameters ({@link StorageLeaseOptions#URI_PARAMS}). */
  static final Set<String> LEASE_PARAMS = leaseParams();

  /** storage-s3 timeouts that {@code timeout} sets; giving them as well would be ambiguous. */
  private static final Set<String> DERIVED = Set.of("apiCallTimeout", "attemptTimeout");

  public static S3LeaseConfig from(HadbUri uri) {
    if (!"s3".equals(uri.scheme())) {
      throw HadbException.invalidArgument("not an s3: URI: " + uri);
    }
    for (String name : DERIVED) {
      if (uri.param(name).isPresent()) {
        throw HadbException.invalidArgument("URI parameter '" + name + "' is set by the lease"
            + " parameter 'timeout' in an s3: lease URI (each S3 request gets a quarter of it);"
            + " set timeout=... instead: " + uri);
      }
    }
    Set<String> known = new HashSet<>(S3Config.PARAMS);
    known.removeAll(DERIVED);
    known.addAll(LEASE_PARAMS);
    uri.rejectUnknownParams(known);
    Duration timeout = uri.durationParam("timeout", DEFAULT_TIMEOUT);
    if (timeout.compareTo(Duration.ofMillis(100)) < 0) {
      throw HadbException.invalidArgument(
          "URI parameter 'timeout' must be at least 100ms, was " + timeout.toMillis() + "ms: " + uri);
    }
    StorageLeaseOptions options = StorageLeaseOptions.from(uri);
    Duration request = timeout.dividedBy(REQUEST_SHARE);
    Map<String, String> storageParams = new LinkedHashMap<>();
    uri.params().forEach((name, value) -> {
      if (!LEASE_PARAMS.contains(name)) {
        storageParams.put(name, value);
      }
    });
    storageParams.put("apiCallTimeout", request.toMillis() + "ms");
    storageParams.put("attemptTimeout", request.toMillis() + "ms");
    S3Config storage = S3Config.from(new HadbUri(uri.scheme(), uri.authority(), uri.path(), storageParams));
    return new S3LeaseConfig(storage, options, timeout, uri);
  }

  private static Set<String> leaseParams() {
    Set<String> names = new HashSet<>(StorageLeaseOptions.URI_PARAMS);
    names.add("timeout");
    return Set.copyOf(names);
  }

  @Override
  public String toString() {
    return "S3LeaseConfig[" + uri + "]";
  }
}

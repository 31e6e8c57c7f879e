package io.hadb.storage.s3;

import io.hadb.api.HadbException;
import io.hadb.api.HadbUri;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The settings of one {@code s3:} URI:
 * {@code s3://bucket/prefix?endpoint=http://127.0.0.1:9000&region=us-east-1&pathStyle=true}.
 *
 * <p>Secrets ({@code accessKey}, {@code secretKey}, {@code sessionToken}) are kept here but never
 * printed: {@link #toString()} shows the URI through {@link HadbUri#toString()}, which masks them.
 *
 * @param bucket the bucket name
 * @param prefix the key prefix inside the bucket, empty or ending with {@code /}
 * @param endpoint an S3-compatible endpoint; empty means AWS S3 for the region
 * @param region the signing region; empty means the SDK's default region chain
 * @param pathStyle address the bucket in the path ({@code endpoint/bucket/key}) instead of the
 *     host name; S3Proxy, MinIO and most local stores need it
 * @param accessKey static access key id; empty means the SDK's default credentials chain
 * @param secretKey static secret key, present exactly when {@code accessKey} is
 * @param sessionToken optional session token for temporary static credentials
 * @param apiCallTimeout upper bound of one small call, all SDK retries included
 * @param attemptTimeout upper bound of one HTTP attempt of a small call
 * @param connectTimeout TCP connect timeout
 * @param socketTimeout longest silence while reading or writing a socket; bounds a stalled
 *     upload or download of any size
 * @param maxAttempts attempts per call (1 = no retry), for the SDK and for conditional PUTs
 * @param maxConnections HTTP connection pool size
 * @param partSize multipart part size in bytes
 * @param multipartThreshold bodies longer than this are uploaded in parts
 * @param createBucket create the bucket on open when it does not exist (tests, local stores)
 * @param filesystemCompat append {@value #FS_COMPAT_SUFFIX} to every object name, so that
 *     stores which keep objects as files (S3Proxy's filesystem and transient providers) can hold
 *     an object {@code a} beside an object {@code a/b}; see the README
 * @param uri the URI these settings came from, for messages (secrets masked when printed)
 */
public record S3Config(
    String bucket,
    String prefix,
    Optional<URI> endpoint,
    Optional<String> region,
    boolean pathStyle,
    Optional<String> accessKey,
    Optional<String> secretKey,
    Optional<String> sessionToken,
    Duration apiCallTimeout,
    Duration attemptTimeout,
    Duration connectTimeout,
    Duration socketTimeout,
    int maxAttempts,
    int maxConnections,
    long partSize,
    long multipartThreshold,
    boolean createBucket,
    boolean filesystemCompat,
    HadbUri uri) {

  /** The suffix {@code filesystemCompat} appends: below every key character, so order holds. */
  public static final String FS_COMPAT_SUFFIX = "!";

  public static final long MIN_PART_SIZE = 5L * 1024 * 1024;
  public static final long MAX_PART_SIZE = 5L * 1024 * 1024 * 1024;
  public static final long DEFAULT_PART_SIZE = 16L * 1024 * 1024;

  /** Every parameter an {@code s3:} storage URI may carry. */
  public static final Set<String> PARAMS = Set.of(
      "endpoint", "region", "pathStyle", "accessKey", "secretKey", "sessionToken",
      "apiCallTimeout", "attemptTimeout", "connectTimeout", "socketTimeout", "maxAttempts",
      "maxConnections", "partSizeMiB", "multipartThresholdMiB", "createBucket", "filesystemCompat");

  // S3's bucket naming rules, the dotted-IP form excepted.
  private static final Pattern BUCKET = Pattern.compile("[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]");

  public S3Config {
    if (accessKey.isPresent() != secretKey.isPresent()) {
      throw HadbException.invalidArgument(
          "URI parameters 'accessKey' and 'secretKey' must be given together: " + uri);
    }
  }

  /** Parses and validates an {@code s3:} URI, naming the offending part on error. */
  public static S3Config from(HadbUri uri) {
    if (!"s3".equals(uri.scheme())) {
      throw HadbException.invalidArgument("not an s3: URI: " + uri);
    }
    uri.rejectUnknownParams(PARAMS);
    if (uri.userInfo().isPresent()) {
      throw HadbException.invalidArgument(
          "s3: URIs take credentials as accessKey/secretKey parameters, not user info: " + uri);
    }
    String bucket = uri.authority();
    if (bucket.isEmpty()) {
      throw HadbException.invalidArgument("s3: URI has no bucket (expected s3://bucket/prefix): " + uri);
    }
    if (!BUCKET.matcher(bucket).matches() || bucket.contains("..")) {
      throw HadbException.invalidArgument("'" + bucket + "' is not a valid S3 bucket name"
          + " (3-63 characters of a-z 0-9 . -, starting and ending with a letter or digit): " + uri);
    }
    String prefix = normalizePrefix(uri);
    Optional<URI> endpoint = uri.param("endpoint").map(e -> parseEndpoint(e, uri));
    Optional<String> region = uri.param("region").map(String::strip).filter(r -> !r.isEmpty());
    if (region.isPresent() && !region.get().matches("[a-z0-9-]{1,64}")) {
      throw HadbException.invalidArgument(
          "URI parameter 'region' must look like us-east-1, was '" + region.get() + "': " + uri);
    }
    Optional<String> accessKey = uri.param("accessKey").filter(s -> !s.isEmpty());
    Optional<String> secretKey = uri.param("secretKey").filter(s -> !s.isEmpty());
    Optional<String> sessionToken = uri.param("sessionToken").filter(s -> !s.isEmpty());
    if (sessionToken.isPresent() && accessKey.isEmpty()) {
      throw HadbException.invalidArgument(
          "URI parameter 'sessionToken' needs 'accessKey' and 'secretKey': " + uri);
    }
    Duration apiCallTimeout = uri.durationParam("apiCallTimeout", Duration.ofSeconds(30));
    Duration attemptTimeout = uri.durationParam("attemptTimeout", Duration.ofSeconds(10));
    if (attemptTimeout.compareTo(apiCallTimeout) > 0) {
      attemptTimeout = apiCallTimeout;
    }
    Duration connectTimeout = uri.durationParam("connectTimeout", Duration.ofSeconds(5));
    Duration socketTimeout = uri.durationParam("socketTimeout", Duration.ofSeconds(30));
    int maxAttempts = uri.intParam("maxAttempts", 3, 1, 20);
    int maxConnections = uri.intParam("maxConnections", 64, 1, 10_000);
    long partSize = uri.intParam("partSizeMiB", (int) (DEFAULT_PART_SIZE >> 20), 5, 5 * 1024) * 1024L * 1024L;
    long threshold = uri.intParam("multipartThresholdMiB", (int) (partSize >> 20), 5, 5 * 1024) * 1024L * 1024L;
    return new S3Config(bucket, prefix, endpoint, region, uri.boolParam("pathStyle", false),
        accessKey, secretKey, sessionToken, apiCallTimeout, attemptTimeout, connectTimeout,
        socketTimeout, maxAttempts, maxConnections, partSize, threshold,
        uri.boolParam("createBucket", false), uri.boolParam("filesystemCompat", false), uri);
  }

  private static String normalizePrefix(HadbUri uri) {
    String p = uri.path();
    while (p.startsWith("/")) {
      p = p.substring(1);
    }
    while (p.endsWith("/")) {
      p = p.substring(0, p.length() - 1);
    }
    if (p.isEmpty()) {
      return "";
    }
    // The prefix follows the same key syntax as keys, so the bucket layout stays portable.
    try {
      io.hadb.api.Keys.validate(p);
    } catch (HadbException e) {
      throw HadbException.invalidArgument("s3: URI prefix '" + p + "' is not valid: "
          + e.getMessage().replaceFirst("^INVALID_ARGUMENT: ", "") + ": " + uri);
    }
    return p + "/";
  }

  private static URI parseEndpoint(String value, HadbUri uri) {
    try {
      URI e = new URI(value.strip());
      String scheme = e.getScheme() == null ? "" : e.getScheme().toLowerCase(Locale.ROOT);
      if (!scheme.equals("http") && !scheme.equals("https") || e.getHost() == null) {
        throw new URISyntaxException(value, "expected http://host[:port] or https://host[:port]");
      }
      if (e.getRawQuery() != null || e.getRawUserInfo() != null) {
        throw new URISyntaxException(value, "the endpoint must not hold a query or user info");
      }
      return e;
    } catch (URISyntaxException ex) {
      throw HadbException.invalidArgument("URI parameter 'endpoint' must be http(s)://host[:port], was '"
          + value + "' (" + ex.getReason() + "): " + uri);
    }
  }

  /** Where to say the bucket is, in messages: {@code s3://bucket/prefix at endpoint}. */
  String where() {
    return "s3://" + bucket + "/" + prefix + endpoint.map(e -> " at " + e).orElse("");
  }

  @Override
  public String toString() {
    return "S3Config[" + uri + "]";
  }
}

package io.hadb.lease.nats;

import io.hadb.api.HadbException;
import io.hadb.api.HadbUri;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The settings of a {@code nats:} lease store, parsed from its URI:
 *
 * <pre>nats://[user:password@ | token@]host[:port][,host[:port]...]?bucket=NAME[&amp;...]</pre>
 *
 * @param uri the URI, for messages (its {@code toString()} masks secrets)
 * @param servers one or more servers of one NATS cluster; default port 4222
 * @param bucket the JetStream KV bucket that is the namespace; created if missing
 * @param user user name (from the URI's user info), if any
 * @param password password (from the URI's user info), if any
 * @param token auth token (user info without ':' or {@code token=}), if any
 * @param creds path of a {@code .creds} file (JWT + NKey seed), if any
 * @param tls whether to use TLS (implied by the other {@code tls*} parameters)
 * @param tlsCa PEM file of CA certificates to trust instead of the JVM's default trust store
 * @param tlsKeystore PKCS#12/JKS file holding a client certificate for mutual TLS
 * @param tlsKeystorePassword its password
 * @param connectTimeout bound on establishing the connection at open
 * @param requestTimeout bound on one call: every read, and every write up to its first answer
 * @param resolveTimeout extra time a write whose outcome was lost (timeout after send, dropped
 *     connection) may spend learning it before it reports {@code UNKNOWN_OUTCOME}
 * @param replicas stream replicas when this store creates the bucket
 */
public record NatsLeaseConfig(
    HadbUri uri,
    List<HadbUri.HostPort> servers,
    String bucket,
    Optional<String> user,
    Optional<String> password,
    Optional<String> token,
    Optional<Path> creds,
    boolean tls,
    Optional<Path> tlsCa,
    Optional<Path> tlsKeystore,
    Optional<String> tlsKeystorePassword,
    Duration connectTimeout,
    Duration requestTimeout,
    Duration resolveTimeout,
    int replicas) {

  public static final int DEFAULT_PORT = 4222;
  public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(5);
  public static final Duration DEFAULT_REQUEST_TIMEOUT = Duration.ofSeconds(2);

  static final Set<String> PARAMS = Set.of(
      "bucket", "token", "creds", "tls", "tlsCa", "tlsKeystore", "tlsKeystorePassword",
      "connectTimeout", "requestTimeout", "resolveTimeout", "replicas");

  public NatsLeaseConfig {
    servers = List.copyOf(servers);
  }

  /** Parses and validates; fails naming the offending part of the URI. */
  public static NatsLeaseConfig from(HadbUri uri) {
    if (!uri.scheme().equals("nats")) {
      throw HadbException.invalidArgument("not a nats: URI: " + uri);
    }
    uri.rejectUnknownParams(PARAMS);
    if (!uri.path().isEmpty() && !uri.path().equals("/")) {
      throw HadbException.invalidArgument(
          "a nats: URI has no path (the bucket is the 'bucket' parameter), found '" + uri.path()
              + "': " + uri);
    }
    List<HadbUri.HostPort> servers = uri.hosts(DEFAULT_PORT);
    if (servers.isEmpty()) {
      throw HadbException.invalidArgument(
          "a nats: URI needs at least one host, as in nats://127.0.0.1:4222?bucket=leases: " + uri);
    }
    String bucket = uri.requireParam("bucket");
    if (!bucket.matches("[A-Za-z0-9_-]{1,200}")) {
      throw HadbException.invalidArgument(
          "URI parameter 'bucket' must be 1-200 characters of A-Z a-z 0-9 _ -, was '" + bucket
              + "': " + uri);
    }

    Optional<String> user = Optional.empty();
    Optional<String> password = Optional.empty();
    Optional<String> token = uri.param("token").filter(t -> !t.isEmpty());
    Optional<String> info = uri.userInfo();
    if (info.isPresent()) {
      String ui = decodeUserInfo(info.get(), uri);
      int colon = ui.indexOf(':');
      if (colon >= 0) {
        user = Optional.of(ui.substring(0, colon));
        password = Optional.of(ui.substring(colon + 1));
      } else if (token.isPresent()) {
        throw HadbException.invalidArgument(
            "the URI gives a token twice (as user info and as 'token'): " + uri);
      } else {
        token = Optional.of(ui);
      }
    }
    Optional<Path> creds = existingFile(uri, "creds");
    if (creds.isPresent() && (user.isPresent() || token.isPresent())) {
      throw HadbException.invalidArgument(
          "URI parameter 'creds' cannot be combined with a user, password or token: " + uri);
    }
    if (user.isPresent() && token.isPresent()) {
      throw HadbException.invalidArgument(
          "URI parameter 'token' cannot be combined with user:password: " + uri);
    }

    Optional<Path> tlsCa = existingFile(uri, "tlsCa");
    Optional<Path> tlsKeystore = existingFile(uri, "tlsKeystore");
    Optional<String> tlsKeystorePassword = uri.param("tlsKeystorePassword");
    if (tlsKeystorePassword.isPresent() && tlsKeystore.isEmpty()) {
      throw HadbException.invalidArgument(
          "URI parameter 'tlsKeystorePassword' needs 'tlsKeystore': " + uri);
    }
    boolean tlsImplied = tlsCa.isPresent() || tlsKeystore.isPresent();
    boolean tls = uri.boolParam("tls", tlsImplied);
    if (!tls && tlsImplied) {
      throw HadbException.invalidArgument(
          "URI sets tls=false but also 'tlsCa' or 'tlsKeystore': " + uri);
    }

    Duration connectTimeout = uri.durationParam("connectTimeout", DEFAULT_CONNECT_TIMEOUT);
    Duration requestTimeout = uri.durationParam("requestTimeout", DEFAULT_REQUEST_TIMEOUT);
    Duration resolveTimeout = uri.durationParam("resolveTimeout", requestTimeout);
    int replicas = uri.intParam("replicas", 1, 1, 5);
    return new NatsLeaseConfig(uri, servers, bucket, user, password, token, creds, tls, tlsCa,
        tlsKeystore, tlsKeystorePassword, connectTimeout, requestTimeout, resolveTimeout, replicas);
  }

  private static String decodeUserInfo(String raw, HadbUri uri) {
    try {
      return java.net.URLDecoder.decode(raw.replace("+", "%2B"), java.nio.charset.StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      throw HadbException.invalidArgument("the URI's user info has a bad percent-escape: " + uri);
    }
  }

  private static Optional<Path> existingFile(HadbUri uri, String name) {
    Optional<String> v = uri.param(name);
    if (v.isEmpty()) {
      return Optional.empty();
    }
    Path p = Paths.get(v.get());
    if (!Files.isRegularFile(p) || !Files.isReadable(p)) {
      throw HadbException.invalidArgument(
          "URI parameter '" + name + "' names no readable file ('" + v.get() + "'): " + uri);
    }
    return Optional.of(p);
  }

  /** The server list in jnats' form. */
  String[] serverUrls() {
    return servers.stream()
        .map(h -> (tls ? "tls://" : "nats://") + h)
        .toArray(String[]::new);
  }

  /** The masked URI: records print every field, and some of ours are secrets. */
  @Override
  public String toString() {
    return "NatsLeaseConfig[" + uri + "]";
  }
}

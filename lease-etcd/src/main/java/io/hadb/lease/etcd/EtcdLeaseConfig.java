package io.hadb.lease.etcd;

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
 * The settings of an {@code etcd:} lease store, parsed from its URI:
 *
 * <pre>etcd://[user:password@]host[:port][,host[:port]...][?prefix=P&amp;...]</pre>
 *
 * @param uri the URI, for messages (its {@code toString()} masks secrets)
 * @param endpoints members of one etcd cluster; default port 2379
 * @param prefix prepended to every key; the namespace two stores share when equal
 * @param user etcd user (from the URI's user info), if any
 * @param password its password
 * @param tls whether to use TLS ({@code https}); implied by the other {@code tls*} parameters
 * @param tlsCa PEM file of CA certificates to trust instead of the JVM's defaults
 * @param tlsCert PEM client certificate chain for mutual TLS
 * @param tlsKey PEM PKCS#8 private key of {@code tlsCert}
 * @param connectTimeout bound on connecting (and on the check made at open)
 * @param requestTimeout bound on one call: every read, and every write up to its first answer
 * @param resolveTimeout extra time a write whose outcome was lost may spend learning it before
 *     it reports {@code UNKNOWN_OUTCOME}
 */
public record EtcdLeaseConfig(
    HadbUri uri,
    List<HadbUri.HostPort> endpoints,
    String prefix,
    Optional<String> user,
    Optional<String> password,
    boolean tls,
    Optional<Path> tlsCa,
    Optional<Path> tlsCert,
    Optional<Path> tlsKey,
    Duration connectTimeout,
    Duration requestTimeout,
    Duration resolveTimeout) {

  public static final int DEFAULT_PORT = 2379;
  public static final String DEFAULT_PREFIX = "hadb/";
  public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(5);
  public static final Duration DEFAULT_REQUEST_TIMEOUT = Duration.ofSeconds(2);

  static final Set<String> PARAMS = Set.of(
      "prefix", "tls", "tlsCa", "tlsCert", "tlsKey",
      "connectTimeout", "requestTimeout", "resolveTimeout");

  public EtcdLeaseConfig {
    endpoints = List.copyOf(endpoints);
  }

  /** Parses and validates; fails naming the offending part of the URI. */
  public static EtcdLeaseConfig from(HadbUri uri) {
    if (!uri.scheme().equals("etcd")) {
      throw HadbException.invalidArgument("not an etcd: URI: " + uri);
    }
    uri.rejectUnknownParams(PARAMS);
    if (!uri.path().isEmpty() && !uri.path().equals("/")) {
      throw HadbException.invalidArgument(
          "an etcd: URI has no path (the key prefix is the 'prefix' parameter), found '"
              + uri.path() + "': " + uri);
    }
    List<HadbUri.HostPort> endpoints = uri.hosts(DEFAULT_PORT);
    if (endpoints.isEmpty()) {
      throw HadbException.invalidArgument(
          "an etcd: URI needs at least one host, as in etcd://127.0.0.1:2379?prefix=hadb/: " + uri);
    }
    String prefix = uri.param("prefix", DEFAULT_PREFIX);
    for (int i = 0; i < prefix.length(); i++) {
      char c = prefix.charAt(i);
      if (c < 0x20 || c > 0x7e) {
        throw HadbException.invalidArgument(
            "URI parameter 'prefix' must be printable ASCII: " + uri);
      }
    }

    Optional<String> user = Optional.empty();
    Optional<String> password = Optional.empty();
    Optional<String> info = uri.userInfo();
    if (info.isPresent()) {
      String ui = decodeUserInfo(info.get(), uri);
      int colon = ui.indexOf(':');
      if (colon <= 0) {
        throw HadbException.invalidArgument(
            "the URI's user info must be user:password for etcd authentication: " + uri);
      }
      user = Optional.of(ui.substring(0, colon));
      password = Optional.of(ui.substring(colon + 1));
    }

    Optional<Path> tlsCa = existingFile(uri, "tlsCa");
    Optional<Path> tlsCert = existingFile(uri, "tlsCert");
    Optional<Path> tlsKey = existingFile(uri, "tlsKey");
    if (tlsCert.isPresent() != tlsKey.isPresent()) {
      throw HadbException.invalidArgument(
          "URI parameters 'tlsCert' and 'tlsKey' go together (mutual TLS): " + uri);
    }
    boolean tlsImplied = tlsCa.isPresent() || tlsCert.isPresent();
    boolean tls = uri.boolParam("tls", tlsImplied);
    if (!tls && tlsImplied) {
      throw HadbException.invalidArgument(
          "URI sets tls=false but also 'tlsCa' or 'tlsCert': " + uri);
    }

    Duration connectTimeout = uri.durationParam("connectTimeout", DEFAULT_CONNECT_TIMEOUT);
    Duration requestTimeout = uri.durationParam("requestTimeout", DEFAULT_REQUEST_TIMEOUT);
    Duration resolveTimeout = uri.durationParam("resolveTimeout", requestTimeout);
    return new EtcdLeaseConfig(uri, endpoints, prefix, user, password, tls, tlsCa, tlsCert,
        tlsKey, connectTimeout, requestTimeout, resolveTimeout);
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
          "URI parameter '" + name + "' names no readable file: " + uri);
    }
    return Optional.of(p);
  }

  /** Endpoints in jetcd's form. */
  String[] endpointUrls() {
    return endpoints.stream().map(h -> (tls ? "https://" : "http://") + h).toArray(String[]::new);
  }

  /** The masked URI: records print every field, and some of ours are secrets. */
  @Override
  public String toString() {
    return "EtcdLeaseConfig[" + uri + "]";
  }
}

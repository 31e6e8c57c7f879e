package io.hadb.coordinator.lease;

import io.hadb.api.HadbException;
import io.hadb.api.Keys;
import io.hadb.coordinator.Role;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.util.EnumSet;
import java.util.Set;

/**
 * What one node needs to take part in electing the leader of one database. Every check of modes,
 * roles and identities happens here, once, when the configuration is built (that is, at open):
 * a node never starts with a combination hadb does not implement.
 *
 * @param database the database name; the lease register is {@code <database>/lease}
 * @param nodeId this node's id, unique among the nodes of the database (1–255 UTF-8 bytes)
 * @param address where followers forward writes while this node leads ({@code http://host:port}),
 *     or empty when this node never accepts forwarded writes
 * @param mode only {@link HaMode#SINGLE_WRITER} is implemented
 * @param roles the roles this node may take: {@code {LEADER, FOLLOWER}} (a candidate, the
 *     default) or {@code {FOLLOWER}} (a read replica that never claims the lease)
 * @param timings the lease timings
 */
public record CoordinatorConfig(
    String database, String nodeId, String address, HaMode mode, Set<Role> roles, LeaseTimings timings) {

  public static final Set<Role> CANDIDATE = Set.of(Role.LEADER, Role.FOLLOWER);
  public static final Set<Role> READ_REPLICA = Set.of(Role.FOLLOWER);

  public CoordinatorConfig {
    HadbException.requireArg(database, "database");
    HadbException.requireArg(nodeId, "nodeId");
    HadbException.requireArg(address, "address");
    HadbException.requireArg(timings, "timings");
    roles = Set.copyOf(EnumSet.copyOf(validateModeAndRoles(mode, roles)));
    Keys.validate(database + "/lease");
    int idBytes = nodeId.getBytes(StandardCharsets.UTF_8).length;
    if (idBytes == 0 || idBytes > 255) {
      throw HadbException.invalidArgument("nodeId must be 1-255 UTF-8 bytes, was " + idBytes + ": '" + nodeId + "'");
    }
    validateAddress(address);
  }

  /** A candidate in single-writer mode with default timings. */
  public static CoordinatorConfig candidate(String database, String nodeId, String address) {
    return new CoordinatorConfig(database, nodeId, address, HaMode.SINGLE_WRITER, CANDIDATE, LeaseTimings.defaults());
  }

  public CoordinatorConfig withTimings(LeaseTimings t) {
    return new CoordinatorConfig(database, nodeId, address, mode, roles, t);
  }

  public CoordinatorConfig withRoles(Set<Role> r) {
    return new CoordinatorConfig(database, nodeId, address, mode, r, timings);
  }

  /** The key of the lease register in the lease store. */
  public String leaseKey() {
    return database + "/lease";
  }

  /** Whether this node may claim the lease. */
  public boolean mayLead() {
    return roles.contains(Role.LEADER);
  }

  /**
   * The one place that decides which modes and roles are implemented. Unsupported choices fail
   * here, at open, with a message that says what to use instead, never later at runtime.
   */
  static Set<Role> validateModeAndRoles(HaMode mode, Set<Role> roles) {
    HadbException.requireArg(mode, "mode");
    HadbException.requireArg(roles, "roles");
    if (mode != HaMode.SINGLE_WRITER) {
      throw HadbException.unsupported("mode " + mode + " is not implemented; hadb-java runs "
          + HaMode.SINGLE_WRITER + " (one leader per database, elected by the lease, followers forward writes)");
    }
    if (roles.isEmpty()) {
      throw HadbException.invalidArgument("roles must not be empty; use " + CANDIDATE + " (may lead) or "
          + READ_REPLICA + " (never leads)");
    }
    if (roles.contains(Role.CLIENT)) {
      throw HadbException.unsupported("role CLIENT (no local copy) is not a node role; use HaClient for a"
          + " process without a local copy, or run the node as " + READ_REPLICA
          + " to keep a local copy without ever leading");
    }
    if (!roles.contains(Role.FOLLOWER)) {
      throw HadbException.invalidArgument("roles " + roles + " lack FOLLOWER: a leader that loses the lease"
          + " becomes a follower again, so a node that may lead must also follow; use " + CANDIDATE);
    }
    return roles;
  }

  private static void validateAddress(String address) {
    if (address.isEmpty()) {
      return;
    }
    try {
      URI uri = new URI(address);
      String scheme = uri.getScheme();
      if (scheme == null || !(scheme.equals("http") || scheme.equals("https")) || uri.getHost() == null) {
        throw HadbException.invalidArgument(
            "address must be an http:// or https:// URL with a host, as in http://10.0.0.5:8095, was '" + address + "'");
      }
      if (uri.getUserInfo() != null) {
        throw HadbException.invalidArgument(
            "address must not carry credentials: it is stored in the lease record, readable by every node");
      }
    } catch (URISyntaxException e) {
      throw HadbException.invalidArgument(
          "address is not a valid URL: " + e.getReason() + " at index " + e.getIndex());
    }
    if (address.getBytes(StandardCharsets.UTF_8).length > io.hadb.coordinator.lease.LeaseRecordCodec.MAX_ADDRESS_BYTES) {
      throw HadbException.invalidArgument("address is longer than "
          + io.hadb.coordinator.lease.LeaseRecordCodec.MAX_ADDRESS_BYTES + " bytes");
    }
  }
}

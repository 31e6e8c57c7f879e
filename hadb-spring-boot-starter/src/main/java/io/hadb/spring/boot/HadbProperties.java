package io.hadb.spring.boot;

import io.hadb.api.Durability;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The {@code hadb.*} properties: what {@code HaDatabase.builder()} takes, by the same names. Lease
 * and storage URIs and the secret may also come from the builder's environment variables
 * ({@code HADB_LEASE_URL}, {@code HADB_STORAGE_URL}, {@code HADB_FORWARD_SECRET}).
 */
@ConfigurationProperties(prefix = "hadb")
public class HadbProperties {
  /** The database file on this node. Required. */
  private String path;
  /** The database's name in storage and the lease store. */
  private String database = "default";
  /** The engine provider's name. */
  private String engine = "sqlite";
  private String lease;
  private String storage;
  private Durability durability = Durability.SYNC;
  private String nodeId;
  /** An address the other nodes reach this node at. */
  private String address = "127.0.0.1";
  /** This node's port for forwarding and transactions; 0 picks a free one. */
  private int port;
  private String secret;
  /** The run-once schema script (the simple path; use migrations or Flyway for a history). */
  private String schema = "";
  /** How long startup waits for a leader and the schema. */
  private Duration readyTimeout = Duration.ofSeconds(30);
  /** The longest a JDBC transaction may stay open. */
  private Duration transactionLifetime = Duration.ofSeconds(30);
  /** Health is DOWN on a follower more changesets behind than this at its last pull. */
  private long maxLagChangesets = 1000;

  public String getPath() {
    return path;
  }

  public void setPath(String path) {
    this.path = path;
  }

  public String getDatabase() {
    return database;
  }

  public void setDatabase(String database) {
    this.database = database;
  }

  public String getEngine() {
    return engine;
  }

  public void setEngine(String engine) {
    this.engine = engine;
  }

  public String getLease() {
    return lease;
  }

  public void setLease(String lease) {
    this.lease = lease;
  }

  public String getStorage() {
    return storage;
  }

  public void setStorage(String storage) {
    this.storage = storage;
  }

  public Durability getDurability() {
    return durability;
  }

  public void setDurability(Durability durability) {
    this.durability = durability;
  }

  public String getNodeId() {
    return nodeId;
  }

  public void setNodeId(String nodeId) {
    this.nodeId = nodeId;
  }

  public String getAddress() {
    return address;
  }

  public void setAddress(String address) {
    this.address = address;
  }

  public int getPort() {
    return port;
  }

  public void setPort(int port) {
    this.port = port;
  }

  public String getSecret() {
    return secret;
  }

  public void setSecret(String secret) {
    this.secret = secret;
  }

  public String getSchema() {
    return schema;
  }

  public void setSchema(String schema) {
    this.schema = schema;
  }

  public Duration getReadyTimeout() {
    return readyTimeout;
  }

  public void setReadyTimeout(Duration readyTimeout) {
    this.readyTimeout = readyTimeout;
  }

  public Duration getTransactionLifetime() {
    return transactionLifetime;
  }

  public void setTransactionLifetime(Duration transactionLifetime) {
    this.transactionLifetime = transactionLifetime;
  }

  public long getMaxLagChangesets() {
    return maxLagChangesets;
  }

  public void setMaxLagChangesets(long maxLagChangesets) {
    this.maxLagChangesets = maxLagChangesets;
  }
}

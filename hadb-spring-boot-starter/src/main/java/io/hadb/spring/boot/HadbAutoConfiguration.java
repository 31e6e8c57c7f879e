package io.hadb.spring.boot;

import io.hadb.coordinator.HaDatabase;
import io.hadb.coordinator.HaDatabaseBuilder;
import io.hadb.jdbc.HaDataSource;
import java.nio.file.Path;
import javax.sql.DataSource;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.autoconfigure.jdbc.DataSourceAutoConfiguration;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * An {@link HaDatabase} from {@code hadb.*} (present when {@code hadb.path} is set) and its
 * {@link HaDataSource} as the application's {@link DataSource}, before Boot's own DataSource
 * configuration. The database bean's destroy method is {@code close()}: the graceful hand-off
 * (ship, stop publishing, release the lease) when the context shuts down. Startup waits, up to
 * {@code hadb.ready-timeout}, until a leader runs and this copy holds the schema.
 */
@AutoConfiguration(before = DataSourceAutoConfiguration.class)
@ConditionalOnClass(HaDatabase.class)
@ConditionalOnProperty(prefix = "hadb", name = "path")
@EnableConfigurationProperties(HadbProperties.class)
public class HadbAutoConfiguration {

  @Bean(destroyMethod = "close")
  @ConditionalOnMissingBean
  public HaDatabase hadbDatabase(HadbProperties p) {
    HaDatabaseBuilder b = HaDatabase.builder()
        .engine(p.getEngine())
        .database(p.getDatabase())
        .durability(p.getDurability())
        .forwardAddress(p.getAddress())
        .forwardPort(p.getPort())
        .closeOnShutdown(false); // the context closes it, in order with the beans that use it
    if (p.getLease() != null) {
      b.lease(p.getLease());
    }
    if (p.getStorage() != null) {
      b.storage(p.getStorage());
    }
    if (p.getNodeId() != null) {
      b.nodeId(p.getNodeId());
    }
    if (p.getSecret() != null) {
      b.secret(p.getSecret());
    }
    HaDatabase db = b.open(Path.of(p.getPath()), p.getSchema());
    try {
      db.awaitReady(p.getReadyTimeout());
    } catch (RuntimeException e) {
      db.close();
      throw e;
    }
    return db;
  }

  @Bean
  @ConditionalOnMissingBean(DataSource.class)
  public HaDataSource hadbDataSource(HaDatabase db, HadbProperties p) {
    return HaDataSource.of(db).withTransactionLifetime(p.getTransactionLifetime());
  }

  /** The health indicator, when Spring Boot Actuator is present. */
  @Configuration(proxyBeanMethods = false)
  @ConditionalOnClass(name = "org.springframework.boot.actuate.health.HealthIndicator")
  static class Health {
    @Bean
    @ConditionalOnMissingBean(name = "hadbHealthIndicator")
    public HadbHealthIndicator hadbHealthIndicator(HaDatabase db, HadbProperties p) {
      return new HadbHealthIndicator(db, p.getMaxLagChangesets());
    }
  }
}

package io.hadb.lease.nats.internal;

import io.hadb.api.HadbException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.util.Collection;
import java.util.Optional;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/** Builds the TLS context of a NATS connection from the URI's TLS parameters. */
public final class TlsContexts {
  private TlsContexts() {}

  /**
   * @param caPem PEM file of the CA certificates to trust; empty = the JVM's default trust store
   * @param keystore PKCS#12 or JKS file with the client certificate and key (mutual TLS); optional
   * @param keystorePassword its password (may be empty)
   */
  public static SSLContext build(Optional<Path> caPem, Optional<Path> keystore, char[] keystorePassword) {
    try {
      TrustManagerFactory tmf = null;
      if (caPem.isPresent()) {
        KeyStore trust = KeyStore.getInstance(KeyStore.getDefaultType());
        trust.load(null, null);
        Collection<? extends Certificate> certs;
        try (InputStream in = Files.newInputStream(caPem.get())) {
          certs = CertificateFactory.getInstance("X.509").generateCertificates(in);
        }
        if (certs.isEmpty()) {
          throw HadbException.invalidArgument(
              "URI parameter 'tlsCa' names a file with no PEM certificate: " + caPem.get());
        }
        int i = 0;
        for (Certificate c : certs) {
          trust.setCertificateEntry("ca-" + i++, c);
        }
        tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trust);
      }
      KeyManagerFactory kmf = null;
      if (keystore.isPresent()) {
        KeyStore ks = KeyStore.getInstance(keystore.get().toFile(), keystorePassword);
        kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(ks, keystorePassword);
      }
      SSLContext ctx = SSLContext.getInstance("TLS");
      ctx.init(kmf == null ? null : kmf.getKeyManagers(), tmf == null ? null : tmf.getTrustManagers(), null);
      return ctx;
    } catch (IOException | GeneralSecurityException e) {
      // The message names the file, never the password.
      throw new HadbException(io.hadb.api.ErrorCode.INVALID_ARGUMENT,
          "could not load TLS material (tlsCa=" + caPem.map(Path::toString).orElse("-")
              + ", tlsKeystore=" + keystore.map(Path::toString).orElse("-") + "): " + e.getMessage(), e);
    }
  }
}

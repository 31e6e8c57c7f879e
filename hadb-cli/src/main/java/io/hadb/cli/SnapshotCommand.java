package io.hadb.cli;

import io.hadb.cli.http.Json;
import java.io.IOException;
import java.io.InputStream;
import java.net.HttpURLConnection;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code hadb snapshot}: asks a running {@code hadb serve} cluster's leader to take a snapshot
 * now ({@code POST /admin/snapshot}). Only the leader can (it owns the chain and the manifest),
 * so the nodes given are asked in turn until one leads.
 */
@Command(name = "snapshot", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
    description = {"Makes the leader of a running hadb serve cluster take a snapshot of a database now (then its",
        "retention runs, as after a scheduled one). Asks each --url in turn until the leader answers.",
        "Example: hadb snapshot --url http://127.0.0.1:4001,http://127.0.0.1:4002 --db app --token-file /etc/hadb/token"})
public final class SnapshotCommand implements Callable<Integer> {
  @Option(names = "--url", required = true, split = ",", defaultValue = "${env:HADB_URLS}",
      description = "HTTP address of one or more hadb serve nodes (env HADB_URLS, comma separated)")
  List<String> urls;

  @Option(names = "--db", defaultValue = "${env:HADB_DB}",
      description = "Database name (env HADB_DB; default: the node's first database)")
  String db;

  @Option(names = "--token-file", defaultValue = "${env:HADB_TOKEN_FILE}",
      description = "File holding the nodes' HTTP token (env HADB_TOKEN_FILE, or the token itself in HADB_TOKEN)")
  Path tokenFile;

  @Option(names = "--timeout", defaultValue = "${env:HADB_SNAPSHOT_TIMEOUT:-10m}",
      description = "How long to wait for the snapshot (env HADB_SNAPSHOT_TIMEOUT; default ${DEFAULT-VALUE})")
  String timeout;

  @Override
  public Integer call() {
    Optional<String> token = ServeCommand.secret("--token-file", tokenFile, "HADB_TOKEN");
    int timeoutMs = (int) Math.min(Integer.MAX_VALUE, ServeCommand.duration("--timeout", timeout).toMillis());
    List<String> problems = new ArrayList<>();
    for (String url : urls) {
      String base = url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
      String target = base + "/admin/snapshot" + (db == null ? ""
          : "?db=" + URLEncoder.encode(db, StandardCharsets.UTF_8));
      try {
        HttpURLConnection c = (HttpURLConnection) URI.create(target).toURL().openConnection();
        c.setRequestMethod("POST");
        c.setConnectTimeout(5000);
        c.setReadTimeout(timeoutMs);
        token.ifPresent(t -> c.setRequestProperty("Authorization", "Bearer " + t));
        c.setDoOutput(true);
        c.getOutputStream().close();
        int status = c.getResponseCode();
        String body;
        try (InputStream in = status < 400 ? c.getInputStream() : c.getErrorStream()) {
          body = in == null ? "" : new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        if (status == 200) {
          Map<?, ?> m = (Map<?, ?>) Json.parse(body);
          System.out.println("snapshot of database " + m.get("database") + " at seq " + m.get("snapshot_seq")
              + ", taken by the leader at " + base + " (epoch " + m.get("epoch") + ")");
          return ExitCodes.OK;
        }
        if (status == 401) {
          throw new CommandFailure(ExitCodes.USAGE, base + " refused the token (401): give the nodes' token with"
              + " --token-file or HADB_TOKEN");
        }
        if (status == 404 || status == 400) {
          throw new CommandFailure(ExitCodes.USAGE, base + " answered " + status + ": " + body.strip());
        }
        problems.add(base + " answered " + status + ": " + body.strip());
      } catch (IOException | IllegalArgumentException | Json.ParseException e) {
        problems.add(base + ": " + e.getMessage());
      }
    }
    throw new CommandFailure(ExitCodes.STORAGE, "no node took the snapshot (give the leader's --url, or all nodes'):\n  "
        + String.join("\n  ", problems));
  }
}

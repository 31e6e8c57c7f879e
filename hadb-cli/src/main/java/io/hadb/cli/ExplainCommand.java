package io.hadb.cli;

import io.hadb.api.HadbUri;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.ParseResult;
import picocli.CommandLine.Unmatched;

/**
 * {@code hadb explain <command> [options]}: the configuration that command would run with, each
 * setting with where it came from (command line, environment variable, default), secrets masked.
 * Runs nothing.
 */
@Command(name = "explain", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
    description = {"Prints the configuration a command would run with and where each setting came from",
        "(command line, environment, default); secrets and URI credentials are masked. Runs nothing.",
        "Example: HADB_LEASE_URL=file:///tmp/l hadb explain serve --database app=/tmp/app.db --storage file:///tmp/c"})
public final class ExplainCommand implements Callable<Integer> {
  private static final Pattern ENV = Pattern.compile("\\$\\{env:([A-Za-z_][A-Za-z0-9_]*)(:-[^}]*)?}");
  private static final Pattern SECRET_NAME = Pattern.compile("secret|token|password|key", Pattern.CASE_INSENSITIVE);

  /** Environment variables read as secrets themselves (not through an option). */
  private static final List<String> SECRET_ENV = List.of("HADB_FORWARD_SECRET", "HADB_TOKEN",
      "HADB_TLS_KEYSTORE_PASSWORD", "HADB_ENCRYPTION_KEY");

  @Unmatched
  List<String> commandLine = new ArrayList<>();

  @Override
  public Integer call() {
    if (commandLine.isEmpty()) {
      throw new CommandFailure(ExitCodes.USAGE, "name the command to explain, e.g. hadb explain serve --database ...");
    }
    CommandLine root = HadbMain.commandLine();
    ParseResult parsed;
    try {
      parsed = root.parseArgs(commandLine.toArray(new String[0]));
    } catch (CommandLine.ParameterException e) {
      throw new CommandFailure(ExitCodes.USAGE, e.getMessage());
    }
    ParseResult sub = parsed.subcommand();
    if (sub == null) {
      throw new CommandFailure(ExitCodes.USAGE, "unknown command '" + commandLine.get(0) + "' (hadb --help lists them)");
    }
    System.out.println("hadb " + sub.commandSpec().name() + " would run with:");
    for (OptionSpec o : sub.commandSpec().options()) {
      if (o.usageHelp() || o.versionHelp() || o.hidden()) {
        continue;
      }
      System.out.println(String.format(Locale.ROOT, "  %-28s %-50s %s", o.longestName(), shown(o), source(sub, o)));
    }
    for (String env : SECRET_ENV) {
      if (System.getenv(env) != null) {
        System.out.println(String.format(Locale.ROOT, "  %-28s %-50s %s", "(" + env + ")", "**** (set, hidden)",
            "environment " + env));
      }
    }
    return ExitCodes.OK;
  }

  private static String shown(OptionSpec o) {
    Object v = o.getValue();
    if (v == null) {
      return "(not set)";
    }
    if (SECRET_NAME.matcher(o.longestName()).find() && !o.longestName().endsWith("-file")) {
      return "**** (set, hidden)";
    }
    String s = String.valueOf(v);
    return s.contains("://") ? HadbUri.redact(s) : s;
  }

  /** The default as written in the annotation, before picocli resolves its ${env:...}. */
  private static String declaredDefault(OptionSpec o) {
    if (o.userObject() instanceof java.lang.reflect.Field f) {
      CommandLine.Option a = f.getAnnotation(CommandLine.Option.class);
      if (a != null && !a.defaultValue().equals(CommandLine.Option.NULL_VALUE)) {
        return a.defaultValue();
      }
    }
    return o.defaultValue();
  }

  private static String source(ParseResult sub, OptionSpec o) {
    if (sub.hasMatchedOption(o)) {
      return "command line";
    }
    String d = declaredDefault(o);
    if (d != null) {
      Matcher m = ENV.matcher(d);
      if (m.find()) {
        if (System.getenv(m.group(1)) != null) {
          return "environment " + m.group(1);
        }
        return m.group(2) != null ? "default (" + m.group(1) + " not set)" : "not set (" + m.group(1) + " not set)";
      }
      return "default";
    }
    return "not set";
  }
}

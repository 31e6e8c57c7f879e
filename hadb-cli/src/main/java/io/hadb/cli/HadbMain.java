package io.hadb.cli;

import io.hadb.api.HadbException;
import picocli.CommandLine;

/** {@code java -jar hadb.jar <command>}: what {@code ./hadb} runs for every command but its own. */
public final class HadbMain {
  private HadbMain() {}

  public static void main(String[] args) {
    System.exit(run(args));
  }

  /** Runs the command line; returns the exit code ({@link ExitCodes}). */
  public static int run(String... args) {
    return commandLine().execute(args);
  }

  static CommandLine commandLine() {
    CommandLine cl = new CommandLine(new HadbCommand());
    cl.setExecutionExceptionHandler((e, line, parsed) -> {
      String name = line.getCommandName();
      if (e instanceof CommandFailure f) {
        line.getErr().println("hadb " + name + ": " + f.getMessage());
        return f.exitCode();
      }
      if (e instanceof HadbException h) {
        line.getErr().println("hadb " + name + ": " + h.getMessage());
        return ExitCodes.of(h.code());
      }
      line.getErr().println("hadb " + name + ": failed: " + e);
      e.printStackTrace(line.getErr());
      return ExitCodes.FAILED;
    });
    return cl;
  }
}

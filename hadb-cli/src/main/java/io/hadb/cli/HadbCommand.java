package io.hadb.cli;

import picocli.CommandLine.Command;

/** The {@code hadb} command and its subcommands. */
@Command(name = "hadb", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
    description = "High availability for embedded databases on leases and object storage.",
    subcommands = {ServeCommand.class, ListCommand.class, VerifyCommand.class, RestoreCommand.class, PruneCommand.class,
        SnapshotCommand.class, ReplicateCommand.class,
        ReplicaCommand.class, ExplainCommand.class},
    footerHeading = "%nExit codes:%n",
    footer = {"  0  done", "  1  failed (another reason; the message says what)",
        "  2  bad command line or configuration", "  3  storage or lease store unreachable or too slow",
        "  4  stored data failed a check (verify, restore)",
        "  5  restore not possible (point not in storage, target exists)",
        "", "Every option can also be set in the environment variable named in its description.",
        "./hadb also runs: demo, probe, bench, test (./hadb --help)."})
public final class HadbCommand implements Runnable {
  @picocli.CommandLine.Spec
  picocli.CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    throw new picocli.CommandLine.ParameterException(spec.commandLine(), "name a command (hadb --help lists them)");
  }
}

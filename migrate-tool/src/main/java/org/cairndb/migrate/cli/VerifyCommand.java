package org.cairndb.migrate.cli;

import java.util.concurrent.Callable;
import org.cairndb.migrate.Verifier;
import org.cairndb.migrate.VerifyResult;
import org.cairndb.storage.Capability;
import org.cairndb.storage.Storage;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code cairn verify URI1 URI2 [--current]}. */
@Command(
        name = "verify",
        mixinStandardHelpOptions = true,
        description = {
            "Compares two storages: every transaction and record (tid, metadata, bytes) when both keep history;"
                    + " the current state of every object (tid and bytes) when either keeps only the current state (mem:, temp:,"
                    + " history=free), or with --current. Prints the first difference, or a SHA-256 digest of the contents when equal.",
            "Exit code 0 when equal, 1 when different or on error."
        })
public final class VerifyCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "URI1", description = "First storage.")
    String first;

    @Parameters(index = "1", paramLabel = "URI2", description = "Second storage.")
    String second;

    @Option(
            names = "--current",
            description = "Compare the current state of each object only (for storages that keep different history).")
    boolean current;

    @Option(
            names = {"-q", "--quiet"},
            description = "No progress output.")
    boolean quiet;

    @Override
    public Integer call() {
        return Cli.run("verify", System.err, () -> {
            try (CleanStop stop = new CleanStop("verify");
                    Storage a = Cli.openExisting(first, "first");
                    Storage b = Cli.openExisting(second, "second")) {
                var progress = Cli.progress(System.err, "verify", quiet);
                boolean history = !current && Verifier.comparesHistory(a, b);
                if (!current && !history) {
                    System.out.println("verify: " + (a.supports(Capability.HISTORY) ? b.name() : a.name())
                            + " keeps only the current state: comparing the current state of every object");
                }
                VerifyResult r = history
                        ? Verifier.compareAll(a, b, progress, stop.signal)
                        : Verifier.compareCurrent(a, b, progress, stop.signal);
                System.out.println("verify" + (current ? " --current" : "") + ": " + r);
                return r.equal() ? Cli.OK : Cli.FAILED;
            }
        });
    }
}

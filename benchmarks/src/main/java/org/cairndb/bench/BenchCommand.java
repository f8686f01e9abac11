package org.cairndb.bench;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * {@code cairn bench <scenario>}: one class per scenario, each a picocli command whose last
 * line of output is {@code RESULT name=<bench> key=value ...}. Scenarios are gathered by
 * class name so each lives beside the code it measures.
 */
@Command(
        name = "bench",
        mixinStandardHelpOptions = true,
        description = "Runs a benchmark; its last line is RESULT name=<bench> key=value ...",
        commandListHeading = "%nScenarios:%n")
public final class BenchCommand implements Callable<Integer> {

    static final Map<String, String> SCENARIOS = new LinkedHashMap<>();

    static {
        SCENARIOS.put("storage", "org.cairndb.bench.storage.StorageBench");
        SCENARIOS.put("commit-latency", "org.cairndb.bench.storage.CommitLatencyBench");
        SCENARIOS.put("footprint", "org.cairndb.bench.storage.FootprintBench");
        SCENARIOS.put("shootout", "org.cairndb.bench.objects.ShootoutBench");
        SCENARIOS.put("hot-counter", "org.cairndb.bench.objects.HotCounterBench");
        SCENARIOS.put("btree-append", "org.cairndb.bench.objects.BTreeAppendBench");
        SCENARIOS.put("rtt", "org.cairndb.bench.remote.RttBench");
        SCENARIOS.put("cold-read", "org.cairndb.bench.remote.ColdReadBench");
        SCENARIOS.put("remote-throughput", "org.cairndb.bench.remote.RemoteThroughputBench");
        SCENARIOS.put("restart-cache", "org.cairndb.bench.remote.RestartCacheBench");
        SCENARIOS.put("stuck-client", "org.cairndb.bench.remote.StuckClientBench");
        SCENARIOS.put("faults", "org.cairndb.bench.remote.FaultsBench");
        SCENARIOS.put("pg-writers", "org.cairndb.bench.postgres.PgWritersBench");
        SCENARIOS.put("migrate", "org.cairndb.bench.migrate.MigrateBench");
        SCENARIOS.put("startup", "org.cairndb.bench.startup.StartupBench");
        SCENARIOS.put("fragment-cache", "org.cairndb.bench.fragment.FragmentCacheBench");
        SCENARIOS.put("tasks", "org.cairndb.bench.tasks.TasksBench");
    }

    @Spec
    CommandSpec spec;

    public BenchCommand() {}

    /** Adds every scenario whose class is on the class path. */
    public static void addScenarios(CommandLine bench) {
        for (Map.Entry<String, String> e : SCENARIOS.entrySet()) {
            try {
                bench.addSubcommand(e.getKey(), Class.forName(e.getValue()));
            } catch (ClassNotFoundException notBuilt) {
                // scenario not part of this build
            }
        }
    }

    @Override
    public Integer call() {
        spec.commandLine().usage(System.out);
        return 2;
    }

    public static void main(String[] args) {
        CommandLine cl = new CommandLine(new BenchCommand());
        addScenarios(cl);
        System.exit(cl.execute(args));
    }
}

package org.cairndb.bench.objects;

import picocli.CommandLine.Option;

/** The {@code --uri} and {@code --serve} options of the object-layer benchmarks (a picocli mixin). */
final class TargetOptions {
    @Option(
            names = "--uri",
            defaultValue = "mem:",
            description = "storage URI (default: ${DEFAULT-VALUE});"
                    + " postgres://embedded/DB?... starts an embedded PostgreSQL 15")
    String uri;

    @Option(names = "--serve", description = "serve --uri by a Cairn server in this JVM and run through cairn:// to it")
    boolean serve;

    /** The storage to benchmark, started (embedded PostgreSQL, server) as the options ask. */
    BenchTarget open() {
        return BenchTarget.open(uri, serve);
    }
}

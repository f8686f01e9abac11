package org.cairndb.cli;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.Configurator;
import ch.qos.logback.classic.spi.ConfiguratorRank;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.spi.ContextAwareBase;
import java.util.List;

/**
 * The {@code cairn} command's logging, set up in code (logback finds this class through
 * {@code META-INF/services}): INFO and above to stderr as
 * {@code HH:mm:ss.SSS LEVEL logger - message}, Netty and HikariCP only from WARN, Chronicle
 * Map as {@code cairn.library.log} says (OFF unless --verbose; WARN when unset).
 * It replaces a {@code logback.xml} because parsing XML (JAXP, logback's Joran) was about a
 * tenth of a second of every command's start (docs/benchmarks.md, "bench startup"). Given
 * {@code -Dlogback.configurationFile=...} (e.g. in {@code CAIRN_JAVA_OPTS}), that file is
 * used instead.
 */
@ConfiguratorRank(ConfiguratorRank.CUSTOM_HIGH_PRIORITY)
public final class CliLogging extends ContextAwareBase implements Configurator {

    @Override
    public ExecutionStatus configure(LoggerContext context) {
        if (System.getProperty("logback.configurationFile") != null) {
            return ExecutionStatus.INVOKE_NEXT_IF_ANY;
        }
        PatternLayoutEncoder encoder = new PatternLayoutEncoder();
        encoder.setContext(context);
        encoder.setPattern("%d{HH:mm:ss.SSS} %-5level %logger{20} - %msg%n");
        encoder.start();
        ConsoleAppender<ILoggingEvent> stderr = new ConsoleAppender<>();
        stderr.setContext(context);
        stderr.setName("ERR");
        stderr.setTarget("System.err");
        stderr.setEncoder(encoder);
        stderr.start();
        Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
        root.setLevel(Level.INFO);
        root.addAppender(stderr);
        for (String chatty : List.of("io.netty", "com.zaxxer")) {
            context.getLogger(chatty).setLevel(Level.WARN);
        }
        // Chronicle Map's own lines (its recovery notes after kill -9) only with --verbose: CairnMain
        // sets cairn.library.log, and Cairn says in one line what it recovered
        context.getLogger("net.openhft").setLevel(Level.toLevel(System.getProperty("cairn.library.log"), Level.WARN));
        return ExecutionStatus.DO_NOT_INVOKE_NEXT_IF_ANY;
    }
}

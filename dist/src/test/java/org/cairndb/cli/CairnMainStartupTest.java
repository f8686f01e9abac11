package org.cairndb.cli;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import java.io.PrintWriter;
import java.io.StringWriter;
import net.openhft.chronicle.hash.VanillaGlobalMutableState;
import net.openhft.chronicle.values.Values;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;

/** What the launcher's start-up shortcuts must not change. */
class CairnMainStartupTest {

    @Test
    void helpListingOnlyCommandsReadsAsWhenAllAreBuilt() {
        assertThat(usage(CairnMain.commandLine(new String[] {"--help"})))
                .isEqualTo(usage(CairnMain.commandLine()))
                .contains("demo", "serve", "copy", "info", "bench", "Describes a storage");
    }

    @Test
    void theNamedCommandIsBuiltInFull() {
        CommandLine lazy = CairnMain.commandLine(new String[] {"info", "--help"});
        CommandLine full = CairnMain.commandLine();
        assertThat(usage(lazy.getSubcommands().get("info")))
                .isEqualTo(usage(full.getSubcommands().get("info")))
                .contains("--no-count");
        assertThat(lazy.getSubcommands().get("copy").getCommandSpec().options()).isEmpty();
    }

    @Test
    void chronicleUsesTheClassBuiltWithTheDistributionInsteadOfCompilingOne() throws Exception {
        Class<?> prebuilt = Class.forName(VanillaGlobalMutableState.class.getName() + "$$Native");
        assertThat(prebuilt.getProtectionDomain().getCodeSource().getLocation())
                .isEqualTo(CairnMain.class.getProtectionDomain().getCodeSource().getLocation());
        assertThat(Values.nativeClassFor(VanillaGlobalMutableState.class)).isSameAs(prebuilt);
    }

    @Test
    void logbackIsConfiguredByCliLogging() {
        LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
        assertThat(context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME).getAppender("ERR"))
                .isNotNull();
        assertThat(context.getLogger("net.openhft").getLevel()).isEqualTo(Level.WARN);
    }

    private static String usage(CommandLine cl) {
        StringWriter out = new StringWriter();
        cl.usage(new PrintWriter(out));
        return out.toString();
    }
}

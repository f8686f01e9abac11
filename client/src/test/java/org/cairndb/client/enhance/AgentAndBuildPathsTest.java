package org.cairndb.client.enhance;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.jar.Attributes;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import net.bytebuddy.dynamic.ClassFileLocator;
import org.cairndb.client.Connection;
import org.cairndb.client.Database;
import org.cairndb.client.Enhanced;
import org.cairndb.client.Persistent;
import org.cairndb.client.TransactionManager;
import org.cairndb.enhancer.Enhancer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The run-time way in (a child JVM with {@code -javaagent}), enhancing twice, and enhanced
 * classes working with a hand-written class that nothing enhanced, in one database.
 */
class AgentAndBuildPathsTest {
    @TempDir
    Path dir;

    @Test
    void agent_enhancesPlainClassesAtLoad_andWithoutItTheWriteIsLost() throws Exception {
        Path classes = UnenhancedSources.compile(
                dir, Map.of("PlainNote", UnenhancedSources.PLAIN_NOTE, "AgentMain", UnenhancedSources.AGENT_MAIN));
        Path agent = agentJar();
        assertThat(runChild(classes, agent)).contains("RESULT second#1 enhanced=true");
        // the same program without the agent: the ghost's write is silently lost (what enhancement prevents)
        assertThat(runChild(classes, null)).contains("RESULT null#0 enhanced=false");
    }

    @Test
    void enhancingTwice_isANoOp() throws Exception {
        Path classes = UnenhancedSources.compile(dir, Map.of("PlainNote", UnenhancedSources.PLAIN_NOTE));
        Enhancer enhancer = Enhancer.of(new ClassFileLocator.Compound(
                new ClassFileLocator.ForFolder(classes.toFile()),
                ClassFileLocator.ForClassLoader.of(getClass().getClassLoader())));
        byte[] plain = Files.readAllBytes(classes.resolve("agentdemo/PlainNote.class"));
        byte[] once = enhancer.enhance(plain);
        assertThat(once).isNotNull();
        assertThat(enhancer.needsEnhancement(once)).isFalse();
        assertThat(enhancer.enhance(once)).isNull();
        // a class the build already enhanced is left as it is
        byte[] built;
        try (var in = Shelf.class.getResourceAsStream("Shelf.class")) {
            built = in.readAllBytes();
        }
        assertThat(enhancer.enhance(built)).isNull();
    }

    @Test
    void buildPluginAndAgentPath_giveTheSameInstructions() throws Exception {
        Path classes = UnenhancedSources.compile(dir, Map.of("PlainNote", UnenhancedSources.PLAIN_NOTE));
        Path built = java.nio.file.Files.createDirectories(dir.resolve("built"));
        ClassFileLocator locator = new ClassFileLocator.Compound(
                new ClassFileLocator.ForFolder(classes.toFile()),
                ClassFileLocator.ForClassLoader.of(getClass().getClassLoader()));
        // what byte-buddy-maven-plugin does: its engine, the DECORATE entry point, the plugin class
        net.bytebuddy.build.Plugin.Engine.Summary summary = net.bytebuddy.build.Plugin.Engine.Default.of(
                        net.bytebuddy.build.EntryPoint.Default.DECORATE,
                        net.bytebuddy.ClassFileVersion.JAVA_V17,
                        net.bytebuddy.dynamic.scaffold.inline.MethodNameTransformer.Suffixing.withRandomSuffix())
                .with(locator)
                .apply(
                        new net.bytebuddy.build.Plugin.Engine.Source.ForFolder(classes.toFile()),
                        new net.bytebuddy.build.Plugin.Engine.Target.ForFolder(built.toFile()),
                        List.of(new net.bytebuddy.build.Plugin.Factory.Simple(
                                new org.cairndb.enhancer.EnhancerPlugin())));
        assertThat(summary.getFailed()).isEmpty();
        assertThat(summary.getTransformed()).extracting(t -> t.getName()).containsExactly("agentdemo.PlainNote");
        byte[] byPlugin = Files.readAllBytes(built.resolve("agentdemo/PlainNote.class"));
        byte[] byAgent = Enhancer.of(locator).enhance(Files.readAllBytes(classes.resolve("agentdemo/PlainNote.class")));
        assertThat(instructions(byPlugin))
                .isEqualTo(instructions(byAgent))
                .contains("INVOKESTATIC org/cairndb/client/PersistentHooks.beforeWrite");
    }

    /** Every method's instructions as text, one line each, with the class's annotations. */
    private static String instructions(byte[] classFile) {
        StringBuilder out = new StringBuilder();
        new net.bytebuddy.jar.asm.ClassReader(classFile)
                .accept(
                        new net.bytebuddy.jar.asm.ClassVisitor(net.bytebuddy.jar.asm.Opcodes.ASM9) {
                            @Override
                            public net.bytebuddy.jar.asm.AnnotationVisitor visitAnnotation(
                                    String descriptor, boolean visible) {
                                out.append("@").append(descriptor).append('\n');
                                return null;
                            }

                            @Override
                            public net.bytebuddy.jar.asm.MethodVisitor visitMethod(
                                    int access, String name, String descriptor, String signature, String[] exceptions) {
                                out.append(name).append(descriptor).append('\n');
                                return new net.bytebuddy.jar.asm.MethodVisitor(net.bytebuddy.jar.asm.Opcodes.ASM9) {
                                    @Override
                                    public void visitInsn(int opcode) {
                                        out.append("  op ").append(opcode).append('\n');
                                    }

                                    @Override
                                    public void visitVarInsn(int opcode, int var) {
                                        out.append("  var ")
                                                .append(opcode)
                                                .append(' ')
                                                .append(var)
                                                .append('\n');
                                    }

                                    @Override
                                    public void visitFieldInsn(int opcode, String owner, String name, String d) {
                                        out.append("  field ")
                                                .append(opcode)
                                                .append(' ')
                                                .append(owner)
                                                .append('.')
                                                .append(name)
                                                .append('\n');
                                    }

                                    @Override
                                    public void visitMethodInsn(
                                            int opcode, String owner, String name, String d, boolean itf) {
                                        out.append(
                                                        opcode == net.bytebuddy.jar.asm.Opcodes.INVOKESTATIC
                                                                ? "  INVOKESTATIC "
                                                                : "  invoke " + opcode + " ")
                                                .append(owner)
                                                .append('.')
                                                .append(name)
                                                .append('\n');
                                    }
                                };
                            }
                        },
                        net.bytebuddy.jar.asm.ClassReader.SKIP_DEBUG | net.bytebuddy.jar.asm.ClassReader.SKIP_FRAMES);
        return out.toString();
    }

    @Test
    void handWrittenUnenhancedClass_andEnhancedClasses_inOneDatabase() throws Exception {
        Path classes = UnenhancedSources.compile(dir, Map.of("HandNote", UnenhancedSources.HAND_NOTE));
        try (URLClassLoader loader = new URLClassLoader(
                        new URL[] {classes.toUri().toURL()}, getClass().getClassLoader());
                Database db = Database.builder()
                        .mount("main", "temp:")
                        .classLoader(loader)
                        .open();
                Connection c = db.open()) {
            TransactionManager tm = db.transactionManager();
            Class<?> handType = loader.loadClass("agentdemo.HandNote");
            assertThat(handType.isAnnotationPresent(Enhanced.class)).isFalse();
            Noted hand = (Noted) handType.getConstructor(String.class).newInstance("hand");
            Shelf plain = new Shelf("plain");
            hand.ref(plain);
            plain.other(hand);
            c.root().put("hand", hand);
            tm.commit();
            c.cacheMinimize();
            assertThat(((Persistent) hand).persistentState()).isEqualTo(org.cairndb.client.PersistentState.GHOST);
            ((Shelf) hand.ref()).name("plain, changed through the hand-written one");
            ((Noted) plain.other()).text("hand, changed through the plain one");
            tm.commit();
            c.cacheMinimize();
            assertThat(plain.name()).isEqualTo("plain, changed through the hand-written one");
            assertThat(hand.text()).isEqualTo("hand, changed through the plain one");
        }
    }

    @Test
    void storingAClassNeitherEnhancedNorMarkedHandWritten_warnsOncePerClass() throws Exception {
        Path classes = UnenhancedSources.compile(dir, Map.of("HandNote", UnenhancedSources.HAND_NOTE));
        ch.qos.logback.classic.Logger log = (ch.qos.logback.classic.Logger)
                org.slf4j.LoggerFactory.getLogger("org.cairndb.client.EnhancementCheck");
        ch.qos.logback.core.read.ListAppender<ch.qos.logback.classic.spi.ILoggingEvent> seen =
                new ch.qos.logback.core.read.ListAppender<>();
        seen.start();
        log.addAppender(seen);
        try (URLClassLoader loader = new URLClassLoader(
                        new URL[] {classes.toUri().toURL()}, getClass().getClassLoader());
                Database db = Database.builder()
                        .mount("main", "temp:")
                        .classLoader(loader)
                        .open();
                Connection c = db.open()) {
            Class<?> handType = loader.loadClass("agentdemo.HandNote");
            for (int i = 0; i < 3; i++)
                c.add((Persistent) handType.getConstructor(String.class).newInstance("n" + i));
            c.add(new Shelf("enhanced: no warning"));
            c.add(new Forgetful("@NotEnhanced: no warning"));
            db.transactionManager().commit();
        } finally {
            log.detachAppender(seen);
        }
        assertThat(seen.list)
                .extracting(ch.qos.logback.classic.spi.ILoggingEvent::getFormattedMessage)
                .singleElement()
                .asString()
                .startsWith("agentdemo.HandNote is not enhanced");
    }

    /** A jar holding only a manifest naming the agent: its classes are on the child's class path. */
    private Path agentJar() throws IOException {
        Manifest m = new Manifest();
        m.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        m.getMainAttributes().put(new Attributes.Name("Premain-Class"), "org.cairndb.enhancer.EnhancerAgent");
        Path jar = dir.resolve("agent.jar");
        try (OutputStream out = Files.newOutputStream(jar);
                JarOutputStream j = new JarOutputStream(out, m)) {
            j.flush();
        }
        return jar;
    }

    private String runChild(Path classes, Path agent) throws Exception {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        for (String f : System.getProperty("cairn.jvm.flags", "").trim().split("\\s+")) if (!f.isEmpty()) cmd.add(f);
        if (agent != null) cmd.add("-javaagent:" + agent);
        cmd.add("-Xmx256m");
        cmd.add("-cp");
        cmd.add(classes + File.pathSeparator + System.getProperty("java.class.path"));
        cmd.add("agentdemo.AgentMain");
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor()).as(out).isZero();
        return out;
    }
}

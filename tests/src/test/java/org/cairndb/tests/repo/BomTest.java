package org.cairndb.tests.repo;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;

/**
 * cairn-bom has no parent (so that importing it pins no third-party library), hence it repeats
 * the version and the list of Cairn artifacts the parent pom manages: both must stay in step,
 * or an application importing the BOM would get a version that was never built or miss an
 * artifact.
 */
class BomTest {
    @Test
    void theBomPinsExactlyTheArtifactsAndVersionOfTheBuild() throws Exception {
        Path root = Path.of("").toAbsolutePath();
        while (!Files.exists(root.resolve("bom/pom.xml"))) root = root.getParent();
        Document parent = parse(root.resolve("pom.xml"));
        Document bom = parse(root.resolve("bom/pom.xml"));

        assertThat(text(bom.getDocumentElement(), "version")).isEqualTo(text(parent.getDocumentElement(), "version"));
        assertThat(text(bom.getDocumentElement(), "groupId")).isEqualTo(text(parent.getDocumentElement(), "groupId"));
        List<String> parentArtifacts = cairnArtifacts(parent);
        assertThat(parentArtifacts).hasSizeGreaterThan(5);
        assertThat(cairnArtifacts(bom)).containsExactlyInAnyOrderElementsOf(parentArtifacts);
    }

    /** A new module (such as storage-remote) is in the BOM: every module of the build but the BOM and the launcher. */
    @Test
    void everyModuleOfTheBuildIsInTheBom() throws Exception {
        Path root = Path.of("").toAbsolutePath();
        while (!Files.exists(root.resolve("bom/pom.xml"))) root = root.getParent();
        List<String> inBom = cairnArtifacts(parse(root.resolve("bom/pom.xml")));
        NodeList modules = parse(root.resolve("pom.xml")).getElementsByTagName("module");
        assertThat(modules.getLength()).isGreaterThan(5);
        for (int i = 0; i < modules.getLength(); i++) {
            String artifact = text(
                    parse(root.resolve(modules.item(i).getTextContent().trim()).resolve("pom.xml"))
                            .getDocumentElement(),
                    "artifactId");
            if (artifact.equals("cairn-bom") || artifact.equals("cairn-dist")) continue; // not libraries to depend on
            assertThat(inBom).as("module " + modules.item(i).getTextContent()).contains(artifact + ":jar");
        }
    }

    /** groupId:artifactId:type of every managed org.cairndb dependency, with its version checked. */
    private static List<String> cairnArtifacts(Document pom) {
        Element dm = (Element) pom.getElementsByTagName("dependencyManagement").item(0);
        NodeList deps = dm.getElementsByTagName("dependency");
        List<String> out = new ArrayList<>();
        for (int i = 0; i < deps.getLength(); i++) {
            Element d = (Element) deps.item(i);
            if (!"org.cairndb".equals(text(d, "groupId"))) continue;
            assertThat(text(d, "version")).as(text(d, "artifactId")).isEqualTo("${project.version}");
            String type = text(d, "type");
            out.add(text(d, "artifactId") + ":" + (type == null ? "jar" : type));
        }
        return out;
    }

    private static String text(Element e, String child) {
        for (Node n = e.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element c && c.getTagName().equals(child))
                return c.getTextContent().trim();
        }
        return null;
    }

    private static Document parse(Path pom) throws Exception {
        return DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(pom.toFile());
    }
}

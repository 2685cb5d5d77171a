package dev.cifar.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.w3c.dom.Element;

/** The project the training image runs {@code mvn cifar:train} in names this project's plugin. */
class TrainingProjectTest {

  @Test
  void namesThePluginOfThisVersion() {
    Element pom = Repository.pom(Repository.DEPLOY.resolve("container/training/pom.xml"));
    Element plugin =
        (Element)
            Repository.childElement(Repository.childElement(pom, "build"), "plugins")
                .getElementsByTagName("plugin")
                .item(0);
    Element mavenPlugin = Repository.pom(Repository.ROOT.resolve("maven-plugin/pom.xml"));
    String where = "deploy/container/training/pom.xml <plugin>";
    assertThat(Repository.child(plugin, "artifactId"))
        .as(where + " artifactId")
        .isEqualTo(Repository.child(mavenPlugin, "artifactId"));
    assertThat(Repository.child(plugin, "groupId"))
        .as(where + " groupId")
        .isEqualTo(Repository.child(Repository.childElement(mavenPlugin, "parent"), "groupId"));
    assertThat(Repository.child(plugin, "version"))
        .as(where + " version")
        .isEqualTo(Repository.rootPomProperty("project.version"));
  }
}

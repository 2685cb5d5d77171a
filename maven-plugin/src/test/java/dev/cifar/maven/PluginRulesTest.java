package dev.cifar.maven;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The goals are thin: Maven (its resolver included) on one side, training-core on the other,
 * nothing else (no engine, no JSON library, no image code of their own; the compiler keeps them to
 * training-core's public classes).
 */
class PluginRulesTest {

  private static JavaClasses plugin;

  @BeforeAll
  static void importPlugin() {
    plugin =
        new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_JARS)
            .importPackages("dev.cifar.maven");
  }

  @Test
  void goalsUseOnlyMavenTheJdkAndTrainingCore() {
    classes()
        .that()
        .resideInAPackage("dev.cifar.maven..")
        .should()
        .onlyDependOnClassesThat()
        .resideInAnyPackage(
            "java..",
            "org.apache.maven..",
            "org.codehaus.plexus..",
            "org.eclipse.aether..", // Maven's resolver: the training JVM's SLF4J API
            "dev.cifar..",
            "")
        .because("engines, JSON and images are training-core's business, not the plugin's")
        .check(plugin);
  }
}

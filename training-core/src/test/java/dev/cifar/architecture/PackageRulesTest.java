package dev.cifar.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The package rules of docs/architecture.md, checked on training-core's compiled classes: the core
 * knows no build tool or server, and what serving loads (the artifact, the classifier and
 * evaluation, with all they use) never reaches the training loop.
 */
class PackageRulesTest {

  private static JavaClasses core;

  @BeforeAll
  static void importCore() {
    core =
        new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("dev.cifar");
  }

  @Test
  void theCoreKnowsNoMavenAndNoQuarkus() {
    noClasses()
        .that()
        .resideInAPackage("dev.cifar..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(
            "org.apache.maven..", "org.codehaus.plexus..", "io.quarkus..", "jakarta.enterprise..")
        .because("training-core is a library that the plugin and the function both use")
        .check(core);
  }

  @Test
  void servingNeverReachesTraining() {
    noClasses()
        .that()
        .resideInAnyPackage(
            "dev.cifar.artifact..",
            "dev.cifar.classifier..",
            "dev.cifar.evaluation..",
            "dev.cifar.export..")
        .should()
        .transitivelyDependOnClassesThat()
        .resideInAPackage("dev.cifar.training..")
        .because(
            "the function loads artifacts and classifies without the training loop or checkpoints")
        .check(core);
  }

  @Test
  void servingNeverReachesTheExport() {
    noClasses()
        .that()
        .resideInAnyPackage(
            "dev.cifar.artifact..", "dev.cifar.classifier..", "dev.cifar.evaluation..")
        .should()
        .transitivelyDependOnClassesThat()
        .resideInAPackage("dev.cifar.export..")
        .because("the serving jar leaves the export out; ONNX Runtime serves the exported model")
        .check(core);
  }

  @Test
  void onlyTheReportAndTheLoopSitAboveTheClassifier() {
    noClasses()
        .that()
        .resideInAnyPackage(
            "dev.cifar.data..",
            "dev.cifar.engine..",
            "dev.cifar.recipe..",
            "dev.cifar.network..",
            "dev.cifar.onnx..",
            "dev.cifar.evaluation..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(
            "dev.cifar.artifact..",
            "dev.cifar.classifier..",
            "dev.cifar.export..",
            "dev.cifar.report..",
            "dev.cifar.training..")
        .because(
            "data, engine, recipes, networks, ONNX graphs and evaluation are the bottom layers"
                + " (docs/architecture.md)")
        .check(core);
  }

  @Test
  void onnxGraphsKnowNoNetworkOrArtifact() {
    noClasses()
        .that()
        .resideInAPackage("dev.cifar.onnx..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(
            "dev.cifar.data..",
            "dev.cifar.engine..",
            "dev.cifar.network..",
            "dev.cifar.recipe..",
            "dev.cifar.evaluation..")
        .because(
            "networks write themselves into an OnnxGraph; the graph knows only DJL's layers"
                + " (docs/architecture.md)")
        .check(core);
  }

  @Test
  void recipePartsAreValuesThatUseNothingElseOfTheProject() {
    noClasses()
        .that()
        .resideInAPackage("dev.cifar.recipe..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(
            "dev.cifar.artifact..",
            "dev.cifar.classifier..",
            "dev.cifar.data..",
            "dev.cifar.engine..",
            "dev.cifar.evaluation..",
            "dev.cifar.network..",
            "dev.cifar.report..",
            "dev.cifar.training..")
        .orShould()
        .dependOnClassesThat()
        .resideInAnyPackage("ai.djl..")
        .because("a network's recipe and the training configuration are made of them")
        .check(core);
  }
}

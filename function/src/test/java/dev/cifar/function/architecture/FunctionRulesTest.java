package dev.cifar.function.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.core.importer.Location;
import org.junit.jupiter.api.Test;

/** The function serves artifacts: nothing it runs reaches training-core's training loop. */
class FunctionRulesTest {

  /** The function's classes and training-core's main jar, without any test code. */
  private static final ImportOption MAIN_CODE =
      (Location location) ->
          !location.contains("/test-classes/") && !location.contains("-tests.jar");

  @Test
  void theFunctionNeverReachesTraining() {
    noClasses()
        .that()
        .resideInAPackage("dev.cifar.function..")
        .should()
        .transitivelyDependOnClassesThat()
        .resideInAPackage("dev.cifar.training..")
        .because(
            "the serving jar and native image carry no training loop, checkpoints or downloads")
        .check(new ClassFileImporter().withImportOption(MAIN_CODE).importPackages("dev.cifar"));
  }
}

package dev.cifar.function;

import dev.cifar.data.AtomicFiles;
import dev.cifar.data.DataSets;
import dev.cifar.testing.SyntheticCifar;
import dev.cifar.training.Training;
import dev.cifar.training.TrainingConfig;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/** A model trained on class folders of your own ({@link #CLASSES}), served by the function. */
public class OwnClassesModel implements QuarkusTestResourceLifecycleManager {

  /** The folder names, sorted: the model's classes. */
  public static final List<String> CLASSES = List.of("boats", "cars", "planes");

  private Path dir;

  @Override
  public Map<String, String> start() {
    try {
      dir = Files.createTempDirectory("cifar-own-classes");
      SyntheticCifar.writeImageFolders(dir.resolve("images"), CLASSES, 80, 12);
      var data = DataSets.read(dir.resolve("images"), w -> {});
      var result =
          Training.builder()
              .setConfig(
                  TrainingConfig.builder().optEpochs(4).optBatchSize(16).optDevSize(40).build())
              .setTrainingSet(data.train())
              .build()
              .run();
      Path model = dir.resolve("own.zip");
      result.toArtifact().write(model);
      return Map.of("cifar.model", model.toString());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public void stop() {
    try {
      AtomicFiles.deleteTree(dir);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}

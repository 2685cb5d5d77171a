package dev.cifar.training;

import ai.djl.Device;
import ai.djl.MalformedModelException;
import ai.djl.Model;
import dev.cifar.ConfigurationException;
import dev.cifar.engine.Engines;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/** Loads TorchScript modules for fine-tuning through DJL's PyTorch engine. */
final class TorchScriptModules {

  private TorchScriptModules() {}

  /**
   * Loads a module with its parameters trainable. The caller closes the model after the run, which
   * owns the module.
   *
   * @param file a file written by {@code torch.jit.save}
   * @param device where to train
   * @return the model whose block is the module
   * @throws ConfigurationException when the file is not a TorchScript module
   */
  static Model load(Path file, Device device) {
    Model model = Model.newInstance("pretrained", device, Engines.ENGINE);
    try (InputStream in = Files.newInputStream(file)) {
      model.load(in, Map.of("trainParam", "true"));
      return model;
    } catch (IOException | MalformedModelException | RuntimeException e) {
      model.close();
      throw new ConfigurationException(
          "Cannot load the TorchScript network "
              + file
              + ": "
              + e.getMessage()
              + " (cifar.pretrained takes an artifact .zip of this project or a file saved with torch.jit.save)");
    }
  }
}

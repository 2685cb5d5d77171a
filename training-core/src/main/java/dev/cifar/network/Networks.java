package dev.cifar.network;

import dev.cifar.ConfigurationException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The registry of networks, by name. */
public final class Networks {

  private static final Map<String, Network> BY_NAME = new LinkedHashMap<>();

  static {
    register(new SeedNetwork());
    register(new FastNetwork());
    register(new ResNet18Network());
  }

  private Networks() {}

  private static void register(Network network) {
    BY_NAME.put(network.name(), network);
  }

  /**
   * Looks a network up.
   *
   * @param name its name
   * @return the network
   * @throws ConfigurationException naming the known networks when there is none of that name
   */
  public static Network named(String name) {
    Network network = BY_NAME.get(name);
    if (network == null) {
      throw new ConfigurationException(
          "Unknown network '"
              + name
              + "': known networks are "
              + String.join(", ", names())
              + " (cifar.network)");
    }
    return network;
  }

  /**
   * Resolves a network by name, including the TorchScript network of a pretrained module, which is
   * not registered: its input size and normalisation come from the configuration.
   *
   * @param name a registered name or {@value TorchScriptNetwork#NAME}
   * @param inputSize the TorchScript module's input side
   * @param normalization the TorchScript module's normalisation
   * @return the network
   * @throws ConfigurationException naming the known networks when there is none of that name
   */
  public static Network resolve(String name, int inputSize, Normalization normalization) {
    return TorchScriptNetwork.NAME.equals(name)
        ? TorchScriptNetwork.of(inputSize, normalization)
        : named(name);
  }

  /**
   * Lists the known names.
   *
   * @return the names, in registration order
   */
  public static List<String> names() {
    return List.copyOf(BY_NAME.keySet());
  }
}

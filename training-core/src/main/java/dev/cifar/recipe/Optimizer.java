package dev.cifar.recipe;

import dev.cifar.ConfigurationException;
import java.util.Locale;

/**
 * The optimizer of a run and its settings: Adam (the notebook) or SGD with Nesterov momentum (as
 * PyTorch's {@code SGD(nesterov=True)}). Both apply L2 weight decay.
 */
public sealed interface Optimizer permits Optimizer.Adam, Optimizer.Sgd {

  /** The momentum of SGD when neither the option nor the recipe gives one. */
  float DEFAULT_MOMENTUM = 0.9f;

  /**
   * @return the (peak) learning rate
   */
  float learningRate();

  /**
   * @return the L2 weight decay
   */
  float weightDecay();

  /**
   * @return the option's value, {@code adam} or {@code sgd}
   */
  String name();

  /**
   * Makes an optimizer from its name and settings.
   *
   * @param name {@code adam} or {@code sgd}, ignoring case
   * @param learningRate the peak rate
   * @param momentum SGD's momentum; must be {@code null} for Adam, which has none
   * @param weightDecay the L2 weight decay
   * @return the optimizer
   * @throws ConfigurationException for another name, or a value out of range
   */
  static Optimizer of(String name, float learningRate, Float momentum, float weightDecay) {
    return switch (name.strip().toLowerCase(Locale.ROOT)) {
      case "adam" -> {
        if (momentum != null) {
          throw new ConfigurationException(
              "cifar.momentum applies to SGD; Adam has none (cifar.optimizer=sgd, or leave"
                  + " cifar.momentum unset)");
        }
        yield new Adam(learningRate, weightDecay);
      }
      case "sgd" ->
          new Sgd(learningRate, momentum != null ? momentum : DEFAULT_MOMENTUM, weightDecay);
      default ->
          throw new ConfigurationException(
              "Unknown optimizer '" + name + "': use adam or sgd (cifar.optimizer)");
    };
  }

  /**
   * Adam with PyTorch's betas (0.9, 0.999) and epsilon 1e-8.
   *
   * @param learningRate positive
   * @param weightDecay at least 0
   */
  record Adam(float learningRate, float weightDecay) implements Optimizer {

    /** Checks the values. */
    public Adam {
      checkRateAndDecay(learningRate, weightDecay);
    }

    @Override
    public String name() {
      return "adam";
    }
  }

  /**
   * SGD with Nesterov momentum.
   *
   * @param learningRate positive
   * @param momentum in [0, 1)
   * @param weightDecay at least 0
   */
  record Sgd(float learningRate, float momentum, float weightDecay) implements Optimizer {

    /** Checks the values. */
    public Sgd {
      checkRateAndDecay(learningRate, weightDecay);
      if (!(momentum >= 0 && momentum < 1)) {
        throw new ConfigurationException(
            "momentum must be in [0, 1), not " + momentum + " (cifar.momentum)");
      }
    }

    @Override
    public String name() {
      return "sgd";
    }
  }

  private static void checkRateAndDecay(float learningRate, float weightDecay) {
    if (!(learningRate > 0 && Float.isFinite(learningRate))) {
      throw new ConfigurationException(
          "learning rate must be a positive number, not " + learningRate + " (cifar.learningRate)");
    }
    if (!(weightDecay >= 0 && Float.isFinite(weightDecay))) {
      throw new ConfigurationException(
          "weight decay must be at least 0, not " + weightDecay + " (cifar.weightDecay)");
    }
  }
}

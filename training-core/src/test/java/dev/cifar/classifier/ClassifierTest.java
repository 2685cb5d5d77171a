package dev.cifar.classifier;

/** The classifier's contract on PyTorch, the engine the network trained on. */
class ClassifierTest extends ClassifierContract {

  @Override
  ServingEngine engine() {
    return ServingEngine.PYTORCH;
  }
}

package dev.cifar.training;

import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.util.Pair;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Freezes everything but a network's classifier head (the parameters of its last block that has
 * any) while a pretrained body waits for a new head to learn, and thaws it again. What the network
 * itself keeps frozen stays frozen.
 */
final class Freezing {

  private final Set<String> head = new HashSet<>();
  private final List<Parameter> body = new ArrayList<>();
  private Boolean frozen;

  /**
   * Finds the head and the trainable body of an initialised block.
   *
   * @param block the network
   */
  Freezing(Block block) {
    Block last = block;
    for (Pair<String, Block> child : block.getChildren()) {
      if (!child.getValue().getParameters().isEmpty()) {
        last = child.getValue();
      }
    }
    for (Pair<String, Parameter> p : last.getParameters()) {
      head.add(p.getValue().getId());
    }
    for (Pair<String, Parameter> p : block.getParameters()) {
      if (!head.contains(p.getValue().getId()) && p.getValue().requiresGradient()) {
        body.add(p.getValue());
      }
    }
  }

  /**
   * Tells whether a parameter belongs to the classifier head.
   *
   * @param parameter one of the block's parameters
   * @return whether it is the head's
   */
  boolean isHead(Parameter parameter) {
    return head.contains(parameter.getId());
  }

  /**
   * Freezes or thaws the body, when that changes (so that what the network freezes by itself in
   * between stays frozen).
   *
   * @param frozen whether only the head learns
   */
  void apply(boolean frozen) {
    if (this.frozen != null && this.frozen == frozen) {
      return;
    }
    this.frozen = frozen;
    for (Parameter p : body) {
      if (p.requiresGradient() == frozen) {
        p.freeze(frozen);
      }
    }
  }
}

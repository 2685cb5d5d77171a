package dev.cifar.network;

import ai.djl.nn.Block;
import java.util.function.Consumer;

/** Walks a network's tree of blocks. */
final class BlockTree {

  private BlockTree() {}

  /**
   * Applies an action to every block of a type in a network, the root included.
   *
   * @param root the root block
   * @param type the blocks' class
   * @param action what to do to each
   * @param <T> the blocks' type
   * @return how many blocks it was applied to
   */
  static <T extends Block> int forEach(Block root, Class<T> type, Consumer<T> action) {
    int count = 0;
    if (type.isInstance(root)) {
      action.accept(type.cast(root));
      count++;
    }
    for (var child : root.getChildren()) {
      count += forEach(child.getValue(), type, action);
    }
    return count;
  }
}

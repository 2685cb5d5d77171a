package dev.cifar.network;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.Block;
import ai.djl.nn.Blocks;
import ai.djl.nn.ParallelBlock;
import ai.djl.nn.Parameter;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.BatchNorm;
import ai.djl.nn.pooling.Pool;
import dev.cifar.engine.MemoryLayout;
import dev.cifar.engine.Precision;
import dev.cifar.onnx.OnnxGraph;
import dev.cifar.recipe.Averaging;
import dev.cifar.recipe.BatchAugmentation;
import dev.cifar.recipe.Optimizer;
import dev.cifar.recipe.Schedule;
import java.util.List;
import java.util.Set;

/**
 * ResNet-18 for 32x32 images (He et al. 2016, as commonly adapted to CIFAR-10): a 3x3 stem
 * convolution with 64 filters, batch norm and ReLU, four stages of two basic residual blocks (64,
 * 128, 256 and 512 filters; the last three start with stride 2 and a 1x1 projection shortcut),
 * global average pooling and a linear classifier: 11.2 million parameters for 10 classes and 0.56
 * billion multiply-adds per image, five times the {@code fast} network's. Inputs are standardised
 * with the CIFAR-10 channel statistics. Meant for a GPU; on a CPU an epoch takes a quarter of an
 * hour or more.
 */
final class ResNet18Network implements Network {

  /** Filters of the four stages. */
  static final int[] WIDTHS = {64, 128, 256, 512};

  /**
   * The common CIFAR-10 recipe of ResNet-18: Nesterov SGD at 0.1 with momentum 0.9 and weight decay
   * 5e-4, batch 128, a warm-up over the first 10% of the steps then cosine decay, flip and crop,
   * flip test-time augmentation.
   */
  static final Recipe RECIPE =
      new Recipe(
          128,
          new Optimizer.Sgd(0.1f, 0.9f, 5e-4f),
          new Schedule(Schedule.Shape.COSINE, 0.1, 0f, 0f),
          0f,
          Set.of(BatchAugmentation.FLIP, BatchAugmentation.CROP),
          TestTimeAugmentation.FLIP,
          Averaging.NONE,
          Precision.FLOAT32);

  @Override
  public String name() {
    return "resnet18";
  }

  @Override
  public int version() {
    return 1;
  }

  @Override
  public Normalization normalization() {
    return Normalization.CIFAR10;
  }

  @Override
  public Recipe recipe() {
    return RECIPE;
  }

  @Override
  public String description() {
    return "resnet18: conv 64@3x3, 4 stages of 2 residual blocks (64, 128, 256, 512), global average pool,"
        + " linear";
  }

  @Override
  public Block build(int classes) {
    SequentialBlock net =
        new SequentialBlock().add(conv(64, 3, 1)).add(batchNorm()).add(Activation.reluBlock());
    int in = 64;
    for (int stage = 0; stage < WIDTHS.length; stage++) {
      int width = WIDTHS[stage];
      net.add(residual(in, width, stage == 0 ? 1 : 2));
      net.add(residual(width, width, 1));
      in = width;
    }
    net.add(Pool.globalAvgPool2dBlock());
    Block head = Linear.builder().setUnits(classes).build();
    head.setInitializer(new TorchDefaultInitializer(in), Parameter.Type.WEIGHT);
    net.add(head);
    return net;
  }

  /**
   * A basic block: two 3x3 convolutions with batch norm, added to the (projected) input, then ReLU.
   */
  @Override
  public String toOnnx(Block block, OnnxGraph g, String x) {
    List<Block> layers = block.getChildren().values();
    String y = g.relu(g.batchNorm(g.conv(x, layers.get(0)), layers.get(1), BATCH_NORM_EPSILON));
    int residuals = 2 * WIDTHS.length;
    for (int r = 0; r < residuals; r++) {
      List<Block> branches = layers.get(3 + r).getChildren().values().get(0).getChildren().values();
      List<Block> body = branches.get(0).getChildren().values();
      List<Block> shortcut = branches.get(1).getChildren().values();
      String main = g.relu(g.batchNorm(g.conv(y, body.get(0)), body.get(1), BATCH_NORM_EPSILON));
      main = g.batchNorm(g.conv(main, body.get(3)), body.get(4), BATCH_NORM_EPSILON);
      String skip =
          shortcut.isEmpty()
              ? y
              : g.batchNorm(g.conv(y, shortcut.get(0)), shortcut.get(1), BATCH_NORM_EPSILON);
      y = g.relu(g.add(main, skip));
    }
    return g.linear(g.globalAveragePool(y), layers.get(3 + residuals + 1));
  }

  /** The batch norms' epsilon, PyTorch's default. */
  private static final float BATCH_NORM_EPSILON = 1e-5f;

  private static Block residual(int in, int out, int stride) {
    Block body =
        new SequentialBlock()
            .add(conv(out, 3, stride))
            .add(batchNorm())
            .add(Activation.reluBlock())
            .add(conv(out, 3, 1))
            .add(batchNorm());
    Block shortcut =
        stride == 1 && in == out
            ? Blocks.identityBlock()
            : new SequentialBlock().add(conv(out, 1, stride)).add(batchNorm());
    return new SequentialBlock()
        .add(
            new ParallelBlock(
                parts ->
                    new NDList(
                        parts.get(0).singletonOrThrow().add(parts.get(1).singletonOrThrow())),
                List.of(body, shortcut)))
        .add(Activation.reluBlock());
  }

  private static Block conv(int filters, int kernel, int stride) {
    return Conv2d.builder()
        .setKernelShape(new Shape(kernel, kernel))
        .optStride(new Shape(stride, stride))
        .optPadding(new Shape(kernel / 2, kernel / 2))
        .setFilters(filters)
        .optBias(false)
        .build();
  }

  private static Block batchNorm() {
    return BatchNorm.builder().optMomentum(0.9f).optEpsilon(BATCH_NORM_EPSILON).build();
  }

  @Override
  public MemoryLayout layout() {
    return MemoryLayout.CHANNELS_LAST;
  }
}

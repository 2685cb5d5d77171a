package dev.cifar.network;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.nn.pooling.Pool;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import ai.djl.util.Pair;
import dev.cifar.engine.Engines;
import dev.cifar.engine.OneDnnMaxPool;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Max pools a training run hands oneDNN's pooling: same gradients, same file format. */
class MaxPool2dTest {

  @Test
  void seedsTrainingPassGivesTheSameGradientsThroughOneDnnAsThroughDjl() {
    Engines.pytorch();
    try (Model model = Model.newInstance("seed", Engines.ENGINE);
        OneDnnMaxPool onednn = OneDnnMaxPool.load()) {
      Block block = BuiltNetworks.build(model, Networks.named("seed"), 10);
      NDManager manager = model.getNDManager();
      NDArray x = manager.randomNormal(new Shape(16, 3, 32, 32));
      List<float[]> djl = gradients(block, x);
      assertThat(MaxPool2d.use(block, onednn)).isEqualTo(1);
      List<float[]> ours = gradients(block, x);
      assertThat(MaxPool2d.use(block, null)).isEqualTo(1);
      assertThat(ours).hasSameSizeAs(djl);
      for (int i = 0; i < djl.size(); i++) {
        assertThat(ours.get(i)).as("gradient of parameter %d", i).isEqualTo(djl.get(i));
      }
      assertThat(djl.get(0))
          .as("a gradient reaches the first convolution")
          .isNotEqualTo(zeros(djl.get(0)));
    }
  }

  @Test
  void isStoredAsDjlsMaxPool() throws IOException {
    assertThat(stored(MaxPool2d.of(2))).isEqualTo(stored(Pool.maxPool2dBlock(new Shape(2, 2))));
  }

  private static List<float[]> gradients(Block block, NDArray x) {
    List<float[]> out = new ArrayList<>();
    try (GradientCollector collector = x.getManager().getEngine().newGradientCollector()) {
      NDArray logits =
          block
              .forward(new ParameterStore(x.getManager(), false), new NDList(x), true)
              .singletonOrThrow();
      collector.backward(logits.square().sum());
    }
    for (Pair<String, Parameter> p : block.getParameters()) {
      NDArray gradient = p.getValue().getArray().getGradient();
      out.add(gradient.toFloatArray());
      gradient.subi(gradient); // the next pass accumulates from zero
    }
    return out;
  }

  private static float[] zeros(float[] like) {
    return new float[like.length];
  }

  private static byte[] stored(Block block) throws IOException {
    try (NDManager manager = NDManager.newBaseManager(Engines.pytorch().getEngineName())) {
      block.initialize(manager, ai.djl.ndarray.types.DataType.FLOAT32, new Shape(1, 6, 28, 28));
      ByteArrayOutputStream bytes = new ByteArrayOutputStream();
      block.saveParameters(new DataOutputStream(bytes));
      return bytes.toByteArray();
    }
  }
}

package dev.cifar.network;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.training.ParameterStore;
import dev.cifar.data.LabeledImages;
import dev.cifar.engine.Engines;
import dev.cifar.engine.MemoryLayout;
import dev.cifar.testing.SyntheticCifar;
import java.util.Random;
import org.junit.jupiter.api.Test;

class FastNetworkTest {

  @Test
  void jacobiFindsTheEigenpairsOfASymmetricMatrix() {
    Random random = new Random(3);
    int n = 6;
    double[][] a = new double[n][n];
    for (int i = 0; i < n; i++) {
      for (int j = i; j < n; j++) {
        a[i][j] = a[j][i] = random.nextGaussian();
      }
    }
    Whitening.Eigen eigen = Whitening.Eigen.of(a);
    for (int k = 0; k < n; k++) {
      for (int i = 0; i < n; i++) {
        double av = 0;
        for (int j = 0; j < n; j++) {
          av += a[i][j] * eigen.vectors[j][k];
        }
        assertThat(av).isCloseTo(eigen.values[k] * eigen.vectors[i][k], within(1e-9));
      }
    }
    assertThat(eigen.values[eigen.order[0]])
        .isGreaterThanOrEqualTo(eigen.values[eigen.order[n - 1]]);
  }

  @Test
  void whiteningFiltersDecorrelateTheTrainingPatches() {
    byte[] noise = new byte[200 * LabeledImages.IMAGE_BYTES];
    new Random(5).nextBytes(noise);
    LabeledImages images = new LabeledImages(noise, new byte[200], SyntheticCifar.CLASSES);
    int[] all = java.util.stream.IntStream.range(0, 200).toArray();
    float[] filters = Whitening.filters(images, all, Normalization.CIFAR10);
    // random pixels: every eigenvalue is far above the 5e-4 regulariser, so the responses are white
    assertThat(filters).hasSize(24 * 12);
    // the responses of the 12 positive filters over every 2x2 patch: covariance close to identity
    double[][] cov = new double[12][12];
    long count = 0;
    for (int i = 0; i < 200; i++) {
      float[] x = new float[3 * 1024];
      for (int c = 0; c < 3; c++) {
        for (int p = 0; p < 1024; p++) {
          x[c * 1024 + p] =
              ((images.pixels()[i * 3072 + c * 1024 + p] & 0xFF) / 255f
                      - Normalization.CIFAR10.mean()[c])
                  / Normalization.CIFAR10.std()[c];
        }
      }
      for (int y = 0; y < 31; y += 3) {
        for (int xx = 0; xx < 31; xx += 3) {
          double[] r = new double[12];
          for (int f = 0; f < 12; f++) {
            int d = 0;
            for (int c = 0; c < 3; c++) {
              for (int dy = 0; dy < 2; dy++) {
                for (int dx = 0; dx < 2; dx++) {
                  r[f] += filters[f * 12 + d++] * x[c * 1024 + (y + dy) * 32 + xx + dx];
                }
              }
            }
          }
          for (int a = 0; a < 12; a++) {
            for (int b = 0; b < 12; b++) {
              cov[a][b] += r[a] * r[b];
            }
          }
          count++;
        }
      }
    }
    for (int a = 0; a < 12; a++) {
      for (int b = 0; b < 12; b++) {
        assertThat(cov[a][b] / count)
            .as("cov[%d][%d]", a, b)
            .isCloseTo(a == b ? 1 : 0, within(0.15));
      }
    }
    for (int i = 0; i < 12 * 12; i++) {
      assertThat(filters[12 * 12 + i])
          .as("the second half negates the first")
          .isEqualTo(-filters[i]);
    }
  }

  @Test
  void diracInitialisedConvolutionsPassTheirInputThrough() {
    Engines.pytorch();
    try (NDManager manager = NDManager.newBaseManager(Engines.ENGINE)) {
      Block conv =
          Conv2d.builder()
              .setKernelShape(new Shape(3, 3))
              .optPadding(new Shape(1, 1))
              .setFilters(8)
              .optBias(false)
              .build();
      conv.setInitializer(new DiracInitializer(4 * 9), Parameter.Type.WEIGHT);
      conv.initialize(manager, DataType.FLOAT32, new Shape(2, 4, 6, 6));
      NDArray x = manager.randomNormal(new Shape(2, 4, 6, 6));
      NDArray y =
          conv.forward(new ParameterStore(manager, false), new NDList(x), false).singletonOrThrow();
      assertThat(y.get(new NDIndex(":, 0:4")).allClose(x, 1e-6, 1e-6, false)).isTrue();
      assertThat(y.get(new NDIndex(":, 4:")).allClose(manager.zeros(new Shape(2, 4, 6, 6))))
          .isFalse();
    }
  }

  @Test
  void channelsLastKeepsValuesAndShape() {
    Engines.pytorch();
    try (NDManager manager = NDManager.newBaseManager(Engines.ENGINE)) {
      NDArray x = manager.randomNormal(new Shape(4, 3, 5, 6));
      NDArray y = MemoryLayout.CHANNELS_LAST.apply(x);
      assertThat(y.getShape()).isEqualTo(x.getShape());
      assertThat(y.contentEquals(x)).isTrue();
      assertThat(y.get(new NDIndex("1, 2, 3, 4")).getFloat())
          .isEqualTo(x.get(new NDIndex("1, 2, 3, 4")).getFloat());
      assertThat(Networks.named("fast").layout()).isEqualTo(MemoryLayout.CHANNELS_LAST);
      assertThat(Networks.named("seed").layout()).isEqualTo(MemoryLayout.NCHW);
    }
  }

  @Test
  void buildsToLogitsAndFreezesOnlyTheWhitening() {
    Network fast = Networks.named("fast");
    assertThat(fast.normalization()).isEqualTo(Normalization.CIFAR10);
    try (Model model = Model.newInstance("fast", Engines.ENGINE)) {
      Block block = BuiltNetworks.build(model, fast, 7);
      NDArray out = BuiltNetworks.logits(model, block, 3);
      assertThat(out.getShape()).isEqualTo(new Shape(3, 7));
      long frozen =
          block.getParameters().stream()
              .filter(
                  p ->
                      p.getValue().getType() == Parameter.Type.WEIGHT
                          && !p.getValue().requiresGradient())
              .count();
      long scaled =
          block.getParameters().stream()
              .filter(p -> fast.learningRateScale(p.getValue()) > 1)
              .count();
      assertThat(frozen).as("the whitening weights").isEqualTo(1);
      assertThat(scaled).as("the six batch-norm shifts").isEqualTo(6);

      Parameter whiteningBias = block.getChildren().get(0).getValue().getParameters().get("bias");
      for (int epoch = 1; epoch <= 5; epoch++) {
        fast.beforeEpoch(block, epoch);
        assertThat(whiteningBias.requiresGradient())
            .as("the whitening bias learns in epoch %d", epoch)
            .isEqualTo(epoch <= 3);
      }
      fast.beforeEpoch(block, 2);
      assertThat(whiteningBias.requiresGradient()).as("it depends on the epoch alone").isTrue();
    }
  }
}

package dev.cifar.classifier;

import dev.cifar.data.ImageConversion;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cifar.artifact.ModelArtifact;
import dev.cifar.data.LabeledImages;
import dev.cifar.testing.SyntheticCifar;
import dev.cifar.testing.TrainedModels;
import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class ClassifierTest {

    private static Classifier classifier;
    private static LabeledImages images;

    @BeforeAll
    static void load() {
        classifier = Classifier.builder().setArtifact(ModelArtifact.of(TrainedModels.synthetic())).optPoolSize(4).build();
        images = SyntheticCifar.images(64, 99);
    }

    @AfterAll
    static void close() {
        classifier.close();
    }

    @Test
    void classifiesKnownImagesWithTopKInOrder() {
        int correct = 0;
        for (int i = 0; i < images.size(); i++) {
            Prediction p = classifier.classify(images.image(i), 3);
            assertThat(p.top()).hasSize(3);
            assertThat(p.top().get(0).index()).isEqualTo(p.index());
            assertThat(p.top().get(0).probability()).isGreaterThanOrEqualTo(p.top().get(1).probability());
            assertThat(p.top().get(1).probability()).isGreaterThanOrEqualTo(p.top().get(2).probability());
            assertThat(p.label()).isEqualTo(SyntheticCifar.CLASSES.get(p.index()));
            if (p.index() == images.label(i)) {
                correct++;
            }
        }
        assertThat(correct).isGreaterThan(55);
    }

    @Test
    void probabilitiesSumToOne() {
        float[][] p = classifier.probabilities(List.of(images.image(0), images.image(1)));
        for (float[] row : p) {
            double sum = 0;
            for (float v : row) {
                sum += v;
            }
            assertThat(sum).isBetween(0.999, 1.001);
        }
    }

    @Test
    void batchEqualsSingles() {
        List<byte[]> batch = new ArrayList<>();
        for (int i = 0; i < 16; i++) {
            batch.add(images.image(i));
        }
        List<Prediction> together = classifier.classify(batch, 2);
        for (int i = 0; i < batch.size(); i++) {
            Prediction alone = classifier.classify(batch.get(i), 2);
            assertThat(together.get(i).index()).isEqualTo(alone.index());
            assertThat(together.get(i).probability()).isCloseTo(alone.probability(), org.assertj.core.data.Offset.offset(1e-5f));
        }
    }

    @Test
    void concurrentCallsGiveIndependentCorrectAnswers() throws Exception {
        int[] expected = new int[images.size()];
        for (int i = 0; i < images.size(); i++) {
            expected[i] = classifier.classify(images.image(i), 1).index();
        }
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<Boolean>> results = new ArrayList<>();
            for (int t = 0; t < 8; t++) {
                int offset = t;
                results.add(pool.submit(() -> {
                    for (int r = 0; r < 100; r++) {
                        int i = (offset * 7 + r) % images.size();
                        if (classifier.classify(images.image(i), 1).index() != expected[i]) {
                            return false;
                        }
                    }
                    return true;
                }));
            }
            for (Future<Boolean> f : results) {
                assertThat(f.get()).isTrue();
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void largerBufferedImagesAreResizedLikeTheTrainingData() {
        byte[] original = images.image(5);
        BufferedImage small = ImageConversion.toImage(original);
        assertThat(ImageConversion.toCifarBytes(small)).isEqualTo(original);
        BufferedImage big = new BufferedImage(128, 128, BufferedImage.TYPE_INT_ARGB);
        var g = big.createGraphics();
        g.drawImage(small, 0, 0, 128, 128, null);
        g.dispose();
        assertThat(classifier.classify(big, 1).index()).isEqualTo(classifier.classify(original, 1).index());
    }

    @Test
    void badInputIsRejectedWithAReason() {
        assertThatThrownBy(() -> classifier.classify(new byte[10], 1)).hasMessageContaining("10 bytes");
        assertThatThrownBy(() -> classifier.classify(images.image(0), 0)).hasMessageContaining("top must be between 1 and 10");
        assertThatThrownBy(() -> classifier.classify(images.image(0), 11)).hasMessageContaining("not 11");
    }
}

package dev.cifar.training;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import dev.cifar.ConfigurationException;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.Set;

/**
 * Augments a training batch on the training device, as one tensor: random horizontal flips,
 * random translations (a 32x32 crop of the image padded by 4 pixels with zeros) and cutout
 * (an 8x8 square set to the mean). The random choices come from a seeded {@link Random} per
 * batch, so a run and its resumption augment identically; labels are untouched.
 */
public final class Augmentation {

    /** The augmentations, by the name users give them. */
    public enum Kind {
        /** Random horizontal flip, half of the images. */
        FLIP,
        /** Random translation by up to 4 pixels (pad 4, crop 32). */
        CROP,
        /** One random 8x8 square per image set to the channel mean (0 after normalisation). */
        CUTOUT;

        /**
         * Parses a comma-separated list such as {@code flip,crop}.
         *
         * @param text the list; blank or {@code none} for no augmentation
         * @return the kinds
         * @throws ConfigurationException naming an unknown one
         */
        public static Set<Kind> parse(String text) {
            Set<Kind> kinds = EnumSet.noneOf(Kind.class);
            if (text == null || text.isBlank() || text.strip().equalsIgnoreCase("none")) {
                return kinds;
            }
            for (String part : text.split(",")) {
                try {
                    kinds.add(valueOf(part.strip().toUpperCase(Locale.ROOT)));
                } catch (IllegalArgumentException e) {
                    throw new ConfigurationException("Unknown augmentation '" + part.strip()
                            + "': use flip, crop and cutout, comma-separated (cifar.augment)");
                }
            }
            return kinds;
        }

        /**
         * Formats kinds as the list {@link #parse} reads.
         *
         * @param kinds the kinds
         * @return e.g. {@code flip,crop}, or {@code none}
         */
        public static String names(Set<Kind> kinds) {
            List<String> names = new ArrayList<>();
            kinds.forEach(k -> names.add(k.name().toLowerCase(Locale.ROOT)));
            return names.isEmpty() ? "none" : String.join(",", names);
        }
    }

    /**
     * Parses the test-time augmentation option.
     *
     * @param text {@code flip} or {@code none}
     * @return whether to average each image with its mirror
     * @throws ConfigurationException for anything else
     */
    public static boolean parseTta(String text) {
        String value = text == null ? "" : text.strip().toLowerCase(Locale.ROOT);
        return switch (value) {
            case "flip" -> true;
            case "none" -> false;
            default -> throw new ConfigurationException("Unknown test-time augmentation '" + text
                    + "': use flip or none (cifar.tta)");
        };
    }

    static final int PAD = 4;
    static final int CUTOUT = 8;

    private final Set<Kind> kinds;

    Augmentation(Set<Kind> kinds) {
        this.kinds = kinds;
    }

    boolean isEmpty() {
        return kinds.isEmpty();
    }

    /**
     * Flips and translates a uint8 batch.
     *
     * @param batch {@code (n, c, h, w)} uint8, on the training device
     * @param random the batch's seeded randomness
     * @param manager owns the results
     * @return the augmented batch, same shape and type
     */
    NDArray geometric(NDArray batch, Random random, NDManager manager) {
        NDArray x = batch;
        long n = x.getShape().get(0);
        long c = x.getShape().get(1);
        long h = x.getShape().get(2);
        long w = x.getShape().get(3);
        if (kinds.contains(Kind.FLIP)) {
            boolean[] flip = new boolean[(int) n];
            for (int i = 0; i < n; i++) {
                flip[i] = random.nextBoolean();
            }
            NDArray mask = manager.create(flip).reshape(n, 1, 1, 1).broadcast(n, c, h, w);
            x = NDArrays.where(mask, x.flip(3), x);
        }
        if (kinds.contains(Kind.CROP)) {
            NDArray padded = manager.zeros(new Shape(n, c, h + 2 * PAD, w + 2 * PAD), x.getDataType());
            padded.set(new NDIndex(":, :, {}:{}, {}:{}", PAD, PAD + h, PAD, PAD + w), x);
            long[] rows = new long[(int) (n * h)];
            long[] cols = new long[(int) (n * w)];
            for (int i = 0; i < n; i++) {
                int dy = random.nextInt(2 * PAD + 1);
                int dx = random.nextInt(2 * PAD + 1);
                for (int j = 0; j < h; j++) {
                    rows[(int) (i * h + j)] = dy + j;
                }
                for (int j = 0; j < w; j++) {
                    cols[(int) (i * w + j)] = dx + j;
                }
            }
            NDArray rowIndex = manager.create(rows, new Shape(n, 1, h, 1)).broadcast(n, c, h, w + 2 * PAD);
            NDArray colIndex = manager.create(cols, new Shape(n, 1, 1, w)).broadcast(n, c, h, w);
            x = padded.gather(rowIndex, 2).gather(colIndex, 3);
        }
        return x;
    }

    /**
     * Applies cutout to a normalised float batch (setting the square to 0, the mean).
     *
     * @param batch {@code (n, c, h, w)} float, normalised
     * @param random the batch's seeded randomness
     * @param manager owns the mask
     * @return the batch, changed in place
     */
    NDArray cutout(NDArray batch, Random random, NDManager manager) {
        if (!kinds.contains(Kind.CUTOUT)) {
            return batch;
        }
        int n = (int) batch.getShape().get(0);
        int h = (int) batch.getShape().get(2);
        int w = (int) batch.getShape().get(3);
        float[] keep = new float[n * h * w];
        java.util.Arrays.fill(keep, 1f);
        for (int i = 0; i < n; i++) {
            int cy = random.nextInt(h);
            int cx = random.nextInt(w);
            for (int y = Math.max(0, cy - CUTOUT / 2); y < Math.min(h, cy + CUTOUT / 2); y++) {
                for (int x = Math.max(0, cx - CUTOUT / 2); x < Math.min(w, cx + CUTOUT / 2); x++) {
                    keep[i * h * w + y * w + x] = 0f;
                }
            }
        }
        return batch.muli(manager.create(keep, new Shape(n, 1, h, w)).toType(DataType.FLOAT32, false));
    }
}

package dev.cifar.function;

/**
 * One image to classify: either {@code image}, a base64 PNG, JPEG, GIF or BMP of any size, or
 * {@code pixels}, 3072 values 0..255 in CIFAR order (1024 red, 1024 green, 1024 blue).
 */
public class PredictRequest extends JsonRequest {

  /** Base64 of an encoded image. */
  public String image;

  /** 3072 pixel values in CIFAR order. */
  public int[] pixels;

  /** How many classes to list, 1 to the number of classes; default 3. */
  public Integer top;

  /** For JSON binding. */
  public PredictRequest() {}

  /**
   * Creates a request for an encoded image.
   *
   * @param image base64 of a PNG, JPEG, GIF or BMP
   * @param top classes to list, or {@code null}
   */
  public PredictRequest(String image, Integer top) {
    this.image = image;
    this.top = top;
  }
}

package dev.cifar.deploy;

import java.util.regex.Pattern;

/** Container image references: {@code [registry/]group/name:tag}. */
final class Images {

  /** A reference with a repository and a tag. */
  static final Pattern REFERENCE =
      Pattern.compile("([a-z0-9.-]+(:[0-9]+)?/)?([a-z0-9._-]+/)*[a-z0-9._-]+:[A-Za-z0-9._-]+");

  private Images() {}

  /**
   * Returns the last path segment of a reference, without the tag.
   *
   * @param image e.g. {@code docker.io/cifar/cifar-function-gpu:0.1.0-SNAPSHOT}
   * @return e.g. {@code cifar-function-gpu}
   */
  static String repository(String image) {
    String path = image.substring(image.lastIndexOf('/') + 1);
    int colon = path.indexOf(':');
    return colon < 0 ? path : path.substring(0, colon);
  }

  /**
   * Returns the tag.
   *
   * @param image a reference
   * @return the part after the last colon of its last segment
   */
  static String tag(String image) {
    String path = image.substring(image.lastIndexOf('/') + 1);
    return path.substring(path.indexOf(':') + 1);
  }

  /**
   * Drops Docker Hub's implicit registry, so that {@code docker.io/cifar/x:1} and {@code cifar/x:1}
   * compare equal.
   *
   * @param image a reference
   * @return the reference as {@code docker build -t} would name it
   */
  static String normalize(String image) {
    return image.startsWith("docker.io/") ? image.substring("docker.io/".length()) : image;
  }
}

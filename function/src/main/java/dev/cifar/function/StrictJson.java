package dev.cifar.function;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.exc.StreamReadException;
import com.fasterxml.jackson.databind.BeanDescription;
import com.fasterxml.jackson.databind.DeserializationConfig;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.deser.BeanDeserializerBuilder;
import com.fasterxml.jackson.databind.deser.BeanDeserializerModifier;
import com.fasterxml.jackson.databind.deser.SettableBeanProperty;
import com.fasterxml.jackson.databind.deser.impl.NullsFailProvider;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.type.LogicalType;
import io.quarkus.jackson.ObjectMapperCustomizer;
import jakarta.inject.Singleton;
import java.io.IOException;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * JSON request bodies are read as written, never coerced: a string, a decimal, a boolean or {@code
 * null} where a whole number belongs (and a number or boolean where a string belongs) is a 400 that
 * names the field, e.g. {@code request.top must be a whole number, not a decimal number}. Applies
 * to the application's one {@link ObjectMapper}, which Funqy, the CloudEvents route and the AWS
 * Lambda runtime read with: the refusal of coercions holds for every type (the platform's events
 * are typed JSON), the refusal of {@code null} for the request types only.
 */
@Singleton
public class StrictJson implements ObjectMapperCustomizer {

  @Override
  public void customize(ObjectMapper mapper) {
    mapper.configure(DeserializationFeature.ACCEPT_FLOAT_AS_INT, false);
    mapper.configure(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES, true);
    mapper.registerModule(
        new SimpleModule("cifar-requests-refuse-null").setDeserializerModifier(new NullsFail()));
    for (LogicalType type : List.of(LogicalType.Integer, LogicalType.Float)) {
      mapper
          .coercionConfigFor(type)
          .setCoercion(CoercionInputShape.String, CoercionAction.Fail)
          .setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail)
          .setCoercion(CoercionInputShape.EmptyString, CoercionAction.Fail);
    }
    mapper
        .coercionConfigFor(LogicalType.Integer)
        .setCoercion(CoercionInputShape.Float, CoercionAction.Fail);
    mapper
        .coercionConfigFor(LogicalType.Textual)
        .setCoercion(CoercionInputShape.Integer, CoercionAction.Fail)
        .setCoercion(CoercionInputShape.Float, CoercionAction.Fail)
        .setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail);
    mapper
        .coercionConfigFor(LogicalType.Boolean)
        .setCoercion(CoercionInputShape.String, CoercionAction.Fail)
        .setCoercion(CoercionInputShape.Integer, CoercionAction.Fail);
  }

  /**
   * A {@code null} is refused in the fields of the function's request types ({@link JsonRequest})
   * only: the same mapper reads what the platform sends (AWS Lambda's events, whose absent fields
   * come as {@code null}), and those must stay readable.
   */
  private static final class NullsFail extends BeanDeserializerModifier {
    @Override
    public BeanDeserializerBuilder updateBuilder(
        DeserializationConfig config, BeanDescription bean, BeanDeserializerBuilder builder) {
      if (JsonRequest.class.isAssignableFrom(bean.getBeanClass())) {
        List<SettableBeanProperty> properties = new ArrayList<>();
        builder.getProperties().forEachRemaining(properties::add);
        for (SettableBeanProperty p : properties) {
          builder.addOrReplaceProperty(
              p.withNullProvider(NullsFailProvider.constructForProperty(p)), true);
        }
      }
      return builder;
    }
  }

  /**
   * Reads a request body strictly.
   *
   * @param mapper the application's mapper
   * @param body the JSON text
   * @param type the request type
   * @param root how to name the body's top level in errors, e.g. {@code request}; empty for none
   * @param <T> the request type
   * @return the request, or {@code null} for the JSON {@code null}
   * @throws BadRequestException naming the field to blame, or where the JSON is broken
   */
  public static <T> T read(ObjectMapper mapper, byte[] body, Class<T> type, String root) {
    try (JsonParser parser = mapper.createParser(body)) {
      try {
        return mapper.readValue(parser, type);
      } catch (JsonMappingException e) {
        if (e.getCause() instanceof StreamReadException broken) {
          throw syntax(broken); // a syntax error inside a field
        }
        if (e.getPath().isEmpty()) {
          throw new BadRequestException(
              "the request body is not valid JSON for this function: it must be a JSON object"
                  + actual(parser.currentToken()));
        }
        String field = (root + path(e.getPath())).replaceFirst("^\\.", "");
        throw new BadRequestException(
            field
                + " must be "
                + expected(typeAt(type, e.getPath()))
                + actual(parser.currentToken()));
      } catch (JacksonException e) {
        throw syntax(e);
      }
    } catch (IOException e) {
      // not JacksonException: the bytes are no text in any encoding JSON may use
      throw new BadRequestException(
          "the request body is not valid JSON: it is not UTF-8 text (" + e.getMessage() + ")");
    }
  }

  private static BadRequestException syntax(JacksonException e) {
    String where =
        e.getLocation() == null
            ? ""
            : " (line "
                + e.getLocation().getLineNr()
                + ", column "
                + e.getLocation().getColumnNr()
                + ")";
    return new BadRequestException(
        "the request body is not valid JSON: " + firstLine(e.getOriginalMessage()) + where);
  }

  private static String path(List<JsonMappingException.Reference> path) {
    StringBuilder text = new StringBuilder();
    for (JsonMappingException.Reference ref : path) {
      if (ref.getFieldName() != null) {
        text.append('.').append(ref.getFieldName());
      } else if (ref.getIndex() >= 0) {
        text.append('[').append(ref.getIndex()).append(']');
      }
    }
    return text.toString();
  }

  /** The declared type at a path of public fields, list elements and array elements. */
  private static Type typeAt(Class<?> root, List<JsonMappingException.Reference> path) {
    Type type = root;
    for (JsonMappingException.Reference ref : path) {
      Class<?> raw = raw(type);
      if (raw == null) {
        return null;
      }
      if (ref.getFieldName() != null) {
        try {
          type = raw.getField(ref.getFieldName()).getGenericType();
        } catch (NoSuchFieldException e) {
          return null;
        }
      } else if (raw.isArray()) {
        type = raw.getComponentType();
      } else if (type instanceof ParameterizedType p && List.class.isAssignableFrom(raw)) {
        type = p.getActualTypeArguments()[0];
      } else {
        return null;
      }
    }
    return type;
  }

  private static Class<?> raw(Type type) {
    return type instanceof Class<?> c
        ? c
        : type instanceof ParameterizedType p && p.getRawType() instanceof Class<?> c ? c : null;
  }

  private static String expected(Type declared) {
    Class<?> type = raw(declared);
    if (type == null) {
      return "of another type";
    }
    if (type == Integer.class || type == int.class || type == Long.class || type == long.class) {
      return "a whole number";
    }
    if (type == int[].class) {
      return "an array of whole numbers";
    }
    if (type == String.class) {
      return "a string";
    }
    if (type == Boolean.class || type == boolean.class) {
      return "true or false";
    }
    if (type.isArray() || Collection.class.isAssignableFrom(type) || type == TensorData.class) {
      return "an array";
    }
    return "a JSON object";
  }

  private static String actual(JsonToken token) {
    String actual = token == null ? null : describe(token);
    return actual == null ? "" : ", not " + actual;
  }

  private static String describe(JsonToken token) {
    return switch (token) {
      case VALUE_STRING -> "a string";
      case VALUE_NUMBER_INT -> "a whole number";
      case VALUE_NUMBER_FLOAT -> "a decimal number";
      case VALUE_TRUE, VALUE_FALSE -> "a boolean";
      case VALUE_NULL -> "null";
      case START_OBJECT, END_OBJECT, FIELD_NAME -> "an object";
      case START_ARRAY, END_ARRAY -> "an array";
      default -> null;
    };
  }

  private static String firstLine(String message) {
    int newline = message == null ? -1 : message.indexOf('\n');
    return newline < 0 ? String.valueOf(message) : message.substring(0, newline);
  }
}

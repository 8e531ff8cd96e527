package dev.promptedge.runtime.json;

import com.google.protobuf.ByteString;
import com.google.protobuf.Descriptors.EnumValueDescriptor;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.Message;
import com.google.protobuf.MessageOrBuilder;
import java.util.Base64;
import java.util.List;
import java.util.Map;

/**
 * Protobuf messages as JSON, following the proto3 JSON mapping (lowerCamelCase names, 64-bit
 * integers as strings, bytes as base64, enums by name, maps as objects keyed by the key's text)
 * without protobuf-java-util and its Gson and Guava. Scalars, lists and maps are always written,
 * sub-messages only when set. Parsing accepts JSON names and proto field names. Stateless and
 * thread-safe.
 */
public final class ProtoJson {

  private ProtoJson() {}

  /** The message as one line of JSON. */
  public static String print(MessageOrBuilder message) {
    StringBuilder out = new StringBuilder(256);
    writeMessage(out, message);
    return out.toString();
  }

  /**
   * Merges JSON text into {@code builder}.
   *
   * @throws IllegalArgumentException naming what is wrong with the text
   */
  public static <B extends Message.Builder> B merge(String json, B builder) {
    Object value = new JsonReader(json).readDocument();
    if (!(value instanceof Map)) {
      throw new IllegalArgumentException("expected a JSON object");
    }
    mergeObject((Map<?, ?>) value, builder);
    return builder;
  }

  private static void writeMessage(StringBuilder out, MessageOrBuilder message) {
    out.append('{');
    boolean first = true;
    for (FieldDescriptor field : message.getDescriptorForType().getFields()) {
      boolean isMessage = field.getJavaType() == FieldDescriptor.JavaType.MESSAGE;
      if (isMessage && !field.isRepeated() && !message.hasField(field)) {
        continue;
      }
      if (!first) {
        out.append(',');
      }
      first = false;
      JsonWriter.string(out, field.getJsonName());
      out.append(':');
      Object value = message.getField(field);
      if (field.isMapField()) {
        writeMap(out, field, (List<?>) value);
      } else if (field.isRepeated()) {
        out.append('[');
        List<?> items = (List<?>) value;
        for (int i = 0; i < items.size(); i++) {
          if (i > 0) {
            out.append(',');
          }
          writeValue(out, field, items.get(i));
        }
        out.append(']');
      } else {
        writeValue(out, field, value);
      }
    }
    out.append('}');
  }

  private static void writeMap(StringBuilder out, FieldDescriptor field, List<?> entries) {
    FieldDescriptor key = field.getMessageType().findFieldByNumber(1);
    FieldDescriptor value = field.getMessageType().findFieldByNumber(2);
    out.append('{');
    for (int i = 0; i < entries.size(); i++) {
      Message entry = (Message) entries.get(i);
      if (i > 0) {
        out.append(',');
      }
      Object k = entry.getField(key);
      JsonWriter.string(out, k instanceof String ? (String) k : unquoted(key, k));
      out.append(':');
      writeValue(out, value, entry.getField(value));
    }
    out.append('}');
  }

  /** A scalar map key as JSON would write it unquoted. */
  private static String unquoted(FieldDescriptor key, Object k) {
    StringBuilder text = new StringBuilder();
    writeValue(text, key, k);
    String s = text.toString();
    return s.startsWith("\"") ? s.substring(1, s.length() - 1) : s;
  }

  private static void writeValue(StringBuilder out, FieldDescriptor field, Object value) {
    switch (field.getJavaType()) {
      case MESSAGE:
        writeMessage(out, (MessageOrBuilder) value);
        break;
      case STRING:
        JsonWriter.string(out, (String) value);
        break;
      case BYTE_STRING:
        JsonWriter.string(
            out, Base64.getEncoder().encodeToString(((ByteString) value).toByteArray()));
        break;
      case ENUM:
        JsonWriter.string(out, ((EnumValueDescriptor) value).getName());
        break;
      case LONG:
        long v = (Long) value;
        JsonWriter.string(out, unsigned(field) ? Long.toUnsignedString(v) : Long.toString(v));
        break;
      case INT:
        int i = (Integer) value;
        out.append(unsigned(field) ? Integer.toUnsignedString(i) : Integer.toString(i));
        break;
      case FLOAT:
      case DOUBLE:
        JsonWriter.number(out, ((Number) value).doubleValue());
        break;
      case BOOLEAN:
        out.append(value);
        break;
      default:
        throw new IllegalStateException("unhandled field type " + field.getJavaType());
    }
  }

  private static void mergeObject(Map<?, ?> object, Message.Builder builder) {
    for (Map.Entry<?, ?> entry : object.entrySet()) {
      String key = (String) entry.getKey();
      FieldDescriptor field = find(builder, key);
      Object value = entry.getValue();
      if (value == null) {
        continue;
      }
      if (field.isMapField()) {
        if (!(value instanceof Map)) {
          throw new IllegalArgumentException("field '" + key + "' must be a JSON object");
        }
        mergeMap(builder, field, key, (Map<?, ?>) value);
      } else if (field.isRepeated()) {
        if (!(value instanceof List)) {
          throw new IllegalArgumentException("field '" + key + "' must be a JSON array");
        }
        for (Object item : (List<?>) value) {
          builder.addRepeatedField(field, convert(builder, field, key, item));
        }
      } else {
        builder.setField(field, convert(builder, field, key, value));
      }
    }
  }

  private static boolean unsigned(FieldDescriptor field) {
    return switch (field.getType()) {
      case UINT64, FIXED64, UINT32, FIXED32 -> true;
      default -> false;
    };
  }

  private static void mergeMap(
      Message.Builder builder, FieldDescriptor field, String key, Map<?, ?> object) {
    FieldDescriptor keyField = field.getMessageType().findFieldByNumber(1);
    FieldDescriptor valueField = field.getMessageType().findFieldByNumber(2);
    for (Map.Entry<?, ?> e : object.entrySet()) {
      Message.Builder entry = builder.newBuilderForField(field);
      String k = (String) e.getKey();
      Object keyValue =
          keyField.getJavaType() == FieldDescriptor.JavaType.BOOLEAN
              ? parseBoolean(k, key)
              : convert(entry, keyField, key, k);
      entry.setField(keyField, keyValue);
      if (e.getValue() != null) {
        entry.setField(valueField, convert(entry, valueField, key, e.getValue()));
      }
      builder.addRepeatedField(field, entry.build());
    }
  }

  private static boolean parseBoolean(String text, String key) {
    if (!text.equals("true") && !text.equals("false")) {
      throw new IllegalArgumentException("field '" + key + "' has a map key that is not a bool");
    }
    return text.equals("true");
  }

  private static FieldDescriptor find(Message.Builder builder, String key) {
    for (FieldDescriptor field : builder.getDescriptorForType().getFields()) {
      if (field.getJsonName().equals(key) || field.getName().equals(key)) {
        return field;
      }
    }
    throw new IllegalArgumentException(
        "unknown field '" + key + "' for " + builder.getDescriptorForType().getName());
  }

  private static Object convert(
      Message.Builder builder, FieldDescriptor field, String key, Object value) {
    try {
      switch (field.getJavaType()) {
        case MESSAGE:
          Message.Builder child = builder.newBuilderForField(field);
          mergeObject((Map<?, ?>) value, child);
          return child.build();
        case STRING:
          return (String) value;
        case BYTE_STRING:
          return ByteString.copyFrom(Base64.getDecoder().decode((String) value));
        case ENUM:
          EnumValueDescriptor e =
              value instanceof String
                  ? field.getEnumType().findValueByName((String) value)
                  : field.getEnumType().findValueByNumber(((Number) value).intValue());
          if (e == null) {
            throw new IllegalArgumentException("unknown value " + value);
          }
          return e;
        case LONG:
          return value instanceof String
              ? (unsigned(field)
                  ? Long.parseUnsignedLong((String) value)
                  : Long.parseLong((String) value))
              : ((Number) value).longValue();
        case INT:
          return value instanceof String
              ? (unsigned(field)
                  ? Integer.parseUnsignedInt((String) value)
                  : Integer.parseInt((String) value))
              : ((Number) value).intValue();
        case FLOAT:
          return ((Number) value).floatValue();
        case DOUBLE:
          return ((Number) value).doubleValue();
        case BOOLEAN:
          return (Boolean) value;
        default:
          throw new IllegalStateException("unhandled field type " + field.getJavaType());
      }
    } catch (ClassCastException | NumberFormatException e) {
      throw new IllegalArgumentException(
          "field '" + key + "' has a value of the wrong type: " + value);
    }
  }
}

using System.Text.Json;
using System.Text.Json.Serialization;
using Hean.Core.Domain;
using Hean.Core.Orders;

namespace Hean.Actors.Persistence;

/// <summary>JSON settings shared by the journal serializer and the HTTP API.</summary>
public static class HeanJson
{
    public static JsonSerializerOptions Options { get; } = Create();

    private static JsonSerializerOptions Create()
    {
        var o = new JsonSerializerOptions
        {
            PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
            DefaultIgnoreCondition = JsonIgnoreCondition.Never,
            NumberHandling = JsonNumberHandling.Strict,
        };
        o.Converters.Add(new SymbolConverter());
        o.Converters.Add(new ClientOrderIdConverter());
        o.Converters.Add(new JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseLower));
        o.MakeReadOnly(populateMissingResolver: true);
        return o;
    }

    private sealed class SymbolConverter : JsonConverter<Symbol>
    {
        public override Symbol Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
            new(reader.GetString() ?? throw new JsonException("symbol must be a string"));

        public override void Write(Utf8JsonWriter writer, Symbol value, JsonSerializerOptions options) => writer.WriteStringValue(value.Value);

        public override Symbol ReadAsPropertyName(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
            new(reader.GetString()!);

        public override void WriteAsPropertyName(Utf8JsonWriter writer, Symbol value, JsonSerializerOptions options) =>
            writer.WritePropertyName(value.Value);
    }

    private sealed class ClientOrderIdConverter : JsonConverter<ClientOrderId>
    {
        public override ClientOrderId Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
            new(reader.GetString() ?? throw new JsonException("client order id must be a string"));

        public override void Write(Utf8JsonWriter writer, ClientOrderId value, JsonSerializerOptions options) => writer.WriteStringValue(value.Value);
    }
}

using System.Globalization;
using System.Text.Json;

namespace Hean.Host.Commands.Display;

/// <summary>Reads a node's answer field by field; a missing or null field is null, so a view shows "-" instead of failing.</summary>
public static class JsonFields
{
    public static JsonElement? Field(this JsonElement e, string name) =>
        e.ValueKind == JsonValueKind.Object && e.TryGetProperty(name, out var v) && v.ValueKind != JsonValueKind.Null ? v : null;

    public static decimal? Decimal(this JsonElement e, string name) =>
        e.Field(name) is { ValueKind: JsonValueKind.Number } v && v.TryGetDecimal(out var d) ? d : null;

    public static long? Long(this JsonElement e, string name) =>
        e.Field(name) is { ValueKind: JsonValueKind.Number } v && v.TryGetInt64(out var n) ? n : null;

    public static bool? Flag(this JsonElement e, string name) =>
        e.Field(name) is { ValueKind: JsonValueKind.True or JsonValueKind.False } v ? v.GetBoolean() : null;

    /// <summary>A string field as printable text (control characters replaced); any other value as its JSON text.</summary>
    public static string? Text(this JsonElement e, string name) => e.Field(name) is { } v
        ? Hean.Core.Domain.DisplayText.Printable(v.ValueKind == JsonValueKind.String ? v.GetString()! : v.GetRawText(), 300)
        : null;

    public static DateTime? Time(this JsonElement e, string name) =>
        e.Field(name) is { ValueKind: JsonValueKind.String } v
        && DateTime.TryParse(v.GetString(), CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out var t)
            ? t
            : null;

    public static IEnumerable<JsonElement> Items(this JsonElement e, string name) =>
        e.Field(name) is { ValueKind: JsonValueKind.Array } v ? v.EnumerateArray() : [];
}

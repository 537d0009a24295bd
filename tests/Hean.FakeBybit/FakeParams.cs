using System.Globalization;
using System.Text.Json;
using Microsoft.AspNetCore.Http;

namespace Hean.FakeBybit;

/// <summary>The parameters of one REST request, from the query string (GET) or the JSON body (POST).</summary>
internal sealed class FakeParams
{
    private readonly Dictionary<string, string> _values;

    private FakeParams(Dictionary<string, string> values) => _values = values;

    public static FakeParams FromQuery(IQueryCollection query) =>
        new(query.ToDictionary(kv => kv.Key, kv => kv.Value.ToString()));

    /// <summary>The body's top-level scalars as text; null when it is not a JSON object.</summary>
    public static FakeParams? FromJson(string body)
    {
        try
        {
            using var doc = JsonDocument.Parse(body.Length == 0 ? "{}" : body);
            if (doc.RootElement.ValueKind != JsonValueKind.Object) return null;
            var values = new Dictionary<string, string>();
            foreach (var p in doc.RootElement.EnumerateObject())
                values[p.Name] = p.Value.ValueKind switch
                {
                    JsonValueKind.String => p.Value.GetString()!,
                    JsonValueKind.True => "true",
                    JsonValueKind.False => "false",
                    _ => p.Value.GetRawText(),
                };
            return new FakeParams(values);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    public string? this[string name] => _values.TryGetValue(name, out var v) && v.Length > 0 ? v : null;

    public decimal? Decimal(string name) =>
        this[name] is { } s && decimal.TryParse(s, NumberStyles.Number, CultureInfo.InvariantCulture, out var d) ? d : null;

    public bool Has(string name) => this[name] is not null;

    public int Int(string name, int fallback) =>
        this[name] is { } s && int.TryParse(s, NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? n : fallback;
}

/// <summary>A REST answer: the retCode and the full JSON envelope, written while the venue's state was consistent.</summary>
internal sealed record FakeReply(int RetCode, string Json);

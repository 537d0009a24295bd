using System.Text.Json;
using StackExchange.Redis;

namespace Hean.Persistence.Redis.EventBus;

/// <summary>A lifecycle event for the bus: its type (TICK, SIGNAL, ORDER_FILLED, …), when it happened, and its JSON.</summary>
public sealed record BusEvent(string Type, DateTime Time, string Data);

/// <summary>An entry read back from a stream: the stream, the entry id Redis gave it, and the event.</summary>
public sealed record BusEntry(string Stream, string Id, string Type, string Time, string Data)
{
    /// <summary>One JSON line: {"stream","id","type","time","data"} with data as JSON (or a string if it is not JSON).</summary>
    public string ToJsonLine()
    {
        using var buffer = new MemoryStream();
        using (var w = new Utf8JsonWriter(buffer))
        {
            w.WriteStartObject();
            w.WriteString("stream", Stream);
            w.WriteString("id", Id);
            w.WriteString("type", Type);
            w.WriteString("time", Time);
            w.WritePropertyName("data");
            try
            {
                using var doc = JsonDocument.Parse(Data);
                doc.RootElement.WriteTo(w);
            }
            catch (JsonException)
            {
                w.WriteStringValue(Data);
            }
            w.WriteEndObject();
        }
        return System.Text.Encoding.UTF8.GetString(buffer.ToArray());
    }

    internal static BusEntry From(string stream, StreamEntry e)
    {
        string Field(string name) => e.Values.FirstOrDefault(v => v.Name == name).Value.ToString();
        return new BusEntry(stream, e.Id.ToString(), Field("type"), Field("time"), Field("data"));
    }

    /// <summary>Orders stream entry ids ("ms-seq") numerically, so entries of several streams merge in time order.</summary>
    public static int CompareIds(string a, string b)
    {
        var (am, asq) = Split(a);
        var (bm, bsq) = Split(b);
        return am != bm ? am.CompareTo(bm) : asq.CompareTo(bsq);
    }

    private static (long Ms, long Seq) Split(string id)
    {
        var dash = id.IndexOf('-');
        return dash < 0 ? (long.Parse(id), 0) : (long.Parse(id[..dash]), long.Parse(id[(dash + 1)..]));
    }
}

using System.Globalization;
using System.Text;

namespace Hean.Bybit.Recording;

/// <summary>
/// The file <c>hean record</c> writes: gzip text, one JSON object per line.
/// <list type="bullet">
/// <item>first line, a header: <c>{"format":"hean-bybit-recording","version":1,"url":…,"topics":[…],"started_ns":…}</c>;</item>
/// <item>one line per WebSocket message as the venue sent it, with the local receive time in nanoseconds since the
/// epoch: <c>{"recv_ns":1733011200691000000,"msg":{…V5 message…}}</c>;</item>
/// <item>one line per (re)connection: <c>{"recv_ns":…,"event":"connected","connection":2}</c>. Messages may have been
/// lost in between, so on replay every book waits for the snapshot that the new subscription brings.</item>
/// </list>
/// Bare V5 messages, one per line (<c>{"topic":…}</c>, as in Bybit captures found elsewhere), are read as well.
/// </summary>
public static class BybitRecordingFormat
{
    public const string FormatName = "hean-bybit-recording";
    public const int Version = 1;

    public const string Description =
        "Bybit recording: JSON lines, each a V5 WebSocket message ({\"topic\":…}) or, as hean record writes them, {\"recv_ns\":…,\"msg\":{…}}";

    public static long Nanoseconds(DateTime utc) => (utc - DateTime.UnixEpoch).Ticks * 100;

    public static string Header(Uri url, IReadOnlyList<string> topics, DateTime started)
    {
        var sb = new StringBuilder();
        sb.Append("{\"format\":\"").Append(FormatName).Append("\",\"version\":").Append(Version)
            .Append(",\"url\":\"").Append(Escape(url.ToString())).Append("\",\"topics\":[");
        for (var i = 0; i < topics.Count; i++) sb.Append(i == 0 ? "" : ",").Append('"').Append(Escape(topics[i])).Append('"');
        sb.Append("],\"started_ns\":").Append(Nanoseconds(started).ToString(CultureInfo.InvariantCulture)).Append('}');
        return sb.ToString();
    }

    /// <summary>A message line; <paramref name="json"/> must be one JSON value (the venue's message text, untouched).</summary>
    public static string Message(DateTime received, string json) =>
        "{\"recv_ns\":" + Nanoseconds(received).ToString(CultureInfo.InvariantCulture) + ",\"msg\":" + json + "}";

    public static string Connected(DateTime at, long connection) =>
        "{\"recv_ns\":" + Nanoseconds(at).ToString(CultureInfo.InvariantCulture) + ",\"event\":\"connected\",\"connection\":" +
        connection.ToString(CultureInfo.InvariantCulture) + "}";

    private static string Escape(string s) => s.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal);
}

using System.Text.Json;
using Spectre.Console;
using Spectre.Console.Rendering;

namespace Hean.Host.Commands.Display;

/// <summary>The market feed's status (`hean feed pause|resume`, and the feed section of `hean state`).</summary>
public static class FeedView
{
    public static IRenderable Render(JsonElement feed, DateTime wall) =>
        new Rows(new Text($"at wall time {Formats.Time(wall)}"), Section(feed, wall));

    public static Table Section(JsonElement f, DateTime wall)
    {
        var last = f.Time("last_market_time");
        return new KeyValues("market feed")
            .Add("paused", Cells.YesNo(f.Flag("paused")))
            .Add("completed", Cells.YesNo(f.Flag("completed")))
            .Add("events", f.Long("events").Or(Formats.Count))
            .Add("events per second", f.Field("events_per_second") is { ValueKind: JsonValueKind.Number } rate ? Formats.Rate(rate.GetDouble()) : null)
            .Add("signals", f.Long("signals").Or(Formats.Count))
            .Add("first market time", f.Time("first_market_time") is { } first ? Formats.Time(first) : null)
            .Add("last market time", last is { } t ? $"{Formats.Time(t)} ({Formats.MarketLag(t, wall)})" : null)
            .Add("errors", f.Long("errors").Or(Formats.Count))
            .Add("last error", f.Text("last_error"))
            .Add("last error at (wall time)", f.Time("last_error_at") is { } at ? Formats.Time(at) : null)
            .Add("stream failed", Cells.YesNo(f.Flag("stream_failed")))
            .Table;
    }
}

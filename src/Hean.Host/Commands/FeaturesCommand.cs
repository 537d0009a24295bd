using System.CommandLine;
using System.Globalization;
using Symbol = Hean.Core.Domain.Symbol;
using Hean.Core.Indicators;
using Hean.Core.MarketData;
using Hean.Core.MarketData.Replay;

namespace Hean.Host.Commands;

/// <summary>
/// `hean features --data FILE --indicators SPEC [--out FILE]`: the streaming indicators run over an
/// OHLCV CSV, written as CSV: a <c>date</c> column (the bar's time from the input, ISO-8601 UTC;
/// date only when every bar starts at midnight), then one column per indicator output named as in
/// <see cref="IndicatorSpec"/>; cells are empty while an output is undefined (warm-up).
/// Exit code 0 done, 2 bad input (file, format or spec: the message says what and where), 1 anything else.
/// </summary>
public static class FeaturesCommand
{

    // Indicators do not use the bar interval; giving one lets a single-row file through (it could not be inferred).
    private static readonly TimeSpan UnusedInterval = TimeSpan.FromMinutes(1);
    private static readonly Symbol FileSymbol = new("CSV");

    public static Command Create()
    {
        // --data as on backtest and train; --input, its first name, is still taken.
        var data = new Option<string>("--data", "--input") { Description = "OHLCV CSV (.csv or .csv.gz) with date/time, open, high, low, close, volume columns", Required = true };
        var indicators = new Option<string>("--indicators")
        {
            Required = true,
            Description = "comma list such as sma:20,ema:20,rsi:14,macd:12:26:9,bb:20:2,atr:14,adx:14,stoch:14:3:3,willr:14,cci:20,roc:14,mfi:14,obv,vwap",
        };
        var output = new Option<string?>("--out") { Description = "write the CSV here (default: standard output)" };
        var cmd = new Command("features", "compute indicators over an OHLCV CSV and write them as CSV") { data, indicators, output };
        cmd.SetAction(async (r, ct) => await Program.Guard(async () =>
        {
            var file = r.GetValue(data)!;
            var specs = IndicatorSpec.ParseList(r.GetValue(indicators)!);
            var candles = OhlcvCsvReader.ReadAll(file, FileSymbol, UnusedInterval);
            if (r.GetValue(output) is { } path)
            {
                // Written beside the target and renamed over it when complete: a failure or Ctrl-C leaves the old file.
                await Hean.ML.Inference.AtomicFile.WriteAsync(path, async stream =>
                {
                    await using var writer = new StreamWriter(stream, leaveOpen: true);
                    await Write(candles, specs, writer, ct);
                });
                await Console.Error.WriteLineAsync($"{candles.Count} bars, {specs.Sum(s => s.Columns.Count)} columns written to {path}");
            }
            else
            {
                await Write(candles, specs, Console.Out, ct);
            }
            return Program.Ok;
        }));
        return cmd;
    }

    /// <summary>Runs every indicator over the bars and writes the table.</summary>
    public static async Task Write(IReadOnlyList<Candle> candles, IReadOnlyList<IndicatorSpec> specs, TextWriter writer, CancellationToken ct = default)
    {
        var indicators = specs.Select(s => s.Create()).ToArray();
        var dateOnly = candles.All(c => c.Time.TimeOfDay == TimeSpan.Zero);
        var subSecond = candles.Any(c => c.Time.Ticks % TimeSpan.TicksPerSecond != 0);
        var dateFormat = dateOnly ? "yyyy-MM-dd" : subSecond ? "yyyy-MM-dd'T'HH:mm:ss.FFFFFFF'Z'" : "yyyy-MM-dd'T'HH:mm:ss'Z'";

        writer.NewLine = "\n";
        await writer.WriteLineAsync("date," + string.Join(",", specs.SelectMany(s => s.Columns)));
        var line = new System.Text.StringBuilder();
        foreach (var candle in candles)
        {
            ct.ThrowIfCancellationRequested();
            var bar = OhlcvBar.From(candle);
            line.Clear().Append(candle.Time.ToString(dateFormat, CultureInfo.InvariantCulture));
            foreach (var indicator in indicators)
            {
                indicator.Update(bar);
                for (var o = 0; o < indicator.OutputCount; o++)
                {
                    line.Append(',');
                    var value = indicator.Output(o);
                    if (double.IsFinite(value)) line.Append(value.ToString("R", CultureInfo.InvariantCulture));
                }
            }
            await writer.WriteLineAsync(line, ct);
        }
        await writer.FlushAsync(ct);
    }
}

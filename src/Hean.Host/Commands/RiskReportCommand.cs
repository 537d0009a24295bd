using System.CommandLine;
using System.Globalization;
using Hean.Core.Domain;
using Hean.Core.MarketData.Replay;
using Hean.Core.Risk;
using Symbol = Hean.Core.Domain.Symbol;

namespace Hean.Host.Commands;

/// <summary>
/// `hean risk report`: 1-day VaR and CVaR (historical and bootstrap Monte Carlo, seeded) and the
/// stress scenarios for the positions of a running node (or given notionals), on the daily returns
/// of recorded candles.
/// </summary>
public static class RiskReportCommand
{
    public sealed record Report(IReadOnlyList<string> Symbols, IReadOnlyList<double> Notionals, int Days,
        VarResult Historical, VarResult Bootstrap, IReadOnlyList<StressResult> Stress);

    public static Command Create(NodeClient node)
    {
        var data = new Option<string[]>("--data") { Description = "OHLCV CSV per symbol, as FILE or FILE:SYMBOL (repeat for several symbols)", Required = true, AllowMultipleArgumentsPerToken = true };
        var notional = new Option<string[]>("--notional") { Description = "SYMBOL=USDT signed position notional (repeatable); default: the running node's positions" };
        var paths = new Option<int>("--paths") { Description = "Monte Carlo paths", DefaultValueFactory = _ => 10_000 };
        var seed = new Option<ulong>("--seed") { Description = "seed of the bootstrap", DefaultValueFactory = _ => 1UL };
        var halfSpread = new Option<double>("--half-spread-bps") { Description = "usual half spread, for the liquidity scenario", DefaultValueFactory = _ => 2.0 };
        var cmd = new Command("report", "VaR / CVaR (95%, 99%, 1 day) and stress tests of the current positions") { data, notional, paths, seed, halfSpread };
        node.AddConnectionTo(cmd);
        cmd.SetAction(async (r, ct) => await Program.Guard(async () =>
        {
            var files = r.GetValue(data)!.Select(ParseData).ToList();
            var returns = DailyReturns(files.Select(f => (f.Path, f.Symbol)).ToList(), out var days);
            IReadOnlyDictionary<string, double> positions = r.GetValue(notional) is { Length: > 0 } given
                ? given.Select(ParseNotional).ToDictionary(p => p.Symbol, p => p.Notional)
                : await LivePositions(node, r, ct);
            var symbols = files.Select(f => f.Symbol.Value).ToList();
            var unknown = positions.Keys.Except(symbols).ToList();
            if (unknown.Count > 0) throw new ArgumentException($"no --data for the position(s) in {string.Join(", ", unknown)}");
            var n = r.GetValue(paths);
            if (n is < 1000 or > 1_000_000) throw new ArgumentException("--paths must be between 1,000 and 1,000,000");
            var report = Build(symbols, symbols.Select(s => positions.GetValueOrDefault(s)).ToList(), returns, days, n, r.GetValue(seed), r.GetValue(halfSpread) / 10_000);
            Print(report);
            return Program.Ok;
        }));
        return cmd;
    }

    public static Report Build(IReadOnlyList<string> symbols, IReadOnlyList<double> notionals, IReadOnlyList<double[]> returns, int days,
        int paths, ulong seed, double halfSpread) =>
        new(symbols, notionals, days,
            MonteCarloVar.Historical(notionals, returns),
            MonteCarloVar.Bootstrap(notionals, returns, paths, 1, seed),
            StressTests.Run(notionals, returns, notionals.Select(_ => halfSpread).ToList(), paths, seed));

    /// <summary>Daily simple returns on the days every file has a close (last close of each UTC day).</summary>
    public static IReadOnlyList<double[]> DailyReturns(IReadOnlyList<(string Path, Symbol Symbol)> files, out int days)
    {
        var closes = files.Select(f => OhlcvCsvReader.ReadAll(f.Path, f.Symbol)
            .GroupBy(c => DateOnly.FromDateTime(c.CloseTime.AddTicks(-1)))
            .ToDictionary(g => g.Key, g => g.OrderBy(c => c.Time).Last().Close)).ToList();
        var common = closes.Skip(1).Aggregate(new HashSet<DateOnly>(closes[0].Keys), (set, d) => { set.IntersectWith(d.Keys); return set; })
            .OrderBy(d => d).ToList();
        if (common.Count < 30) throw new ArgumentException($"only {common.Count} common days of closes: VaR needs at least 30");
        var rows = new List<double[]>(common.Count - 1);
        for (var i = 1; i < common.Count; i++)
            rows.Add(closes.Select(c => (double)(c[common[i]] / c[common[i - 1]] - 1m)).ToArray());
        days = common.Count;
        return rows;
    }

    private static (string Path, Symbol Symbol) ParseData(string spec)
    {
        var colon = spec.LastIndexOf(':');
        if (colon > 1 && !spec[(colon + 1)..].Contains('/'))
        {
            var symbol = new Symbol(spec[(colon + 1)..]);
            InstrumentCatalog.Default.Get(symbol);
            return (spec[..colon], symbol);
        }
        throw new ArgumentException($"--data {spec}: give the symbol as FILE:SYMBOL");
    }

    private static (string Symbol, double Notional) ParseNotional(string spec)
    {
        var parts = spec.Split('=', 2);
        if (parts.Length != 2 || !double.TryParse(parts[1], NumberStyles.Float, CultureInfo.InvariantCulture, out var value) || !double.IsFinite(value))
            throw new ArgumentException($"--notional {spec}: expected SYMBOL=USDT, e.g. BTCUSDT=10000 (negative for a short)");
        return (new Symbol(parts[0]).Value, value);
    }

    private static async Task<IReadOnlyDictionary<string, double>> LivePositions(NodeClient node, ParseResult r, CancellationToken ct)
    {
        var state = await node.StateAsync(r, ct);
        var result = new Dictionary<string, double>();
        foreach (var p in state.GetProperty("positions").EnumerateArray())
        {
            var qty = p.GetProperty("qty").GetDouble();
            var mark = p.GetProperty("mark").ValueKind == System.Text.Json.JsonValueKind.Number ? p.GetProperty("mark").GetDouble() : p.GetProperty("avg_price").GetDouble();
            result[p.GetProperty("symbol").GetString()!] = qty * mark;
        }
        return result;
    }

    private static void Print(Report r)
    {
        var inv = CultureInfo.InvariantCulture;
        Console.WriteLine(string.Create(inv, $"positions: {string.Join(", ", r.Symbols.Select((s, i) => $"{s} {r.Notionals[i]:+#,0.00;-#,0.00} USDT"))}; {r.Days} days of closes"));
        Console.WriteLine(string.Create(inv, $"{"1-day",-22}{"VaR 95%",14}{"VaR 99%",14}{"CVaR 95%",14}{"CVaR 99%",14}"));
        foreach (var (name, v) in new[] { ("historical", r.Historical), ($"bootstrap ({r.Bootstrap.Paths} paths)", r.Bootstrap) })
            Console.WriteLine(string.Create(inv, $"{name,-22}{v.Var95,14:#,0.00}{v.Var99,14:#,0.00}{v.CVar95,14:#,0.00}{v.CVar99,14:#,0.00}"));
        Console.WriteLine("stress (loss, USDT):");
        foreach (var s in r.Stress)
            Console.WriteLine(string.Create(inv, $"  {s.Scenario,-18}{s.Loss,14:#,0.00}  {s.Detail}"));
    }
}

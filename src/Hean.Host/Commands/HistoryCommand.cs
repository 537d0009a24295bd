using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Hean.Actors.History;
using Hean.Actors.Persistence;
using Hean.Host.Configuration;

namespace Hean.Host.Commands;

/// <summary>
/// `hean history fills|orders|pnl`: reads the history store the projection writes (history.db in the
/// data dir, or PostgreSQL with HEAN_PERSISTENCE=postgres), offline: no running node needed.
/// </summary>
public static class HistoryCommand
{
    public static Command Create()
    {
        var cmd = new Command("history", "fills, orders and PnL samples from the history store (offline)");
        cmd.Subcommands.Add(Sub("fills", "booked fills", withSymbol: true, async (store, q) => Table(await store.FillsAsync(q),
            ["time", "symbol", "side", "qty", "price", "fee", "liquidity", "client_order_id", "trade_id"],
            f => [T(f.Time), f.Symbol, f.Side, D(f.Qty), D(f.Price), D(f.Fee), f.Liquidity, f.ClientOrderId, f.TradeId])));
        cmd.Subcommands.Add(Sub("orders", "orders and where they stand", withSymbol: true, async (store, q) => Table(await store.OrdersAsync(q),
            ["created", "symbol", "side", "type", "qty", "price", "filled_qty", "status", "updated", "client_order_id", "origin", "reason"],
            o => [T(o.Created), o.Symbol, o.Side, o.Type, D(o.Qty), o.Price is { } p ? D(p) : "", D(o.FilledQty), o.Status, T(o.Updated), o.ClientOrderId, o.Origin, o.Reason ?? ""])));
        cmd.Subcommands.Add(Sub("pnl", "equity samples and PnL (equity − initial capital)", withSymbol: false, async (store, q) => Table(await store.PnlAsync(q),
            ["time", "equity", "pnl", "marks"], p => [T(p.Time), D(p.Equity), D(p.Pnl), p.Marks])));
        return cmd;
    }

    private sealed record Rows(string[] Header, IReadOnlyList<string[]> Values);

    private static Rows Table<T>(IReadOnlyList<T> rows, string[] header, Func<T, string[]> values) => new(header, rows.Select(values).ToList());

    private static Command Sub(string name, string description, bool withSymbol, Func<HistoryStore, HistoryQuery, Task<Rows>> query)
    {
        var symbol = new Option<string?>("--symbol") { Description = "only this symbol (e.g. BTCUSDT)" };
        var from = new Option<string?>("--from") { Description = "from this time on (UTC, e.g. 2025-01-01 or 2025-01-01T12:00:00Z)" };
        var to = new Option<string?>("--to") { Description = "before this time (UTC)" };
        var limit = new Option<int>("--limit") { Description = "the latest N rows (shown oldest first)", DefaultValueFactory = _ => 100 };
        var format = new Option<string>("--format") { Description = "table, csv or json", DefaultValueFactory = _ => "table" };
        var dataDir = new Option<string?>("--data-dir") { Description = "where history.db lives; default HEAN_DATA_DIR or ./.hean" };
        var cmd = new Command(name, description) { from, to, limit, format, dataDir };
        if (withSymbol) cmd.Options.Add(symbol);
        cmd.SetAction(async (r, ct) => await Program.Guard(async () =>
        {
            var fmt = r.GetValue(format)!.ToLowerInvariant();
            if (fmt is not ("table" or "csv" or "json")) throw new ArgumentException($"--format must be table, csv or json, got '{fmt}'");
            var n = r.GetValue(limit);
            if (n is < 1 or > 10_000_000) throw new ArgumentException($"--limit must be between 1 and 10000000, got {n}");
            var q = new HistoryQuery(withSymbol ? r.GetValue(symbol)?.Trim().ToUpperInvariant() : null, Time(r.GetValue(from), "--from"), Time(r.GetValue(to), "--to"), n);
            if (q is { From: { } f, To: { } t } && t <= f) throw new ArgumentException("--to must be after --from");
            var settings = HeanSettings.From(HeanSettings.LoadConfiguration());
            if (r.GetValue(dataDir) is { } dir) settings = settings with { DataDir = Path.GetFullPath(dir) };
            var store = settings.HistoryStore();
            if (settings.Persistence != PersistenceBackend.Postgres && !File.Exists(store.Where))
                throw new FileNotFoundException($"no history store at {store.Where}: `hean run` writes it (HEAN_HISTORY=on, the default)");
            await store.InitializeAsync(ct);
            Print(await query(store, q), fmt);
            return Program.Ok;
        }));
        return cmd;
    }

    private static void Print(Rows rows, string format)
    {
        switch (format)
        {
            case "csv":
                Console.WriteLine(string.Join(",", rows.Header));
                foreach (var row in rows.Values) Console.WriteLine(string.Join(",", row.Select(Csv)));
                break;
            case "json":
                Console.WriteLine(JsonSerializer.Serialize(rows.Values.Select(row => rows.Header.Zip(row).ToDictionary(p => p.Item1, p => p.Item2)),
                    HeanJson.Options));
                break;
            default:
                var widths = rows.Header.Select((h, i) => Math.Max(h.Length, rows.Values.Select(v => v[i].Length).DefaultIfEmpty(0).Max())).ToArray();
                Console.WriteLine(string.Join("  ", rows.Header.Select((h, i) => h.PadRight(widths[i]))).TrimEnd());
                foreach (var row in rows.Values) Console.WriteLine(string.Join("  ", row.Select((v, i) => v.PadRight(widths[i]))).TrimEnd());
                Console.WriteLine($"({rows.Values.Count} rows)");
                break;
        }
    }

    private static string Csv(string v) => v.IndexOfAny([',', '"', '\n']) >= 0 ? "\"" + v.Replace("\"", "\"\"") + "\"" : v;
    private static string T(DateTime t) => t.ToString("yyyy-MM-ddTHH:mm:ss.fffZ", CultureInfo.InvariantCulture);
    private static string D(decimal d) => d.ToString(CultureInfo.InvariantCulture);

    private static DateTime? Time(string? text, string option) =>
        text is null ? null
        : DateTime.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out var t) ? t
        : throw new ArgumentException($"{option} must be a UTC time like 2025-01-01 or 2025-01-01T12:00:00Z, got '{text}'");
}

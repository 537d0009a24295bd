using System.Globalization;
using Hean.Actors.Instruments;
using Hean.Actors.Orchestration;
using Hean.Actors.Persistence;
using Hean.Core.Trading;
using Hean.Core.Domain;
using Hean.Core.Exchange;
using Hean.Core.Risk;
using Microsoft.Extensions.Configuration;

namespace Hean.Host.Configuration;

/// <summary>
/// The operator's settings, bound from appsettings.json and environment variables with the seed's
/// names (MAX_POSITION_SIZE, MAX_LEVERAGE, DAILY_DRAWDOWN_LIMIT, LOG_LEVEL, …). Every invalid value
/// is reported at start, naming the setting, and nothing starts.
/// </summary>
public sealed record HeanSettings(
    string Exchange,
    IReadOnlyList<Symbol> Symbols,
    decimal InitialCapital,
    RiskLimits Limits,
    decimal PositionFraction,
    ExecutionStyle ExecutionStyle,
    TimeSpan CandleInterval,
    TimeSpan CheckpointInterval,
    TimeSpan Latency,
    string DataDir,
    PersistenceBackend Persistence,
    string HttpHost,
    int HttpPort,
    string LogLevel,
    ulong Seed)
{
    public static readonly string[] Names =
    [
        "EXCHANGE", "HEAN_SYMBOLS", "INITIAL_CAPITAL", "MAX_POSITION_SIZE", "MAX_LEVERAGE", "DAILY_DRAWDOWN_LIMIT",
        "POSITION_FRACTION", "EXECUTION_STYLE", "CANDLE_INTERVAL", "EMA_FAST", "EMA_SLOW", "CHECKPOINT_INTERVAL", "EXCHANGE_LATENCY_MS",
        "HEAN_DATA_DIR", "HEAN_PERSISTENCE", "HEAN_HTTP_HOST", "HEAN_HTTP_PORT", "LOG_LEVEL", "LOG_FORMAT", "HEAN_SEED",
        "MAX_ORDER_NOTIONAL", "MAX_CONCENTRATION", "MAX_OPEN_ORDERS", "MAX_ORDERS_PER_SECOND", "PRICE_BAND", "PEAK_DRAWDOWN_LIMIT",
        "REDUCE_AT", "MAX_CONSECUTIVE_ERRORS", "BAD_TICK_JUMP", "VAR_BUDGET", "KELLY_FRACTION", "KELLY_CAP", "KELLY_MIN_TRADES", "KELLY_SMALL_SAMPLE",
        "TARGET_VOLATILITY", "HEAN_URL", "BYBIT_API_KEY", "BYBIT_API_SECRET", "BYBIT_SECRETS_FILE", "BYBIT_TESTNET",
        "BYBIT_REST_URL", "BYBIT_WS_PUBLIC_URL", "BYBIT_WS_PRIVATE_URL", "BYBIT_NOT_FOUND_PERIOD",
        "HEAN_REDIS", "HEAN_POSTGRES",
        "HEAN_MODEL_DIR", "ML_INFERENCE_TIMEOUT", "ML_BREAKER_FAILURES", "ML_BREAKER_RESET", "ML_MODEL_POLL", "ML_INFERENCE_THREADS", "ML_INFERENCE_MODE",
        "HEAN_EVENTS_REDIS", "HEAN_EVENTS_DB", "EVENT_MAX_QUEUE_SIZE", "EVENT_BATCH_SIZE", "HEAN_EVENTS_MAXLEN", "HEAN_EVENTS_TICK_EVERY", "HEAN_HISTORY",
        "HEAN_API_AUTH", "HEAN_TOKEN", "HEAN_HTTP_ALLOWED_HOSTS", "HEAN_HTTP_ALLOWED_ORIGINS", "HEAN_METRICS_AUTH", "HEAN_HTTP_TLS_CERT", "HEAN_HTTP_TLS_KEY",
        "HEAN_API_WRITE_RATE", "HEAN_CA_CERT", "HEAN_KEYS_PASSPHRASE",
        .. NotifySettings.Names,
    ];

    /// <summary>appsettings.json in the working folder when there is one, then the environment over it.</summary>
    public static IConfiguration LoadConfiguration()
    {
        var path = Path.Combine(Directory.GetCurrentDirectory(), "appsettings.json");
        var builder = new ConfigurationBuilder();
        // Without the file, no JSON provider at all: it is optional, and its file provider and JSON reader were a few ms of
        // every command's start.
        if (File.Exists(path)) builder.AddJsonFile(path, optional: true);
        return builder.AddEnvironmentVariables().Build();
    }

    /// <summary>The data folder (journal, logs, token, key store, models): HEAN_DATA_DIR, else ./.hean; the same for every command.</summary>
    public static string DataDirOf(IConfiguration c) =>
        Path.GetFullPath(c["HEAN_DATA_DIR"] is { } set && !string.IsNullOrWhiteSpace(set) ? set.Trim() : Path.Combine(Directory.GetCurrentDirectory(), ".hean"));

    /// <summary>Binds and validates; throws <see cref="SettingsException"/> listing every problem.</summary>
    public static HeanSettings From(IConfiguration c)
    {
        var problems = new List<string>();

        T Get<T>(string name, T fallback, Func<string, T> parse, Func<T, string?>? check = null)
        {
            var raw = c[name];
            if (string.IsNullOrWhiteSpace(raw)) return fallback;
            try
            {
                var value = parse(raw.Trim());
                if (check?.Invoke(value) is { } problem)
                {
                    problems.Add($"{name}={raw}: {problem}");
                    return fallback;
                }
                return value;
            }
            catch (Exception e) when (e is FormatException or OverflowException or ArgumentException)
            {
                problems.Add($"{name}={raw}: {e.Message}");
                return fallback;
            }
        }

        static decimal Dec(string s) => decimal.Parse(s, NumberStyles.Number, CultureInfo.InvariantCulture);

        var exchange = Get("EXCHANGE", "simulated", s => s.ToLowerInvariant(),
            v => v is "simulated" or "paper" or "bybit" ? null : "must be 'simulated' or 'bybit'");
        // On Bybit any linear contract the venue lists is tradable (checked against its instruments at start);
        // elsewhere the symbols of the built-in catalog.
        var symbols = Get("HEAN_SYMBOLS", (IReadOnlyList<Symbol>)[new Symbol("BTCUSDT"), new Symbol("ETHUSDT")],
            s => s.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(x => new Symbol(x)).ToList(),
            v => v.Count == 0 ? "name at least one symbol"
                : exchange == "bybit" ? null
                : v.FirstOrDefault(x => !InstrumentCatalog.Default.TryGet(x, out _)) is { Value: not null } unknown
                    ? $"unknown symbol {unknown}; known: {string.Join(", ", InstrumentCatalog.Default.All.Select(i => i.Symbol.Value))}"
                    : null);
        var capital = Get("INITIAL_CAPITAL", 100_000m, Dec, v => v > 0 ? null : "must be positive (USDT)");
        var maxPosition = Get("MAX_POSITION_SIZE", RiskLimits.Default.MaxPositionSize, Dec, v => v > 0 ? null : "must be positive (USDT notional)");
        var maxLeverage = Get("MAX_LEVERAGE", RiskLimits.Default.MaxLeverage, Dec, v => v is > 0 and <= 100 ? null : "must be in (0, 100]");
        var drawdown = Get("DAILY_DRAWDOWN_LIMIT", RiskLimits.Default.DailyDrawdownLimit, Dec, v => v is > 0 and < 1 ? null : "must be a fraction in (0, 1), e.g. 0.05 for 5%");
        var fraction = Get("POSITION_FRACTION", 0.5m, Dec, v => v is > 0 and <= 1 ? null : "must be in (0, 1]");
        var style = Get("EXECUTION_STYLE", ExecutionStyle.Market, s => s.ToLowerInvariant() switch
        {
            "market" => ExecutionStyle.Market,
            "limit" => ExecutionStyle.Limit,
            "smart" => ExecutionStyle.Smart,
            _ => throw new FormatException("must be 'market', 'limit' or 'smart'")
        });
        var candle = Get("CANDLE_INTERVAL", TimeSpan.FromMinutes(1), Durations.Parse, v => v >= TimeSpan.FromSeconds(1) ? null : "must be at least 1s");
        var emaFast = Get("EMA_FAST", EmaCrossPeriods.Default.Fast, Int, v => v is >= 1 and <= 10_000 ? null : "must be a whole number of candles from 1 to 10000");
        var emaSlow = Get("EMA_SLOW", EmaCrossPeriods.Default.Slow, Int,
            v => v > emaFast && v <= 10_000 ? null : $"must be longer than EMA_FAST ({emaFast}) and at most 10000 candles");
        var checkpoint = Get("CHECKPOINT_INTERVAL", TimeSpan.FromSeconds(1), Durations.Parse, v => v >= TimeSpan.FromMilliseconds(100) ? null : "must be at least 100ms");
        var latency = Get("EXCHANGE_LATENCY_MS", TimeSpan.FromMilliseconds(20),
            s => TimeSpan.FromMilliseconds(int.Parse(s, CultureInfo.InvariantCulture)), v => v >= TimeSpan.Zero ? null : "must not be negative");
        var dataDir = DataDirOf(c);
        var persistence = Get("HEAN_PERSISTENCE", PersistenceBackend.Sqlite, s => s.ToLowerInvariant() switch
        {
            "sqlite" => PersistenceBackend.Sqlite,
            "inmem" or "memory" => PersistenceBackend.InMemory,
            "redis" => PersistenceBackend.Redis,
            "postgres" or "postgresql" => PersistenceBackend.Postgres,
            _ => throw new FormatException("must be 'sqlite', 'redis', 'postgres' or 'inmem'")
        });
        // Connection strings may hold passwords: a problem names the setting, never its value.
        string? Connection(string name, PersistenceBackend backend, string example, Action<string> validate)
        {
            var raw = c[name];
            if (string.IsNullOrWhiteSpace(raw))
            {
                if (persistence == backend) problems.Add($"HEAN_PERSISTENCE={backend.ToString().ToLowerInvariant()} needs {name}, e.g. {example}");
                return null;
            }
            try
            {
                validate(raw.Trim());
                return raw.Trim();
            }
            catch (Exception e) when (e is ArgumentException or FormatException or KeyNotFoundException)
            {
                problems.Add($"{name} is not a valid connection string: {e.Message.Split('\n')[0]}");
                return null;
            }
        }
        var redis = Connection("HEAN_REDIS", PersistenceBackend.Redis, "\"127.0.0.1:6379\"",
            v => _ = StackExchange.Redis.ConfigurationOptions.Parse(v));
        var postgres = Connection("HEAN_POSTGRES", PersistenceBackend.Postgres, "\"Host=127.0.0.1;Username=hean;Password=…;Database=hean\"",
            v => _ = new Npgsql.NpgsqlConnectionStringBuilder(v).Host ?? throw new FormatException("it names no Host"));
        var host = Get("HEAN_HTTP_HOST", "127.0.0.1", s => s);
        var port = Get("HEAN_HTTP_PORT", 8080, s => int.Parse(s, CultureInfo.InvariantCulture), v => v is >= 0 and <= 65535 ? null : "must be a TCP port (0 picks a free one)");
        var logLevel = Get("LOG_LEVEL", "INFO", s => s.ToUpperInvariant(),
            v => v is "DEBUG" or "INFO" or "WARNING" or "ERROR" ? null : "must be DEBUG, INFO, WARNING or ERROR");
        var logJson = Get("LOG_FORMAT", false, s => s.Trim().ToLowerInvariant() switch
        {
            "text" => false,
            "json" => true,
            _ => throw new FormatException("must be 'text' or 'json'")
        });
        var seed = Get("HEAN_SEED", 42UL, s => ulong.Parse(s, CultureInfo.InvariantCulture));

        // The rest of the risk limits, checked together by RiskLimits.Problems (which names each setting).
        static int Int(string s) => int.Parse(s, NumberStyles.Integer, CultureInfo.InvariantCulture);
        decimal? OptionalDec(string name) => Get<decimal?>(name, null, s => Dec(s));
        var limits = new RiskLimits(maxPosition, maxLeverage, drawdown)
        {
            MaxOrderNotional = OptionalDec("MAX_ORDER_NOTIONAL"),
            MaxConcentration = OptionalDec("MAX_CONCENTRATION"),
            MaxOpenOrders = Get("MAX_OPEN_ORDERS", 20, Int),
            MaxOrdersPerSecond = Get("MAX_ORDERS_PER_SECOND", 5, Int),
            PriceBand = Get("PRICE_BAND", 0.05m, Dec),
            PeakDrawdownLimit = Get("PEAK_DRAWDOWN_LIMIT", 0.15m, Dec),
            ReduceAtShareOfDailyLimit = Get("REDUCE_AT", 0.8m, Dec),
            MaxConsecutiveErrors = Get("MAX_CONSECUTIVE_ERRORS", 5, Int),
            BadTickJump = Get("BAD_TICK_JUMP", 0.10m, Dec),
            VarBudget = OptionalDec("VAR_BUDGET"),
        };
        problems.AddRange(limits.Problems());
        var kelly = new KellySizing(
            Get("KELLY_FRACTION", KellySizing.Default.Fraction, s => double.Parse(s, CultureInfo.InvariantCulture), v => v is > 0 and <= 1 ? null : "must be in (0, 1]"),
            Get("KELLY_CAP", KellySizing.Default.Cap, s => double.Parse(s, CultureInfo.InvariantCulture), v => v is > 0 and <= 10 ? null : "must be in (0, 10] (share of equity)"),
            Get("KELLY_MIN_TRADES", KellySizing.Default.MinTrades, Int, v => v >= 2 ? null : "must be at least 2"))
        {
            SmallSample = Get("KELLY_SMALL_SAMPLE", KellySmallSample.Bootstrap, s => s.Trim().ToLowerInvariant() switch
            {
                "bootstrap" => KellySmallSample.Bootstrap,
                "zero" => KellySmallSample.Zero,
                _ => throw new FormatException("must be bootstrap or zero"),
            }),
        };
        var targetVol = Get("TARGET_VOLATILITY", 0.5, s => double.Parse(s, CultureInfo.InvariantCulture), v => v is > 0 and <= 10 ? null : "must be an annualized volatility in (0, 10]");

        var api = Security.ApiSecuritySettings.From(c, host, problems);
        var bybit = exchange == "bybit" ? BybitConnection.From(c, dataDir, problems) : null;
        var ml = Hosting.MlSettings.From(c, problems);
        var eventsRedis = string.IsNullOrWhiteSpace(c["HEAN_EVENTS_REDIS"]) ? null : c["HEAN_EVENTS_REDIS"]!.Trim();
        try
        {
            if (eventsRedis is not null) _ = StackExchange.Redis.ConfigurationOptions.Parse(eventsRedis);
        }
        catch (Exception e) when (e is ArgumentException or FormatException or KeyNotFoundException)
        {
            problems.Add($"HEAN_EVENTS_REDIS is not a valid connection string: {e.Message.Split('\n')[0]}");
            eventsRedis = null;
        }
        var events = eventsRedis is not null
            ? new Hean.Persistence.Redis.EventBus.RedisEventBusOptions(eventsRedis)
            {
                Database = Get("HEAN_EVENTS_DB", 1, Int, v => v is >= 0 and <= 15 ? null : "must be a Redis database number (0-15)"),
                Capacity = Get("EVENT_MAX_QUEUE_SIZE", 50_000, Int, v => v >= 1 ? null : "must be positive"),
                BatchSize = Get("EVENT_BATCH_SIZE", 100, Int, v => v >= 1 ? null : "must be positive"),
                MaxLength = Get("HEAN_EVENTS_MAXLEN", 100_000L, s => long.Parse(s, CultureInfo.InvariantCulture), v => v >= 1 ? null : "must be positive"),
            }
            : null;
        // A trim or FLUSHDB of the streams must never reach the journal: not the same database of the same server.
        if (events is { Database: 0 } && persistence == PersistenceBackend.Redis && events.ConfigurationString == redis)
            problems.Add("HEAN_EVENTS_DB must not be 0 when HEAN_EVENTS_REDIS is the journal's server (HEAN_REDIS): database 0 holds the journal");
        var tickEvery = Get("HEAN_EVENTS_TICK_EVERY", TimeSpan.FromSeconds(1), Durations.Parse, v => v > TimeSpan.Zero ? null : "must be positive");
        var history = Get("HEAN_HISTORY", true, s => s.ToLowerInvariant() switch
        {
            "on" or "true" or "1" => true,
            "off" or "false" or "0" => false,
            _ => throw new FormatException("must be 'on' or 'off'")
        });

        var notify = NotifySettings.From(c, problems);

        if (problems.Count > 0) throw new SettingsException(problems);
        return new HeanSettings(exchange, symbols, capital, limits, fraction, style,
            candle, checkpoint, latency, dataDir, persistence, host, port, logLevel, seed) { Ema = new EmaCrossPeriods(emaFast, emaSlow), Kelly = kelly, TargetVolatility = targetVol, Bybit = bybit, Redis = redis, Postgres = postgres,
            Events = events, TickEvery = tickEvery, History = history, Ml = ml, Api = api, LogJson = logJson, Notify = notify,
            SecretValues = [api.Token, bybit?.Credentials.ApiKey, bybit?.Credentials.ApiSecret, c["HEAN_KEYS_PASSPHRASE"], RedisPassword(redis), postgres is null ? null : new Npgsql.NpgsqlConnectionStringBuilder(postgres).Password,
                RedisPassword(eventsRedis), .. notify?.Secrets ?? []] };
    }

    public KellySizing Kelly { get; init; } = KellySizing.Default;

    /// <summary>EMA_FAST and EMA_SLOW: the periods, in candles, of the EMA-cross strategy.</summary>
    public EmaCrossPeriods Ema { get; init; } = EmaCrossPeriods.Default;

    /// <summary>NOTIFY_*: HEAN's own notifications (webhook, Telegram); null when none is configured.</summary>
    public NotifySettings? Notify { get; init; }

    /// <summary>LOG_FORMAT=json: the console log is one JSON object per line on stdout.</summary>
    public bool LogJson { get; init; }

    /// <summary>Values that must never reach a log line or a notification (the log redactor masks them).</summary>
    public IReadOnlyList<string?> SecretValues { get; init; } = [];

    /// <summary>The password in a Redis connection string, as the client reads it (both were checked to parse).</summary>
    private static string? RedisPassword(string? connection) =>
        connection is null ? null : StackExchange.Redis.ConfigurationOptions.Parse(connection).Password;

    /// <summary>HEAN_API_AUTH, HEAN_TOKEN, allowed hosts and origins, TLS, write rate: how the management API is protected.</summary>
    public Security.ApiSecuritySettings Api { get; init; } = Security.ApiSecuritySettings.Default;

    /// <summary>HEAN_MODEL_DIR and the ML_* inference settings; no model directory: the technical strategy alone.</summary>
    public Hosting.MlSettings Ml { get; init; } = Hosting.MlSettings.None;
    public BybitConnection? Bybit { get; init; }

    /// <summary>HEAN_REDIS: StackExchange.Redis configuration string of the Redis journal (HEAN_PERSISTENCE=redis).</summary>
    public string? Redis { get; init; }

    /// <summary>HEAN_POSTGRES: Npgsql connection string of the PostgreSQL journal (HEAN_PERSISTENCE=postgres).</summary>
    public string? Postgres { get; init; }
    public double TargetVolatility { get; init; } = 0.5;

    /// <summary>HEAN_EVENTS_REDIS and friends: the Redis Streams event bus; null (off) unless configured.</summary>
    public Hean.Persistence.Redis.EventBus.RedisEventBusOptions? Events { get; init; }

    /// <summary>HEAN_EVENTS_TICK_EVERY: market time between two TICK events of a symbol on the bus.</summary>
    public TimeSpan TickEvery { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>HEAN_HISTORY: the history projection (fills, orders, PnL into SQLite or PostgreSQL) during `hean run`.</summary>
    public bool History { get; init; } = true;

    /// <summary>The history store: PostgreSQL (HEAN_POSTGRES) with the postgres backend, else history.db in the data dir.</summary>
    /// <summary>PostgreSQL whenever HEAN_POSTGRES is set (whatever the journal's backend, as in the compose stack), else history.db in the data dir.</summary>
    public Hean.Actors.History.HistoryStore HistoryStore() => Postgres is not null
        ? Hean.Actors.History.HistoryStore.Postgres(Postgres)
        : Hean.Actors.History.HistoryStore.Sqlite(Path.Combine(DataDir, "history.db"));

    public TradingSettings ToTrading(TimeSpan? checkpoint = null) => TradingSettings.Default with
    {
        Kelly = Kelly,
        TargetVolatility = TargetVolatility,
        InitialCash = InitialCapital,
        Limits = Limits,
        Sizer = new PositionSizer(PositionFraction),
        ExecutionStyle = ExecutionStyle,
        Exchange = new SimulatedExchangeOptions(Latency: Latency),
        CheckpointEvery = checkpoint ?? CheckpointInterval,
        EquitySampleEvery = checkpoint ?? CheckpointInterval,
    };
}

public sealed class SettingsException(IReadOnlyList<string> problems)
    : Exception("invalid settings:\n  " + string.Join("\n  ", problems))
{
    public IReadOnlyList<string> Problems { get; } = problems;
}

public static class Durations
{
    /// <summary>Parses 500ms, 30s, 5m, 2h, 1d or a plain TimeSpan (00:01:00).</summary>
    public static TimeSpan Parse(string s)
    {
        s = s.Trim();
        (string suffix, double scale)[] units = [("ms", 1), ("s", 1000), ("m", 60_000), ("h", 3_600_000), ("d", 86_400_000)];
        foreach (var (suffix, scale) in units)
        {
            if (s.EndsWith(suffix, StringComparison.OrdinalIgnoreCase) &&
                double.TryParse(s[..^suffix.Length], NumberStyles.Float, CultureInfo.InvariantCulture, out var n))
            {
                if (n < 0 || double.IsNaN(n) || double.IsInfinity(n)) throw new FormatException($"'{s}' must not be negative");
                if (n * scale > DomainLimits.MaxDuration.TotalMilliseconds)
                    throw new FormatException($"'{s}' is longer than {DomainLimits.MaxDuration.TotalDays:0} days, the longest duration HEAN takes");
                return TimeSpan.FromMilliseconds(n * scale);
            }
        }
        if (TimeSpan.TryParse(s, CultureInfo.InvariantCulture, out var t) && t >= TimeSpan.Zero)
            return t <= DomainLimits.MaxDuration ? t : throw new FormatException($"'{s}' is longer than {DomainLimits.MaxDuration.TotalDays:0} days, the longest duration HEAN takes");
        throw new FormatException($"'{s}' is not a duration (examples: 500ms, 30s, 5m, 2h, 1d)");
    }

    /// <summary>The largest whole unit that says it: 1d, 6h, 15m, 30s, 500ms (rounded down otherwise: 1h 30m is 90m).</summary>
    public static string Format(TimeSpan t)
    {
        (string suffix, TimeSpan unit)[] units = [("d", TimeSpan.FromDays(1)), ("h", TimeSpan.FromHours(1)), ("m", TimeSpan.FromMinutes(1)), ("s", TimeSpan.FromSeconds(1))];
        foreach (var (suffix, unit) in units)
            if (t >= unit && t.Ticks % unit.Ticks == 0) return $"{t.Ticks / unit.Ticks}{suffix}";
        foreach (var (suffix, unit) in units)
            if (t >= unit * 10) return $"{t.Ticks / unit.Ticks}{suffix}";
        return $"{(long)t.TotalMilliseconds}ms";
    }
}

/// <summary>The EMA-cross strategy's periods in candles (fast shorter than slow).</summary>
public sealed record EmaCrossPeriods(int Fast, int Slow)
{
    public static readonly EmaCrossPeriods Default = new(Hean.Core.Strategy.EmaCrossStrategy.DefaultFast, Hean.Core.Strategy.EmaCrossStrategy.DefaultSlow);
}

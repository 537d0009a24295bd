using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace Hean.Core.Indicators;

/// <summary>
/// One indicator named as on the command line and in feature schemas: <c>kind[:param[:param…]]</c>,
/// for example <c>macd:12:26:9</c>. Omitted trailing parameters take their defaults. Its columns
/// are <c>kind_param_param</c> (just <c>kind</c> without parameters), with a <c>.field</c> suffix for
/// indicators that have several outputs: <c>macd_12_26_9.signal</c>, <c>bb_20_2.percent_b</c>.
/// </summary>
public sealed partial class IndicatorSpec : IEquatable<IndicatorSpec>
{
    private enum ParamKind { Period, Positive, Duration }

    private sealed record Param(string Name, ParamKind Kind, string? Default);

    private sealed record Definition(
        string Kind,
        string Description,
        Param[] Params,
        string[] Fields,
        Func<double[], IBarIndicator> Create,
        Func<double[], string?>? Check = null);

    private static readonly Definition[] Definitions =
    [
        new("sma", "simple moving average of the close", [Period(20)], [], a => new Sma(Int(a[0]))),
        new("ema", "exponential moving average of the close, seeded by the SMA", [Period(20)], [], a => new Ema(Int(a[0]))),
        new("wma", "linearly weighted moving average of the close", [Period(20)], [], a => new Wma(Int(a[0]))),
        new("rsi", "relative strength index, Wilder smoothing", [Period(14)], [], a => new Rsi(Int(a[0]))),
        new("macd", "MACD line, signal and histogram", [Period(12, "fast"), Period(26, "slow"), Period(9, "signal")],
            ["macd", "signal", "histogram"], a => new Macd(Int(a[0]), Int(a[1]), Int(a[2])),
            a => a[1] > a[0] ? null : "slow must be longer than fast"),
        new("bb", "Bollinger bands, population standard deviation", [Period(20), new("k", ParamKind.Positive, "2")],
            ["upper", "middle", "lower", "percent_b", "width"], a => new BollingerBands(Int(a[0]), a[1])),
        new("atr", "average true range, Wilder smoothing", [Period(14)], [], a => new Atr(Int(a[0]))),
        new("adx", "average directional index with +DI and -DI", [Period(14)], ["adx", "plus_di", "minus_di"], a => new Adx(Int(a[0]))),
        new("stoch", "slow stochastic %K and %D", [Period(14), Period(3, "k_smoothing"), Period(3, "d_period")],
            ["k", "d"], a => new Stochastic(Int(a[0]), Int(a[1]), Int(a[2]))),
        new("willr", "Williams %R", [Period(14)], [], a => new WilliamsR(Int(a[0]))),
        new("cci", "commodity channel index (0.015 x mean absolute deviation)", [Period(20)], [], a => new Cci(Int(a[0]))),
        new("roc", "rate of change, percent", [Period(14)], [], a => new Roc(Int(a[0]))),
        new("mfi", "money flow index", [Period(14)], [], a => new Mfi(Int(a[0]))),
        new("obv", "on-balance volume, 0 on the first bar", [], [], _ => new Obv()),
        new("vwap", "VWAP of the typical price: cumulative, or per session of the given length (e.g. 1d, 4h)",
            [new("session", ParamKind.Duration, null)], [],
            a => a.Length == 0 ? new Vwap() : Vwap.Session(TimeSpan.FromTicks((long)a[0]))),
        new("rv", "realized volatility, sqrt of the sum of squared log returns", [Period(20)], [], a => new RealizedVolatility(Int(a[0]))),
    ];

    private readonly Definition _definition;
    private readonly double[] _args;

    private IndicatorSpec(Definition definition, double[] args, string[] texts)
    {
        _definition = definition;
        _args = args;
        Parameters = texts;
        Name = texts.Length == 0 ? definition.Kind : definition.Kind + "_" + string.Join("_", texts);
        Columns = definition.Fields.Length == 0 ? [Name] : definition.Fields.Select(f => Name + "." + f).ToArray();
    }

    /// <summary>The indicator's short name: sma, macd, bb, …</summary>
    public string Kind => _definition.Kind;

    /// <summary>The parameters in canonical text (defaults filled in).</summary>
    public IReadOnlyList<string> Parameters { get; }

    /// <summary>The column stem, e.g. <c>macd_12_26_9</c>.</summary>
    public string Name { get; }

    /// <summary>Output names of a multi-output indicator (empty for a single output).</summary>
    public IReadOnlyList<string> Fields => _definition.Fields;

    /// <summary>One column name per output, in output order.</summary>
    public IReadOnlyList<string> Columns { get; }

    /// <summary>A fresh indicator with these parameters.</summary>
    public IBarIndicator Create() => _definition.Create(_args);

    /// <summary>What can be asked for, one indicator per line.</summary>
    public static string Supported { get; } = Describe();

    /// <summary>Parses one indicator, e.g. <c>bb:20:2</c>.</summary>
    /// <exception cref="FormatException">Unknown name or bad parameters; the message lists what is supported.</exception>
    public static IndicatorSpec Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var parts = text.Trim().Split(':');
        var kind = parts[0].Trim().ToLowerInvariant();
        var definition = Array.Find(Definitions, d => d.Kind == kind)
                         ?? throw Error(kind.Length == 0 ? $"empty indicator name in '{text}'" : $"unknown indicator '{parts[0].Trim()}'");
        var given = parts.Length - 1;
        if (given > definition.Params.Length)
            throw Error(definition.Params.Length == 0
                ? $"'{text}': {kind} takes no parameters"
                : $"'{text}': {kind} takes at most {definition.Params.Length} parameter(s) ({string.Join(", ", definition.Params.Select(p => p.Name))})");

        var args = new List<double>();
        var texts = new List<string>();
        for (var i = 0; i < definition.Params.Length; i++)
        {
            var param = definition.Params[i];
            var raw = i < given ? parts[i + 1].Trim() : param.Default;
            if (raw is null) break;
            var (value, canonical) = ParseParam(text, kind, param, raw);
            args.Add(value);
            texts.Add(canonical);
        }
        var array = args.ToArray();
        if (definition.Check?.Invoke(array) is { } problem) throw Error($"'{text}': {problem}");
        return new IndicatorSpec(definition, array, texts.ToArray());
    }

    /// <summary>Parses a comma list such as <c>sma:20,rsi:14,macd:12:26:9</c>; the same indicator twice is an error.</summary>
    public static IReadOnlyList<IndicatorSpec> ParseList(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var items = text.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        if (items.Length == 0) throw Error("no indicators given");
        var specs = new List<IndicatorSpec>(items.Length);
        foreach (var item in items)
        {
            var spec = Parse(item);
            if (specs.Any(s => s.Name == spec.Name)) throw Error($"'{item}': {spec.Name} appears twice");
            specs.Add(spec);
        }
        return specs;
    }

    public override string ToString() => Parameters.Count == 0 ? Kind : Kind + ":" + string.Join(":", Parameters);

    public bool Equals(IndicatorSpec? other) => other is not null && Name == other.Name;
    public override bool Equals(object? obj) => Equals(obj as IndicatorSpec);
    public override int GetHashCode() => Name.GetHashCode(StringComparison.Ordinal);

    private static Param Period(int defaultValue, string name = "period") =>
        new(name, ParamKind.Period, defaultValue.ToString(CultureInfo.InvariantCulture));

    private static int Int(double value) => (int)value;

    private static (double Value, string Canonical) ParseParam(string text, string kind, Param param, string raw)
    {
        switch (param.Kind)
        {
            case ParamKind.Period:
                if (int.TryParse(raw, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n is >= 1 and <= 100_000)
                    return (n, n.ToString(CultureInfo.InvariantCulture));
                throw Error($"'{text}': {kind} {param.Name} must be a whole number from 1 to 100000, got '{raw}'");
            case ParamKind.Positive:
                if (double.TryParse(raw, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var x) && x > 0 && double.IsFinite(x))
                    return (x, x.ToString("R", CultureInfo.InvariantCulture));
                throw Error($"'{text}': {kind} {param.Name} must be a positive number, got '{raw}'");
            default:
                var m = DurationPattern().Match(raw);
                if (m.Success && long.TryParse(m.Groups[1].Value, NumberStyles.None, CultureInfo.InvariantCulture, out var count) && count is > 0 and <= 3650)
                {
                    var unit = m.Groups[2].Value.ToLowerInvariant() switch
                    {
                        "s" => TimeSpan.TicksPerSecond,
                        "m" => TimeSpan.TicksPerMinute,
                        "h" => TimeSpan.TicksPerHour,
                        _ => TimeSpan.TicksPerDay,
                    };
                    var ticks = count * unit;
                    return (ticks, CanonicalDuration(ticks));
                }
                throw Error($"'{text}': {kind} {param.Name} must be a duration such as 30m, 4h or 1d, got '{raw}'");
        }
    }

    private static string CanonicalDuration(long ticks)
    {
        foreach (var (unit, suffix) in new[] { (TimeSpan.TicksPerDay, "d"), (TimeSpan.TicksPerHour, "h"), (TimeSpan.TicksPerMinute, "m") })
            if (ticks % unit == 0) return (ticks / unit).ToString(CultureInfo.InvariantCulture) + suffix;
        return (ticks / TimeSpan.TicksPerSecond).ToString(CultureInfo.InvariantCulture) + "s";
    }

    [GeneratedRegex(@"^(\d+)([smhdSMHD])$")]
    private static partial Regex DurationPattern();

    private static FormatException Error(string problem) => new($"{problem}. Supported indicators:{Environment.NewLine}{Supported}");

    private static string Describe()
    {
        var text = new StringBuilder();
        foreach (var d in Definitions)
        {
            var usage = d.Kind + string.Concat(d.Params.Select(p => p.Default is null ? $"[:{p.Name.ToUpperInvariant()}]" : ":" + p.Name.ToUpperInvariant()));
            var defaults = d.Params.All(p => p.Default is not null) && d.Params.Length > 0
                ? $" (default {d.Kind}:{string.Join(":", d.Params.Select(p => p.Default))})"
                : d.Params.Length > 0 ? $" (optional; {d.Kind} alone is cumulative)" : "";
            var fields = d.Fields.Length > 0 ? $"; fields {string.Join(", ", d.Fields)}" : "";
            text.Append("  ").Append(usage.PadRight(34)).Append(d.Description).Append(defaults).Append(fields).AppendLine();
        }
        return text.ToString().TrimEnd();
    }
}

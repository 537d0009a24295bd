using System.Globalization;
using Hean.Core.Domain;

namespace Hean.Core.MarketData.Synthetic;

/// <summary>
/// One simulated instrument. Tick and lot size default to <see cref="InstrumentCatalog.Default"/>
/// (an unknown symbol then needs both set). Notionals are in quote currency.
/// </summary>
public sealed record SymbolSpec(Symbol Symbol, decimal StartPrice, double AnnualVolatility = 0.6)
{
    /// <summary>Correlation of this symbol's shocks with the market's common factor, in [-1, 1].
    /// Two symbols with loadings a and b have shock correlation a·b.</summary>
    public double FactorLoading { get; init; } = 0.8;

    /// <summary>Log-price drift per hour in a trending regime (0.01 = 1 % an hour).</summary>
    public double TrendDriftPerHour { get; init; } = 0.01;

    /// <summary>Spread in ticks at average volatility; it scales with volatility and is at least 1.</summary>
    public double BaseSpreadTicks { get; init; } = 1.0;

    /// <summary>Mean taker orders per second at average volatility.</summary>
    public double TradesPerSecond { get; init; } = 4.0;

    /// <summary>Mean taker order size (Pareto-distributed, tail index 1.5, capped at 100 times this).</summary>
    public decimal MeanTradeNotional { get; init; } = 2_000m;

    /// <summary>Mean size of the touch level; deeper levels are larger on average.</summary>
    public decimal LevelNotional { get; init; } = 25_000m;

    public decimal? TickSize { get; init; }
    public decimal? LotSize { get; init; }

    internal (decimal Tick, decimal Lot) ResolveGrid()
    {
        if (TickSize is { } tick && LotSize is { } lot) return (tick, lot);
        var instrument = InstrumentCatalog.Default.Get(Symbol);
        return (TickSize ?? instrument.TickSize, LotSize ?? instrument.LotSize);
    }

    internal void Validate()
    {
        var (tick, lot) = ResolveGrid();
        Require(tick > 0, $"tick size {tick} must be positive");
        Require(lot > 0, $"lot size {lot} must be positive");
        Require(StartPrice > 0, $"start price {StartPrice} must be positive");
        Require(StartPrice / tick < 1e15m, $"start price {StartPrice} is too many ticks of {tick}");
        Require(double.IsFinite(AnnualVolatility) && AnnualVolatility >= 0, $"annual volatility {AnnualVolatility} must be >= 0");
        Require(FactorLoading is >= -1 and <= 1, $"factor loading {FactorLoading} must be in [-1, 1]");
        Require(double.IsFinite(TrendDriftPerHour), "trend drift must be finite");
        Require(BaseSpreadTicks is >= 0 and <= 1e6, $"base spread {BaseSpreadTicks} ticks must be in [0, 1e6]");
        Require(TradesPerSecond is >= 0 and <= 1e4, $"trades per second {TradesPerSecond} must be in [0, 1e4]");
        Require(MeanTradeNotional > 0, $"mean trade notional {MeanTradeNotional} must be positive");
        Require(LevelNotional > 0, $"level notional {LevelNotional} must be positive");
    }

    private void Require(bool condition, string problem)
    {
        if (!condition) throw new ArgumentException($"{Symbol}: {problem}");
    }
}

/// <summary>
/// Settings of a <see cref="SyntheticMarket"/>. Regime, mean-reversion and GARCH settings are
/// market-wide; GARCH coefficients are per step, so they set the clustering in steps.
/// </summary>
public sealed record SyntheticMarketOptions(IReadOnlyList<SymbolSpec> Symbols, DateTime Start)
{
    /// <summary>Time between book updates; trades arrive in between.</summary>
    public TimeSpan Step { get; init; } = TimeSpan.FromMilliseconds(250);

    /// <summary>Price levels per side of the book.</summary>
    public int Depth { get; init; } = 20;

    public ulong Seed { get; init; } = 1;

    /// <summary>Mean time spent in one regime before switching to one of the other two.</summary>
    public TimeSpan RegimeMeanDuration { get; init; } = TimeSpan.FromMinutes(15);

    /// <summary>Half-life of a gap to the anchor in the mean-reverting regime.</summary>
    public TimeSpan MeanReversionHalfLife { get; init; } = TimeSpan.FromMinutes(2);

    /// <summary>Half-life of the anchor's pull towards the price (the anchor is a slow average of the price).</summary>
    public TimeSpan AnchorHalfLife { get; init; } = TimeSpan.FromHours(1);

    /// <summary>GARCH(1,1) weight of the last squared shock.</summary>
    public double GarchAlpha { get; init; } = 0.03;

    /// <summary>GARCH(1,1) weight of the last variance; alpha + beta &lt; 1 keeps the long-run variance
    /// at the symbol's annual volatility.</summary>
    public double GarchBeta { get; init; } = 0.965;

    /// <summary>BTCUSDT from 60,000 and ETHUSDT from 3,000 (shock correlation 0.8), catalog tick and lot sizes.</summary>
    public static SyntheticMarketOptions Default(DateTime start) => new(
    [
        new SymbolSpec(new Symbol("BTCUSDT"), 60_000m, 0.6) { FactorLoading = 1.0, TradesPerSecond = 6.0 },
        new SymbolSpec(new Symbol("ETHUSDT"), 3_000m, 0.75) { FactorLoading = 0.8, TradesPerSecond = 4.0, LevelNotional = 15_000m },
    ], start);

    internal void Validate()
    {
        if (Symbols is null || Symbols.Count == 0) throw new ArgumentException("at least one symbol is needed");
        var seen = new HashSet<Symbol>();
        foreach (var spec in Symbols)
        {
            ArgumentNullException.ThrowIfNull(spec);
            if (!seen.Add(spec.Symbol)) throw new ArgumentException($"symbol {spec.Symbol} is listed twice");
            spec.Validate();
        }
        if (Start.Kind == DateTimeKind.Local) throw new ArgumentException("start must be a UTC time");
        if (Step <= TimeSpan.Zero) throw new ArgumentException($"step {Step} must be positive");
        if (Depth < 1) throw new ArgumentException($"depth {Depth} must be at least 1");
        if (RegimeMeanDuration <= TimeSpan.Zero) throw new ArgumentException("regime mean duration must be positive");
        if (MeanReversionHalfLife <= TimeSpan.Zero) throw new ArgumentException("mean-reversion half-life must be positive");
        if (AnchorHalfLife <= TimeSpan.Zero) throw new ArgumentException("anchor half-life must be positive");
        if (!(GarchAlpha >= 0 && GarchBeta >= 0 && GarchAlpha + GarchBeta < 1))
            throw new ArgumentException($"GARCH needs alpha >= 0, beta >= 0 and alpha + beta < 1 (got {GarchAlpha}, {GarchBeta})");
    }

    /// <summary>Decimal to double through the correctly rounded parser, the same on every runtime.</summary>
    internal static double ToDouble(decimal value) =>
        double.Parse(value.ToString(CultureInfo.InvariantCulture), CultureInfo.InvariantCulture);
}

namespace Hean.Core.Domain;

/// <summary>Trading rules of one instrument (a linear USDT perpetual unless said otherwise).</summary>
public sealed record Instrument(
    Symbol Symbol,
    decimal TickSize,
    decimal LotSize,
    decimal MinQty,
    decimal MaxQty,
    decimal MinNotional)
{
    public decimal RoundPrice(decimal price) => Math.Round(price / TickSize, MidpointRounding.AwayFromZero) * TickSize;
    public decimal FloorQty(decimal qty) => Math.Floor(qty / LotSize) * LotSize;
    public bool IsOnTick(decimal price) => price % TickSize == 0m;
    public bool IsOnLot(decimal qty) => qty % LotSize == 0m;

    /// <summary>Why an order of this price and quantity is invalid, or null when it is valid.</summary>
    public string? Validate(decimal qty, decimal? price)
    {
        if (qty <= 0) return $"quantity {qty} must be positive";
        if (!IsOnLot(qty)) return $"quantity {qty} is not a multiple of the lot size {LotSize}";
        if (qty < MinQty) return $"quantity {qty} is below the minimum {MinQty}";
        if (qty > MaxQty) return $"quantity {qty} is above the maximum {MaxQty}";
        if (price is { } p)
        {
            if (p <= 0) return $"price {p} must be positive";
            if (!IsOnTick(p)) return $"price {p} is not a multiple of the tick size {TickSize}";
            if (p * qty < MinNotional) return $"notional {p * qty} is below the minimum {MinNotional}";
        }
        return null;
    }
}

/// <summary>The instruments HEAN knows. Bybit linear perpetual rules for the defaults.</summary>
public sealed class InstrumentCatalog
{
    private volatile Dictionary<Symbol, Instrument> _bySymbol;

    public InstrumentCatalog(IEnumerable<Instrument> instruments) =>
        _bySymbol = instruments.ToDictionary(i => i.Symbol);

    /// <summary>
    /// Replaces the rules with what the venue lists now (a venue's catalog, refreshed while trading: tick and lot
    /// sizes change). Readers see the old or the new catalog whole, never a mix. <see cref="Default"/> is never updated.
    /// </summary>
    public void Update(IEnumerable<Instrument> instruments)
    {
        if (ReferenceEquals(this, Default)) throw new InvalidOperationException("the default catalog is fixed");
        _bySymbol = instruments.ToDictionary(i => i.Symbol);
    }

    public static InstrumentCatalog Default { get; } = new(
    [
        new Instrument(new Symbol("BTCUSDT"), 0.1m, 0.001m, 0.001m, 100m, 5m),
        new Instrument(new Symbol("ETHUSDT"), 0.01m, 0.01m, 0.01m, 1500m, 5m),
        new Instrument(new Symbol("SOLUSDT"), 0.01m, 0.1m, 0.1m, 50000m, 5m),
        new Instrument(new Symbol("XRPUSDT"), 0.0001m, 1m, 1m, 1000000m, 5m),
    ]);

    public IReadOnlyCollection<Instrument> All => _bySymbol.Values;

    public bool TryGet(Symbol symbol, out Instrument instrument) => _bySymbol.TryGetValue(symbol, out instrument!);

    public Instrument Get(Symbol symbol) =>
        _bySymbol.TryGetValue(symbol, out var i)
            ? i
            : throw new UnknownSymbolException(symbol, _bySymbol.Keys);

    public Instrument Get(string symbol) => Get(new Symbol(symbol));
}

public sealed class UnknownSymbolException(Symbol symbol, IEnumerable<Symbol> known)
    : Exception($"unknown symbol '{symbol}'; known symbols: {string.Join(", ", known.OrderBy(s => s.Value))}")
{
    public Symbol Symbol { get; } = symbol;
}

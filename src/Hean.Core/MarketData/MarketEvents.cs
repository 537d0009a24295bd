using Hean.Core.Domain;

namespace Hean.Core.MarketData;

/// <summary>Anything the market tells us. Time is the exchange's event time (UTC).</summary>
public interface IMarketEvent
{
    Symbol Symbol { get; }
    DateTime Time { get; }
}

/// <summary>A public trade print. TakerSide is the aggressor's side.</summary>
public sealed record Trade(Symbol Symbol, DateTime Time, decimal Price, decimal Qty, Side TakerSide, long TradeId) : IMarketEvent;

public readonly record struct BookLevel(decimal Price, decimal Qty);

/// <summary>
/// An L2 book message: a full snapshot, or a delta whose levels replace the quantity at their
/// price (quantity 0 deletes the level). Sequence increases by one per message for a symbol;
/// PrevSequence is the sequence the sender expects us to have (or 0 when it does not say).
/// </summary>
public sealed record BookUpdate(
    Symbol Symbol,
    DateTime Time,
    long Sequence,
    long PrevSequence,
    bool IsSnapshot,
    IReadOnlyList<BookLevel> Bids,
    IReadOnlyList<BookLevel> Asks) : IMarketEvent;

/// <summary>An OHLCV bar. Time is the bar's open time; a bar is emitted when it closes.</summary>
public sealed record Candle(
    Symbol Symbol,
    DateTime Time,
    TimeSpan Interval,
    decimal Open,
    decimal High,
    decimal Low,
    decimal Close,
    decimal Volume) : IMarketEvent
{
    public DateTime CloseTime => Time + Interval;
}

using Akka.Actor;
using Hean.Core.Domain;

namespace Hean.Actors.Portfolio;

/// <summary>
/// The latest mark per symbol seen in one market-data batch, sent to the portfolio as one message at
/// the end of the batch (in symbol order), so marks cost one message per batch, not one per tick.
/// </summary>
public sealed class PendingMarks
{
    private readonly Dictionary<Symbol, PortfolioProtocol.MarkPrice> _marks = new();

    public void Set(Symbol symbol, decimal? price, DateTime time)
    {
        if (price is { } p) _marks[symbol] = new PortfolioProtocol.MarkPrice(symbol, p, time);
    }

    public void FlushTo(IActorRef portfolio)
    {
        if (_marks.Count == 0) return;
        portfolio.Tell(new PortfolioProtocol.UpdateMarks(_marks.Values.OrderBy(x => x.Symbol.Value, StringComparer.Ordinal).ToList()));
        _marks.Clear();
    }
}

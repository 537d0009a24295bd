using Hean.Core.Domain;
using Hean.Core.Orders;
using Hean.Core.Portfolio;

namespace Hean.Core.Performance;

/// <summary>
/// One round trip in a symbol: from flat (or a reversal) to flat (or the next reversal). Gross is the realized PnL before
/// fees; Fees are the entry and exit fees (a reversal's fee split by quantity between the trip it closes and the one it opens).
/// </summary>
public sealed record RoundTrip(Symbol Symbol, Side Direction, DateTime Opened, DateTime Closed, decimal GrossPnl, decimal Fees)
{
    public decimal NetPnl => GrossPnl - Fees;
}

/// <summary>What a fill did to its symbol's position: opened or added (entry), reduced or closed (exit), or closed and opened the other side (reversal).</summary>
public enum FillRole { Entry, Exit, Reversal }

/// <summary>
/// The fills of a run replayed per symbol (<see cref="Position.Apply"/>, as the portfolio books them): the closed round trips,
/// each fill's role, the final positions and the time each symbol — and the account — held a position. A trip still open at
/// the end is not a trade: its PnL is in the final position.
/// </summary>
public sealed class RoundTrips
{
    private readonly Dictionary<Symbol, Position> _positions = new();
    private readonly Dictionary<Symbol, OpenTrip> _open = new();
    private readonly Dictionary<Symbol, TimeSpan> _held = new();
    private readonly List<RoundTrip> _closed = [];
    private readonly List<(Fill Fill, FillRole Role)> _fills = [];
    private TimeSpan _inMarket;
    private DateTime _inMarketSince;

    private sealed record OpenTrip(DateTime Opened, decimal Gross, decimal Fees);

    private RoundTrips() { }

    public IReadOnlyList<RoundTrip> Closed => _closed;
    public IReadOnlyList<(Fill Fill, FillRole Role)> Fills => _fills;
    public IReadOnlyDictionary<Symbol, Position> Positions => _positions;

    /// <summary>The same map, enumerated without its interface (whose boxed enumerator was JIT-compiled code in every process).</summary>
    internal Dictionary<Symbol, Position> PositionMap => _positions;

    /// <summary>Time in a position per symbol, up to the end given to <see cref="Of"/>.</summary>
    public IReadOnlyDictionary<Symbol, TimeSpan> TimeHeld => _held;

    /// <summary>The final position of <paramref name="symbol"/>, null when it never traded.</summary>
    public Position? PositionOf(Symbol symbol) => _positions.TryGetValue(symbol, out var p) ? p : null;

    /// <summary>The time <paramref name="symbol"/> was held, up to the end given to <see cref="Of"/>.</summary>
    public TimeSpan HeldOf(Symbol symbol) => _held.TryGetValue(symbol, out var t) ? t : TimeSpan.Zero;

    /// <summary>Time in which at least one symbol had a position.</summary>
    public TimeSpan TimeInMarket => _inMarket;

    /// <summary>Replays the fills in time order (the order of equal times kept); positions open at <paramref name="end"/> count as held until then.</summary>
    public static RoundTrips Of(IEnumerable<Fill> fills, DateTime end)
    {
        var trips = new RoundTrips();
        var list = fills as IReadOnlyList<Fill> ?? fills.ToList();
        // A run's fills come in time order; a stable sort only for those that do not.
        foreach (var fill in InTimeOrder(list) ? list : list.OrderBy(f => f.Time).ToList()) trips.Apply(fill);
        foreach (var (symbol, _) in trips._open) trips.Close(symbol, end); // Close removes the entry: allowed while enumerating
        return trips;

        static bool InTimeOrder(IReadOnlyList<Fill> fills)
        {
            for (var i = 1; i < fills.Count; i++)
                if (fills[i].Time < fills[i - 1].Time) return false;
            return true;
        }
    }

    private void Apply(Fill fill)
    {
        var symbol = fill.Symbol;
        var before = _positions.GetValueOrDefault(symbol) ?? Position.Flat(symbol);
        var after = before.Apply(fill);
        _positions[symbol] = after;
        if (before.IsFlat || Math.Sign(before.Qty) == fill.Side.Sign())
        {
            if (before.IsFlat) Open(symbol, fill.Time);
            _open[symbol] = _open[symbol] with { Fees = _open[symbol].Fees + fill.Fee };
            _fills.Add((fill, FillRole.Entry));
            return;
        }
        // The part of the fill that closes carries its share of the fee; a reversal's rest opens the next trip.
        var closingFee = fill.Fee * Math.Min(Math.Abs(before.Qty), fill.Qty) / fill.Qty;
        var trip = _open[symbol] with
        {
            Gross = _open[symbol].Gross + after.RealizedPnl - before.RealizedPnl,
            Fees = _open[symbol].Fees + closingFee,
        };
        _open[symbol] = trip;
        var reversed = !after.IsFlat && Math.Sign(after.Qty) != Math.Sign(before.Qty);
        if (after.IsFlat || reversed)
        {
            _closed.Add(new RoundTrip(symbol, before.Qty > 0 ? Side.Buy : Side.Sell, trip.Opened, fill.Time, trip.Gross, trip.Fees));
            Close(symbol, fill.Time);
        }
        if (reversed)
        {
            Open(symbol, fill.Time);
            _open[symbol] = _open[symbol] with { Fees = fill.Fee - closingFee };
        }
        _fills.Add((fill, reversed ? FillRole.Reversal : FillRole.Exit));
    }

    private void Open(Symbol symbol, DateTime time)
    {
        if (_open.Count == 0) _inMarketSince = time;
        _open[symbol] = new OpenTrip(time, 0m, 0m);
    }

    private void Close(Symbol symbol, DateTime time)
    {
        _held[symbol] = _held.GetValueOrDefault(symbol) + (time - _open[symbol].Opened);
        _open.Remove(symbol);
        if (_open.Count == 0) _inMarket += time - _inMarketSince;
    }
}

using System.Collections.Immutable;
using Hean.Core.Domain;
using Hean.Core.Orders;

namespace Hean.Core.Portfolio;

/// <summary>
/// Cash, positions and marks of one USDT account. Cash is the wallet balance: the initial
/// deposit plus realized PnL minus fees and funding paid. Equity adds the unrealized PnL at the last marks.
/// Sorted maps keep iteration (and so every sum) in one order on every run.
/// </summary>
public sealed record PortfolioState(
    decimal InitialCash,
    ImmutableSortedDictionary<string, Position> Positions,
    ImmutableSortedDictionary<string, decimal> Marks,
    long FillCount,
    DateTime UpdatedAt)
{
    public static PortfolioState Start(decimal initialCash) =>
        new(initialCash, ImmutableSortedDictionary<string, Position>.Empty,
            ImmutableSortedDictionary<string, decimal>.Empty, 0, default);

    // Sums in loops over the sorted positions (the order LINQ took, so every total is the same to the last digit), made once
    // per state: a backtest asks for the equity several times at every checkpoint and signal.
    public decimal RealizedPnl => Totals.RealizedPnl;

    public decimal Fees => Totals.Fees;
    public decimal Cash => InitialCash + RealizedPnl - Fees - Funding;

    /// <summary>Funding paid on perpetual positions (negative: received), since the start.</summary>
    public decimal Funding { get; init; }

    /// <summary>Ids of the last funding settlements booked (a settlement read again is not booked twice).</summary>
    public ImmutableList<string> FundingIds { get; init; } = ImmutableList<string>.Empty;

    /// <summary>How many settlement ids are kept: far more than one catch-up can bring back.</summary>
    public const int KeepFundingIds = 1_000;

    public bool HasFunding(string id) => FundingIds.Contains(id);

    /// <summary>
    /// Fills booked per symbol: the order entity of each symbol numbers its fills 1, 2, 3… and the portfolio books them in
    /// that order (a journal of older versions, numbered globally, gets these numbers once from the layout migration).
    /// </summary>
    public ImmutableSortedDictionary<string, long> FillSeqs { get; init; } = ImmutableSortedDictionary<string, long>.Empty;

    public long FillSeqOf(Symbol symbol) => FillSeqs.GetValueOrDefault(symbol.Value);

    public PortfolioState Apply(FundingPayment payment)
    {
        if (HasFunding(payment.Id)) return this;
        var ids = FundingIds.Add(payment.Id);
        if (ids.Count > KeepFundingIds) ids = ids.RemoveRange(0, ids.Count - KeepFundingIds);
        return this with { Funding = Funding + payment.Amount, FundingIds = ids, UpdatedAt = payment.Time };
    }

    public decimal UnrealizedPnl
    {
        get
        {
            var sum = 0m;
            foreach (var p in Totals.InOrder)
                if (Marks.TryGetValue(p.Symbol.Value, out var m)) sum += p.UnrealizedPnl(m);
            return sum;
        }
    }

    public decimal Equity => Cash + UnrealizedPnl;
    /// <summary>Total PnL since the start, after fees.</summary>
    public decimal Pnl => Equity - InitialCash;
    public decimal GrossExposure
    {
        get
        {
            var sum = 0m;
            foreach (var p in Totals.InOrder) sum += Marks.TryGetValue(p.Symbol.Value, out var m) ? p.Notional(m) : Math.Abs(p.Qty) * p.AvgPrice;
            return sum;
        }
    }
    /// <summary>The equity with some marks set otherwise (a book's marks not in the state yet): its equity once they are.</summary>
    internal decimal EquityWith(ReadOnlySpan<MarkOverride> marks)
    {
        var sum = 0m;
        foreach (var p in Totals.InOrder)
            if (MarkWith(marks, p.Symbol.Value) is { } m) sum += p.UnrealizedPnl(m);
        return Cash + sum;
    }

    /// <summary>The gross exposure with some marks set otherwise, as <see cref="EquityWith"/>.</summary>
    internal decimal GrossExposureWith(ReadOnlySpan<MarkOverride> marks)
    {
        var sum = 0m;
        foreach (var p in Totals.InOrder) sum += MarkWith(marks, p.Symbol.Value) is { } m ? p.Notional(m) : Math.Abs(p.Qty) * p.AvgPrice;
        return sum;
    }

    private decimal? MarkWith(ReadOnlySpan<MarkOverride> marks, string symbol)
    {
        foreach (var m in marks)
            if (m.Symbol == symbol) return m.Price;
        return Marks.TryGetValue(symbol, out var held) ? held : null;
    }

    public decimal Leverage => Equity <= 0 ? decimal.MaxValue : GrossExposure / Equity;

    public Position PositionOf(Symbol symbol) =>
        Positions.TryGetValue(symbol.Value, out var p) ? p : Position.Flat(symbol);

    public decimal? MarkOf(Symbol symbol) => Marks.TryGetValue(symbol.Value, out var m) ? m : null;

    private decimal? MarkOf(Position p) => MarkOf(p.Symbol);

    public PortfolioState Apply(Fill fill)
    {
        var position = PositionOf(fill.Symbol).Apply(fill);
        return this with
        {
            Positions = Positions.SetItem(fill.Symbol.Value, position),
            // A fill is a trade at a real price: until the next mark it is the best mark we have.
            Marks = Marks.SetItem(fill.Symbol.Value, fill.Price),
            FillCount = FillCount + 1,
            FillSeqs = FillSeqs.SetItem(fill.Symbol.Value, FillSeqs.GetValueOrDefault(fill.Symbol.Value) + 1),
            UpdatedAt = fill.Time,
        };
    }

    // What the positions sum to, made once per set of positions (a mark keeps them): a backtest asks for the equity
    // several times at every checkpoint and signal. A `with` copies the field, so the sums say which positions they were made
    // from; they are immutable, so a state read on several threads at most makes them twice.
    private Sums? _sums;

    private Sums Totals
    {
        get
        {
            var sums = _sums;
            if (sums is null || !ReferenceEquals(sums.Positions, Positions)) _sums = sums = Sums.Of(Positions);
            return sums;
        }
    }

    private sealed class Sums
    {
        public required ImmutableSortedDictionary<string, Position> Positions { get; init; }
        public required Position[] InOrder { get; init; }
        public decimal RealizedPnl { get; init; }
        public decimal Fees { get; init; }

        public static Sums Of(ImmutableSortedDictionary<string, Position> positions)
        {
            var list = new Position[positions.Count];
            decimal realized = 0m, fees = 0m;
            var i = 0;
            foreach (var (_, p) in positions)
            {
                list[i++] = p;
                realized += p.RealizedPnl;
                fees += p.Fees;
            }
            return new Sums { Positions = positions, InOrder = list, RealizedPnl = realized, Fees = fees };
        }
    }

    /// <summary>Equal states hold the same values; the sums made from them are not part of them.</summary>
    public bool Equals(PortfolioState? other) =>
        other is not null && (ReferenceEquals(this, other) ||
                              (InitialCash == other.InitialCash && Positions.Equals(other.Positions) && Marks.Equals(other.Marks) &&
                               FillCount == other.FillCount && UpdatedAt == other.UpdatedAt && Funding == other.Funding &&
                               FundingIds.Equals(other.FundingIds) && FillSeqs.Equals(other.FillSeqs)));

    public override int GetHashCode() => HashCode.Combine(InitialCash, Positions, Marks, FillCount, UpdatedAt, Funding, FundingIds, FillSeqs);

    public PortfolioState Mark(Symbol symbol, decimal price, DateTime time)
    {
        if (price <= 0) throw new ArgumentOutOfRangeException(nameof(price), price, "mark price must be positive");
        return this with { Marks = Marks.SetItem(symbol.Value, price), UpdatedAt = time };
    }
}

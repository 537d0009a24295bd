namespace Hean.Actors.History;

/// <summary>One booked fill, keyed by the journal event it came from.</summary>
public sealed record FillRow(string PersistenceId, long SequenceNr, DateTime Time, string Symbol, string Side, string ClientOrderId,
    string TradeId, decimal Price, decimal Qty, decimal Fee, string Liquidity);

/// <summary>One order as it stands after the events the projection has seen.</summary>
public sealed record OrderRow(string PersistenceId, long SequenceNr, string ClientOrderId, DateTime Created, string Symbol, string Side,
    string Type, decimal Qty, decimal? Price, string Origin, string Status, DateTime Updated, decimal FilledQty, string? Reason);

/// <summary>One equity sample: PnL = equity − initial capital.</summary>
public sealed record PnlRow(string PersistenceId, long SequenceNr, DateTime Time, decimal Equity, decimal Pnl, string Marks);

/// <summary>A filter for `hean history`: optional symbol and time range [From, To), the latest Limit rows.</summary>
public sealed record HistoryQuery(string? Symbol = null, DateTime? From = null, DateTime? To = null, int Limit = 100);

using Hean.Core.Domain;
using Hean.Core.Exchange;

namespace Hean.Core.Orders;

/// <summary>The venue changed a resting order: new total quantity and price.</summary>
public sealed record OrderAmendedReport(ClientOrderId ClientOrderId, Symbol Symbol, DateTime Time, decimal Qty, decimal? Price)
    : ExecutionReport(ClientOrderId, Symbol, Time);

/// <summary>The venue refused a change (too late, below the filled quantity, off the tick grid…); the order keeps its terms.</summary>
public sealed record AmendRejectedReport(ClientOrderId ClientOrderId, Symbol Symbol, DateTime Time, string Reason)
    : ExecutionReport(ClientOrderId, Symbol, Time);

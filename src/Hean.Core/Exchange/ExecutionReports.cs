using Hean.Core.Domain;
using Hean.Core.Orders;

namespace Hean.Core.Exchange;

/// <summary>What a venue tells us about one of our orders.</summary>
public abstract record ExecutionReport(ClientOrderId ClientOrderId, Symbol Symbol, DateTime Time);

public sealed record OrderAcceptedReport(ClientOrderId ClientOrderId, Symbol Symbol, DateTime Time, string VenueOrderId)
    : ExecutionReport(ClientOrderId, Symbol, Time);

public sealed record OrderRejectedReport(ClientOrderId ClientOrderId, Symbol Symbol, DateTime Time, string Reason)
    : ExecutionReport(ClientOrderId, Symbol, Time);

/// <summary>An execution. LeavesQty is what remains open after it.</summary>
public sealed record OrderFilledReport(ClientOrderId ClientOrderId, Symbol Symbol, DateTime Time, Fill Fill, decimal LeavesQty)
    : ExecutionReport(ClientOrderId, Symbol, Time);

/// <summary>The order is closed at the venue; <paramref name="VenueFilledQty"/> is its total executed quantity there, when known.</summary>
public sealed record OrderCancelledReport(ClientOrderId ClientOrderId, Symbol Symbol, DateTime Time, string Reason, decimal? VenueFilledQty = null)
    : ExecutionReport(ClientOrderId, Symbol, Time);

/// <summary>The venue refused to cancel (the order is not open there). The order itself is unchanged.</summary>
public sealed record CancelRejectedReport(ClientOrderId ClientOrderId, Symbol Symbol, DateTime Time, string Reason)
    : ExecutionReport(ClientOrderId, Symbol, Time);

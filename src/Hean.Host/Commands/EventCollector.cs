using Hean.Core.Exchange;
using Akka.Actor;
using Hean.Actors.Risk;
using Hean.Core.Orders;
using Hean.Core.Portfolio;
using Hean.Core.Risk;

namespace Hean.Host.Commands;

/// <summary>
/// Follows the lifecycle events on the event stream for a report: fills and the equity curve, in order. Fills come from
/// the symbols' order entities, each in its own order; two symbols filled at the same market time may arrive either way
/// round, so the report lists them as the venue made them: by time, then by the simulated exchange's trade number
/// (<c>sim-N</c>), which is the order the kernel books them in.
/// </summary>
public sealed class EventCollector : ReceiveActor
{
    public sealed record GetCollected;
    public sealed record Collected(IReadOnlyList<Fill> Fills, IReadOnlyList<EquitySampled> Equity, IReadOnlyList<EmergencyStop> Stops, IReadOnlyList<OrderRejected> Rejections, IReadOnlyList<OrderRequestRejected> RiskRejections);

    private readonly List<Fill> _fills = new();
    private readonly List<EquitySampled> _equity = new();
    private readonly List<EmergencyStop> _stops = new();
    private readonly List<OrderRejected> _rejections = new();
    private readonly List<OrderRequestRejected> _riskRejections = new();

    public EventCollector()
    {
        Receive<OrderFilled>(f => _fills.Add(f.Fill));
        Receive<EquitySampled>(_equity.Add);
        Receive<EmergencyStop>(_stops.Add);
        Receive<OrderRejected>(_rejections.Add);
        Receive<OrderRequestRejected>(_riskRejections.Add);
        Receive<GetCollected>(_ => Sender.Tell(new Collected(InVenueOrder(_fills), _equity.ToList(), _stops.ToList(), _rejections.ToList(), _riskRejections.ToList())));
    }

    protected override void PreStart()
    {
        Context.System.EventStream.Subscribe(Self, typeof(OrderFilled));
        Context.System.EventStream.Subscribe(Self, typeof(EquitySampled));
        Context.System.EventStream.Subscribe(Self, typeof(EmergencyStop));
        Context.System.EventStream.Subscribe(Self, typeof(OrderRejected));
        Context.System.EventStream.Subscribe(Self, typeof(OrderRequestRejected));
    }

    /// <summary>By time, then by the simulated exchange's trade number; other trade ids keep their order (the sort is stable).</summary>
    public static IReadOnlyList<Fill> InVenueOrder(IEnumerable<Fill> fills) =>
        fills.OrderBy(f => f.Time).ThenBy(f => f.TradeId.StartsWith(SimulatedExchange.TradeIdPrefix, StringComparison.Ordinal)
            && long.TryParse(f.TradeId.AsSpan(SimulatedExchange.TradeIdPrefix.Length), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var n) ? n : long.MaxValue).ToList();
}

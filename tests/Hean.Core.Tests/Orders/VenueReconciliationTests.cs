using Hean.Core.Domain;
using Hean.Core.Orders;
using Xunit;
using static Hean.Core.Tests.Orders.OrderFixture;

namespace Hean.Core.Tests.Orders;

public sealed class VenueReconciliationTests
{
    [Fact]
    public void Positions_that_differ_beyond_the_tolerance_are_reported_and_a_missing_side_is_flat()
    {
        var ours = new Dictionary<string, decimal> { ["BTCUSDT"] = 0.4m, ["ETHUSDT"] = -2m };
        var venue = new Dictionary<string, decimal> { ["BTCUSDT"] = 0.4m, ["SOLUSDT"] = 5m };
        var found = VenueReconciliation.ComparePositions(ours, venue);
        Assert.Equal(["position_mismatch ETHUSDT: ours -2, venue 0", "position_mismatch SOLUSDT: ours 0, venue 5"], found.Select(d => d.ToString()));
        Assert.Empty(VenueReconciliation.ComparePositions(ours, new Dictionary<string, decimal> { ["BTCUSDT"] = 0.4001m, ["ETHUSDT"] = -2m }, 0.001m));
        Assert.Single(VenueReconciliation.ComparePositions(ours, new Dictionary<string, decimal> { ["BTCUSDT"] = 0.402m, ["ETHUSDT"] = -2m }, 0.001m));
    }

    [Fact]
    public void Only_sent_open_orders_missing_at_the_venue_and_older_than_the_grace_are_queried()
    {
        var accepted = InStatus(OrderStatus.Accepted);        // updated at 2 s
        var fresh = InStatus(OrderStatus.Submitted);           // updated at 1 s
        var never = InStatus(OrderStatus.New);
        var closed = InStatus(OrderStatus.Filled);
        var all = new[] { accepted, fresh, never, closed };
        Assert.Equal([accepted, fresh], VenueReconciliation.NotOpenAtVenue(all, new HashSet<string>(), At(10), TimeSpan.Zero));
        Assert.Empty(VenueReconciliation.NotOpenAtVenue(all, new HashSet<string> { Id.Value }, At(10), TimeSpan.Zero));
        Assert.Empty(VenueReconciliation.NotOpenAtVenue(all, new HashSet<string>(), At(3), TimeSpan.FromSeconds(5)));
    }

    [Fact]
    public void Executions_are_asked_from_the_last_seen_else_the_earliest_open_order_minus_the_margin()
    {
        var open = new[] { InStatus(OrderStatus.Accepted) }; // created at T0
        var margin = TimeSpan.FromSeconds(5);
        Assert.Equal(At(60) - margin, VenueReconciliation.ExecutionsSince(open, At(60), At(100), margin)); // an old resting order does not drag it back
        Assert.Equal(T0 - margin, VenueReconciliation.ExecutionsSince(open, null, At(100), margin));
        Assert.Equal(At(-30) - margin, VenueReconciliation.ExecutionsSince(open, At(-30), At(100), margin));
        Assert.Equal(At(60) - margin, VenueReconciliation.ExecutionsSince([], At(60), At(100), margin));
        Assert.Equal(At(100) - margin, VenueReconciliation.ExecutionsSince([InStatus(OrderStatus.Filled)], null, At(100), margin));
        Assert.Equal(-0.5m, VenueReconciliation.Signed(Side.Sell, 0.5m));
    }

    [Theory]
    [InlineData(1, 60, false)]   // one answer is never enough
    [InlineData(2, 29, false)]   // inside the period: the order history may still lag
    [InlineData(2, 30, true)]
    [InlineData(5, 300, true)]   // sent long ago (a restart after downtime): two answers settle it
    public void An_unknown_order_is_taken_as_never_placed_only_after_two_answers_and_the_period(int answers, int secondsSinceSent, bool neverPlaced) =>
        Assert.Equal(neverPlaced, VenueReconciliation.TakenAsNeverPlaced(At(0), answers, At(secondsSinceSent), TimeSpan.FromSeconds(30)));
}

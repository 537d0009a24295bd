using Hean.Core.Signals;

namespace Hean.Actors.Instruments;

public static class InstrumentProtocol
{
    /// <summary>A strategy signal with the touch at that moment. Answer: <see cref="SignalHandled"/> when the order (if any) is with the venue.</summary>
    public sealed record HandleSignal(Signal Signal, decimal? BestBid, decimal? BestAsk);

    public sealed record SignalHandled(string Outcome);
}
